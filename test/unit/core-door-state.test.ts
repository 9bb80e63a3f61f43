import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  advanceDoor,
  applyDoorInput,
  type DoorConfig,
  type DoorEffect,
  type DoorInput,
  type DoorState,
  doorDueAt,
  initialDoorState,
  type LockCause,
} from "../../src/core/door-state.js";
import type { DoorMode } from "../../src/core/model.js";

const T0 = Date.parse("2026-03-02T09:00:00Z");
const S = 1000;

const front: DoorConfig = {
  id: 7,
  name: "Front door",
  mode: "normal",
  unlock_duration_s: 5,
  held_open_threshold_s: 30,
  reader_name: "Front reader",
  lock_name: "Front strike",
  sensor_name: "Front contact",
};

// The events exactly as the contract spells them, for the front door.
const door = { id: 7, name: "Front door" };
const ev = {
  opened: (at: number) => ({ type: "door.opened", data: { door, sensor: { name: "Front contact" } }, at }),
  closed: (at: number) => ({ type: "door.closed", data: { door, sensor: { name: "Front contact" } }, at }),
  forced: (at: number) => ({ type: "door.forced_open", data: { door }, at }),
  held: (at: number, open_for_s: number) => ({ type: "door.held_open", data: { door, open_for_s }, at }),
  secured: (at: number, previous: "forced" | "held") => ({
    type: "door.secured",
    data: { door, previous },
    at,
  }),
  mode: (at: number, mode: DoorMode, previous_mode: DoorMode) => ({
    type: "door.mode_changed",
    data: { door, mode, previous_mode },
    at,
  }),
  unlocked: (at: number, cause: LockCause) => ({
    type: "lock.unlocked",
    data: { door, lock: { name: "Front strike" }, cause },
    at,
  }),
  locked: (at: number, cause: LockCause) => ({
    type: "lock.locked",
    data: { door, lock: { name: "Front strike" }, cause },
    at,
  }),
};

const OPEN: DoorInput = { kind: "contact", state: "open" };
const CLOSE: DoorInput = { kind: "contact", state: "closed" };
const EXIT: DoorInput = { kind: "exit_button" };
const GRANT: DoorInput = { kind: "grant", cause: "access_granted" };
const toMode = (mode: DoorMode): DoorInput => ({ kind: "mode", mode });

/** One door driven as the caller would: the state kept between calls, the new mode stored after a mode input. */
function simulate(config: DoorConfig = front) {
  let cfg = config;
  let state = initialDoorState(config.mode);
  return {
    input(input: DoorInput, at: number): DoorEffect[] {
      const step = applyDoorInput(cfg, state, input, at);
      state = step.state;
      if (input.kind === "mode") cfg = { ...cfg, mode: input.mode };
      return step.events;
    },
    advance(at: number): DoorEffect[] {
      const step = advanceDoor(cfg, state, at);
      state = step.state;
      return step.events;
    },
    get state(): DoorState {
      return state;
    },
    get config(): DoorConfig {
      return cfg;
    },
  };
}

describe("initialDoorState", () => {
  it("is closed with nothing pending, locked unless the mode is unlocked", () => {
    const quiet = {
      contact: "closed",
      relock_at: null,
      authorised_until: null,
      open_since: null,
      alarm: null,
      held_at: null,
      due_at: null,
    };
    expect(initialDoorState("normal")).toEqual({ ...quiet, lock: "locked" });
    expect(initialDoorState("locked_down")).toEqual({ ...quiet, lock: "locked" });
    expect(initialDoorState("unlocked")).toEqual({ ...quiet, lock: "unlocked" });
  });
});

describe("an authorised passage", () => {
  it("grant, open, close: unlocked, opened, closed, relocked on closing; due_at follows each deadline", () => {
    const d = simulate();
    expect(d.input(GRANT, T0)).toEqual([ev.unlocked(T0, "access_granted")]);
    expect(d.state).toMatchObject({ lock: "unlocked", relock_at: T0 + 5 * S, authorised_until: T0 + 5 * S });
    expect(d.state.due_at).toBe(T0 + 5 * S);

    expect(d.input(OPEN, T0 + 2 * S)).toEqual([ev.opened(T0 + 2 * S)]);
    // Open: the relock waits for the closing, the held-open threshold is the deadline now.
    expect(d.state).toMatchObject({ contact: "open", open_since: T0 + 2 * S, alarm: null });
    expect(d.state.due_at).toBe(T0 + 32 * S);

    expect(d.input(CLOSE, T0 + 4 * S)).toEqual([
      ev.closed(T0 + 4 * S),
      ev.locked(T0 + 4 * S, "relock_timer"),
    ]);
    expect(d.state).toEqual(initialDoorState("normal"));
  });

  it("relock on close uses the grant up: a second opening in what is left of the unlock time is forced", () => {
    const d = simulate();
    d.input(GRANT, T0);
    d.input(OPEN, T0 + S);
    d.input(CLOSE, T0 + 2 * S);
    expect(d.input(OPEN, T0 + 3 * S)).toEqual([ev.opened(T0 + 3 * S), ev.forced(T0 + 3 * S)]);
  });

  it("the exit button unlocks for the unlock duration and authorises the opening", () => {
    const d = simulate();
    expect(d.input(EXIT, T0)).toEqual([ev.unlocked(T0, "exit_button")]);
    expect(d.state.relock_at).toBe(T0 + 5 * S);
    expect(d.input(OPEN, T0 + 4999)).toEqual([ev.opened(T0 + 4999)]);
  });

  it("a remote unlock uses its own duration and cause", () => {
    const d = simulate();
    expect(d.input({ kind: "grant", cause: "remote_api", seconds: 60 }, T0)).toEqual([
      ev.unlocked(T0, "remote_api"),
    ]);
    expect(d.state).toMatchObject({ relock_at: T0 + 60 * S, due_at: T0 + 60 * S });
    expect(d.input(OPEN, T0 + 59 * S)).toEqual([ev.opened(T0 + 59 * S)]);
  });

  it("a grant while unlocked extends the timer without a second lock.unlocked, and never shortens it", () => {
    const d = simulate();
    d.input(GRANT, T0);
    expect(d.input(GRANT, T0 + 3 * S)).toEqual([]);
    expect(d.state).toMatchObject({
      relock_at: T0 + 8 * S,
      authorised_until: T0 + 8 * S,
      due_at: T0 + 8 * S,
    });
    expect(d.input({ kind: "grant", cause: "remote_api", seconds: 1 }, T0 + 4 * S)).toEqual([]);
    expect(d.state.relock_at).toBe(T0 + 8 * S);
    expect(d.advance(T0 + 8 * S - 1)).toEqual([]);
    expect(d.advance(T0 + 8 * S)).toEqual([ev.locked(T0 + 8 * S, "relock_timer")]);
  });

  it("refuses a grant of no time at all rather than guessing", () => {
    const d = simulate();
    for (const seconds of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => d.input({ kind: "grant", cause: "remote_api", seconds }, T0)).toThrow(RangeError);
    }
  });
});

describe("a grant that is never used", () => {
  it("relocks at relock_at, reported at that instant even when the sweeper comes late", () => {
    const d = simulate();
    d.input(GRANT, T0);
    expect(d.advance(T0 + 5 * S - 1)).toEqual([]);
    expect(d.advance(T0 + 9 * S)).toEqual([ev.locked(T0 + 5 * S, "relock_timer")]);
    expect(d.state).toEqual(initialDoorState("normal"));
    expect(d.advance(T0 + 9 * S)).toEqual([]);
  });

  it("an opening after the authorisation expired is forced; a late relock is reported before it", () => {
    const d = simulate();
    d.input(GRANT, T0);
    expect(d.input(OPEN, T0 + 7 * S)).toEqual([
      ev.locked(T0 + 5 * S, "relock_timer"),
      ev.opened(T0 + 7 * S),
      ev.forced(T0 + 7 * S),
    ]);
  });

  it("the authorisation ends at authorised_until itself", () => {
    const d = simulate();
    d.input(GRANT, T0);
    expect(d.input(OPEN, T0 + 5 * S)).toEqual([
      ev.locked(T0 + 5 * S, "relock_timer"),
      ev.opened(T0 + 5 * S),
      ev.forced(T0 + 5 * S),
    ]);
  });
});

describe("forced open", () => {
  it("an opening without a grant: opened then forced_open; closing: closed then secured", () => {
    const d = simulate();
    expect(d.input(OPEN, T0)).toEqual([ev.opened(T0), ev.forced(T0)]);
    expect(d.state).toMatchObject({ contact: "open", alarm: "forced", due_at: null });
    // A forced door is not also held open: one alarm per opening.
    expect(d.advance(T0 + 3600 * S)).toEqual([]);
    expect(d.input(CLOSE, T0 + 3600 * S)).toEqual([
      ev.closed(T0 + 3600 * S),
      ev.secured(T0 + 3600 * S, "forced"),
    ]);
    expect(d.state).toEqual(initialDoorState("normal"));
  });

  it("a grant while a forced door stands open unlocks; the closing secures and relocks", () => {
    const d = simulate();
    d.input(OPEN, T0);
    expect(d.input(GRANT, T0 + S)).toEqual([ev.unlocked(T0 + S, "access_granted")]);
    expect(d.state).toMatchObject({ alarm: "forced", due_at: null });
    expect(d.input(CLOSE, T0 + 10 * S)).toEqual([
      ev.closed(T0 + 10 * S),
      ev.secured(T0 + 10 * S, "forced"),
      ev.locked(T0 + 10 * S, "relock_timer"),
    ]);
  });
});

describe("held open", () => {
  it("an authorised opening past the threshold is held open once; the relock waits for the closing", () => {
    const d = simulate();
    d.input(GRANT, T0);
    d.input(OPEN, T0 + S);
    // relock_at passed while open: nothing to do until the door closes.
    expect(d.advance(T0 + 10 * S)).toEqual([]);
    expect(d.state).toMatchObject({ lock: "unlocked", relock_at: T0 + 5 * S, due_at: T0 + 31 * S });
    expect(d.advance(T0 + 31 * S - 1)).toEqual([]);
    expect(d.advance(T0 + 45 * S)).toEqual([ev.held(T0 + 31 * S, 30)]);
    expect(d.state).toMatchObject({ alarm: "held", due_at: null });
    expect(d.advance(T0 + 3600 * S)).toEqual([]);
    expect(d.input(CLOSE, T0 + 3600 * S)).toEqual([
      ev.closed(T0 + 3600 * S),
      ev.secured(T0 + 3600 * S, "held"),
      ev.locked(T0 + 3600 * S, "relock_timer"),
    ]);
    expect(d.state).toEqual(initialDoorState("normal"));
  });

  it("a closing after the threshold with no sweeper in between still reports held, then secured", () => {
    const d = simulate();
    d.input(EXIT, T0);
    d.input(OPEN, T0);
    expect(d.input(CLOSE, T0 + 40 * S)).toEqual([
      ev.held(T0 + 30 * S, 30),
      ev.closed(T0 + 40 * S),
      ev.secured(T0 + 40 * S, "held"),
      ev.locked(T0 + 40 * S, "relock_timer"),
    ]);
  });

  it("a closing before the threshold raises nothing", () => {
    const d = simulate();
    d.input(GRANT, T0);
    d.input(OPEN, T0);
    expect(d.input(CLOSE, T0 + 30 * S - 1)).toEqual([
      ev.closed(T0 + 30 * S - 1),
      ev.locked(T0 + 30 * S - 1, "relock_timer"),
    ]);
  });

  it("a grant while the door stands open restarts the held-open clock: the door is in use", () => {
    const d = simulate();
    d.input(GRANT, T0);
    d.input(OPEN, T0);
    expect(d.input(GRANT, T0 + 20 * S)).toEqual([]);
    expect(d.state.due_at).toBe(T0 + 50 * S);
    expect(d.advance(T0 + 50 * S)).toEqual([ev.held(T0 + 50 * S, 50)]);
  });
});

describe("idempotent contact reports", () => {
  it("open while open and closed while closed change nothing and emit nothing", () => {
    const d = simulate();
    expect(d.input(CLOSE, T0)).toEqual([]);
    expect(d.state).toEqual(initialDoorState("normal"));
    d.input(GRANT, T0);
    d.input(OPEN, T0 + S);
    const before = d.state;
    expect(d.input(OPEN, T0 + 2 * S)).toEqual([]);
    expect(d.state).toEqual(before);
  });
});

describe("door modes", () => {
  it("the same mode again is no change and no event", () => {
    const d = simulate();
    expect(d.input(toMode("normal"), T0)).toEqual([]);
    expect(d.state).toEqual(initialDoorState("normal"));
  });

  it("unlocked: the lock opens, every opening is authorised and never held open; back to normal relocks", () => {
    const d = simulate();
    expect(d.input(toMode("unlocked"), T0)).toEqual([
      ev.mode(T0, "unlocked", "normal"),
      ev.unlocked(T0, "door_mode"),
    ]);
    expect(d.state).toMatchObject({ lock: "unlocked", relock_at: null, due_at: null });
    expect(d.input(OPEN, T0 + S)).toEqual([ev.opened(T0 + S)]);
    expect(d.advance(T0 + 3600 * S)).toEqual([]);
    expect(d.input(CLOSE, T0 + 3600 * S)).toEqual([ev.closed(T0 + 3600 * S)]);
    // Grants and exit requests have nothing to add: the lock is already open.
    expect(d.input(GRANT, T0 + 3601 * S)).toEqual([]);
    expect(d.input(EXIT, T0 + 3601 * S)).toEqual([]);
    expect(d.state).toMatchObject({
      lock: "unlocked",
      relock_at: null,
      authorised_until: null,
      due_at: null,
    });
    expect(d.input(toMode("normal"), T0 + 3602 * S)).toEqual([
      ev.mode(T0 + 3602 * S, "normal", "unlocked"),
      ev.locked(T0 + 3602 * S, "door_mode"),
    ]);
    expect(d.state).toEqual(initialDoorState("normal"));
  });

  it("leaving free access with the door open locks at once and gives it a full threshold before held open", () => {
    const d = simulate({ ...front, mode: "unlocked" });
    d.input(OPEN, T0);
    expect(d.input(toMode("normal"), T0 + 100 * S)).toEqual([
      ev.mode(T0 + 100 * S, "normal", "unlocked"),
      ev.locked(T0 + 100 * S, "door_mode"),
    ]);
    expect(d.state.due_at).toBe(T0 + 130 * S);
    // open_for_s counts from the opening itself.
    expect(d.advance(T0 + 130 * S)).toEqual([ev.held(T0 + 130 * S, 130)]);
    expect(d.input(CLOSE, T0 + 131 * S)).toEqual([ev.closed(T0 + 131 * S), ev.secured(T0 + 131 * S, "held")]);
  });

  it("entering free access while the door is held open keeps the alarm until it closes, with no new one", () => {
    const d = simulate();
    d.input(EXIT, T0);
    d.input(OPEN, T0);
    d.advance(T0 + 30 * S);
    expect(d.input(toMode("unlocked"), T0 + 40 * S)).toEqual([ev.mode(T0 + 40 * S, "unlocked", "normal")]);
    expect(d.state).toMatchObject({ lock: "unlocked", relock_at: null, alarm: "held", due_at: null });
    expect(d.input(CLOSE, T0 + 50 * S)).toEqual([ev.closed(T0 + 50 * S), ev.secured(T0 + 50 * S, "held")]);
  });

  it("lockdown relocks a granted lock at once and revokes the pending authorisation", () => {
    const d = simulate();
    d.input({ kind: "grant", cause: "remote_api", seconds: 60 }, T0);
    expect(d.input(toMode("locked_down"), T0 + S)).toEqual([
      ev.mode(T0 + S, "locked_down", "normal"),
      ev.locked(T0 + S, "door_mode"),
    ]);
    expect(d.state).toEqual(initialDoorState("locked_down"));
    expect(d.input(OPEN, T0 + 2 * S)).toEqual([ev.opened(T0 + 2 * S), ev.forced(T0 + 2 * S)]);
    expect(d.input(CLOSE, T0 + 3 * S)).toEqual([ev.closed(T0 + 3 * S), ev.secured(T0 + 3 * S, "forced")]);
  });

  it("lockdown ignores grants (refused upstream, fail closed) but lets people out: exit authorises without unlocking", () => {
    const d = simulate({ ...front, mode: "locked_down" });
    expect(d.input(GRANT, T0)).toEqual([]);
    expect(d.input({ kind: "grant", cause: "remote_api", seconds: 60 }, T0)).toEqual([]);
    expect(d.state).toEqual(initialDoorState("locked_down"));
    expect(d.input(EXIT, T0 + S)).toEqual([]);
    expect(d.state).toMatchObject({ lock: "locked", authorised_until: T0 + 6 * S, due_at: null });
    expect(d.input(OPEN, T0 + 2 * S)).toEqual([ev.opened(T0 + 2 * S)]);
    expect(d.advance(T0 + 32 * S)).toEqual([ev.held(T0 + 32 * S, 30)]);
    expect(d.input(CLOSE, T0 + 33 * S)).toEqual([ev.closed(T0 + 33 * S), ev.secured(T0 + 33 * S, "held")]);
  });

  it("leaving lockdown for normal only announces the mode: the lock is already locked", () => {
    const d = simulate({ ...front, mode: "locked_down" });
    expect(d.input(toMode("normal"), T0)).toEqual([ev.mode(T0, "normal", "locked_down")]);
    expect(d.state).toEqual(initialDoorState("normal"));
  });

  it("from unlocked straight to lockdown locks", () => {
    const d = simulate({ ...front, mode: "unlocked" });
    expect(d.input(toMode("locked_down"), T0)).toEqual([
      ev.mode(T0, "locked_down", "unlocked"),
      ev.locked(T0, "door_mode"),
    ]);
  });
});

describe("doorDueAt", () => {
  const base = initialDoorState("normal");
  it("is the relock of a closed door, the held-open threshold of an open one, or null", () => {
    expect(doorDueAt(base)).toBeNull();
    expect(doorDueAt({ ...base, lock: "unlocked", relock_at: 10 })).toBe(10);
    expect(doorDueAt({ ...base, contact: "open", lock: "unlocked", relock_at: 10, held_at: 40 })).toBe(40);
    expect(doorDueAt({ ...base, contact: "open", lock: "unlocked", relock_at: 10 })).toBeNull();
    expect(doorDueAt({ ...base, contact: "open", alarm: "forced", held_at: 40 })).toBeNull();
  });
});

// Random doors driven by random inputs at random times, with a sweeper calling advance now and then.
type Action = DoorInput | "advance";
interface Step {
  dt: number;
  action: Action;
}

const arbConfig: fc.Arbitrary<DoorConfig> = fc
  .record({
    mode: fc.constantFrom<DoorMode>("normal", "normal", "unlocked", "locked_down"),
    unlock_duration_s: fc.integer({ min: 1, max: 20 }),
    held_open_threshold_s: fc.integer({ min: 1, max: 60 }),
  })
  .map((c) => ({ ...front, ...c }));

const arbInput: fc.Arbitrary<DoorInput> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(OPEN, CLOSE) },
  { weight: 2, arbitrary: fc.constant(EXIT) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant("grant" as const),
      cause: fc.constantFrom("access_granted" as const, "remote_api" as const),
      seconds: fc.option(fc.integer({ min: 1, max: 120 }), { nil: undefined }),
    }),
  },
  { weight: 1, arbitrary: fc.constantFrom<DoorMode>("normal", "unlocked", "locked_down").map(toMode) },
);

const arbSteps: fc.Arbitrary<Step[]> = fc.array(
  fc.record({
    // Bursts at the same instant, seconds apart (inside unlock windows), and minutes apart.
    dt: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 8000 }), fc.integer({ min: 1, max: 90_000 })),
    action: fc.oneof(
      { weight: 4, arbitrary: arbInput },
      { weight: 1, arbitrary: fc.constant("advance" as const) },
    ),
  }),
  { maxLength: 40 },
);

interface Call {
  now: number;
  action: Action;
  config: DoorConfig;
  before: DoorState;
  after: DoorState;
  events: DoorEffect[];
}

/** Runs the steps; `sweeper: false` skips every advance (time still passes). Ends with an advance an hour later. */
function drive(config: DoorConfig, steps: Step[], sweeper = true) {
  let cfg = config;
  let state = initialDoorState(config.mode);
  let now = T0;
  const records: Call[] = [];
  const all: Step[] = [...steps, { dt: 3600 * S, action: "advance" }];
  all.forEach(({ dt, action }, i) => {
    now += dt;
    if (action === "advance" && !sweeper && i < all.length - 1) return;
    const before = state;
    const step =
      action === "advance" ? advanceDoor(cfg, state, now) : applyDoorInput(cfg, state, action, now);
    records.push({ now, action, config: cfg, before, after: step.state, events: step.events });
    state = step.state;
    if (action !== "advance" && action.kind === "mode") cfg = { ...cfg, mode: action.mode };
  });
  return { records, events: records.flatMap((r) => r.events), final: state };
}

const property = (check: (config: DoorConfig, steps: Step[]) => void, numRuns = 500) =>
  fc.assert(fc.property(arbConfig, arbSteps, check), { numRuns });

describe("door state properties", () => {
  it("the generator reaches every event, lock cause and alarm, so the properties below are not vacuous", () => {
    const counts = new Map<string, number>();
    for (const [config, steps] of fc.sample(fc.tuple(arbConfig, arbSteps), { numRuns: 2000, seed: 42 })) {
      for (const e of drive(config, steps).events) {
        const key = e.type.startsWith("lock.") ? `${e.type}:${e.data.cause}` : e.type;
        counts.set(key, (counts.get(key) ?? 0) + 1);
        const secured = `secured:${e.data.previous}`;
        if (e.type === "door.secured") counts.set(secured, (counts.get(secured) ?? 0) + 1);
      }
    }
    for (const key of [
      "door.opened",
      "door.closed",
      "door.forced_open",
      "door.held_open",
      "door.mode_changed",
      "secured:forced",
      "secured:held",
      ...(["access_granted", "remote_api", "exit_button", "door_mode"] as const).map(
        (c) => `lock.unlocked:${c}`,
      ),
      ...(["relock_timer", "door_mode"] as const).map((c) => `lock.locked:${c}`),
    ]) {
      expect(counts.get(key) ?? 0, key).toBeGreaterThanOrEqual(50);
    }
  });

  it("opened and closed alternate; each forced or held alarm is followed by exactly one secured on closing", () => {
    property((config, steps) => {
      const { events } = drive(config, steps);
      let open = false;
      let alarm: string | null = null;
      let raised = 0;
      let secured = 0;
      events.forEach((e, i) => {
        const previous = events[i - 1];
        switch (e.type) {
          case "door.opened":
            expect(open).toBe(false);
            open = true;
            break;
          case "door.forced_open":
          case "door.held_open":
            // One alarm per opening; forced comes right with the opening.
            expect(open).toBe(true);
            expect(alarm).toBeNull();
            if (e.type === "door.forced_open")
              expect(previous).toMatchObject({ type: "door.opened", at: e.at });
            alarm = e.type === "door.forced_open" ? "forced" : "held";
            raised++;
            break;
          case "door.closed":
            expect(open).toBe(true);
            open = false;
            if (alarm)
              expect(events[i + 1]).toMatchObject({ type: "door.secured", data: { previous: alarm } });
            else expect(events[i + 1]?.type).not.toBe("door.secured");
            alarm = null;
            break;
          case "door.secured":
            expect(previous?.type).toBe("door.closed");
            secured++;
            break;
        }
      });
      expect(secured).toBe(raised - (alarm ? 1 : 0));
    });
  });

  it("lock events alternate: never unlocked twice without a locked between, nor locked twice", () => {
    property((config, steps) => {
      let lock = initialDoorState(config.mode).lock;
      for (const e of drive(config, steps).events) {
        if (e.type === "lock.unlocked") {
          expect(lock).toBe("locked");
          lock = "unlocked";
        }
        if (e.type === "lock.locked") {
          expect(lock).toBe("unlocked");
          lock = "locked";
        }
      }
    });
  });

  it("forced_open exactly when an opening is unauthorised: no grant or exit still running, and not free access", () => {
    property((config, steps) => {
      // The authorisation, from the inputs alone: grants in normal mode, exits in normal or lockdown,
      // used up by a closing, dropped by a mode change.
      let until: number | null = null;
      for (const r of drive(config, steps).records) {
        const a = r.action;
        if (a === "advance") continue;
        const mode = r.config.mode;
        if (a.kind === "grant" && mode === "normal")
          until = Math.max(until ?? 0, r.now + (a.seconds ?? config.unlock_duration_s) * S);
        if (a.kind === "exit_button" && mode !== "unlocked")
          until = Math.max(until ?? 0, r.now + config.unlock_duration_s * S);
        if (a.kind === "mode" && a.mode !== mode) until = null;
        if (a.kind === "contact" && a.state === "closed" && r.before.contact === "open") until = null;
        if (a.kind === "contact" && a.state === "open" && r.before.contact === "closed") {
          const authorised = mode === "unlocked" || (until !== null && r.now < until);
          expect(r.events.some((e) => e.type === "door.forced_open")).toBe(!authorised);
        }
      }
    });
  });

  it("due_at is exact: nothing happens before it, something happens at it, nothing ever when null", () => {
    property((config, steps) => {
      for (const { config: cfg, after, now } of drive(config, steps).records) {
        if (after.due_at === null) {
          expect(advanceDoor(cfg, after, now + 365 * 24 * 3600 * S).events).toEqual([]);
          continue;
        }
        expect(after.due_at).toBeGreaterThan(now);
        expect(advanceDoor(cfg, after, after.due_at - 1).events).toEqual([]);
        expect(advanceDoor(cfg, after, after.due_at).events.length).toBeGreaterThan(0);
      }
    }, 300);
  });

  it("advance is idempotent at the same now, and a step leaves nothing due at its own now", () => {
    property((config, steps) => {
      for (const { config: cfg, after, now } of drive(config, steps).records) {
        const again = advanceDoor(cfg, after, now);
        expect(again).toEqual({ state: after, events: [] });
      }
    });
  });

  it("the sweeper's timing changes nothing but latency: the same events, at the same instants, with or without it", () => {
    property((config, steps) => {
      const swept = drive(config, steps, true);
      const unswept = drive(config, steps, false);
      expect(unswept.events).toEqual(swept.events);
      expect(unswept.final).toEqual(swept.final);
    });
  });

  it("events are in time order and never in the future of the call that reports them", () => {
    property((config, steps) => {
      let last = Number.NEGATIVE_INFINITY;
      for (const r of drive(config, steps).records) {
        for (const e of r.events) {
          expect(e.at).toBeGreaterThanOrEqual(last);
          expect(e.at).toBeLessThanOrEqual(r.now);
          last = e.at;
        }
      }
    });
  });

  it("the lock follows the mode; a lock unlocked in normal mode always has a relock time", () => {
    property((config, steps) => {
      for (const r of drive(config, steps).records) {
        const mode = r.action !== "advance" && r.action.kind === "mode" ? r.action.mode : r.config.mode;
        const s = r.after;
        if (mode === "unlocked")
          expect(s).toMatchObject({ lock: "unlocked", relock_at: null, held_at: null });
        if (mode === "locked_down") expect(s).toMatchObject({ lock: "locked", relock_at: null });
        if (mode === "normal" && s.lock === "unlocked") expect(s.relock_at).not.toBeNull();
        if (s.contact === "closed") expect(s).toMatchObject({ open_since: null, alarm: null, held_at: null });
      }
    });
  });

  it("each lock event names the cause that produced it; timers only ever relock or raise held open", () => {
    property((config, steps) => {
      for (const r of drive(config, steps).records) {
        const timed = advanceDoor(r.config, r.before, r.now).events;
        expect(r.events.slice(0, timed.length)).toEqual(timed);
        for (const e of timed) {
          expect(["lock.locked", "door.held_open"]).toContain(e.type);
          if (e.type === "lock.locked") expect(e.data.cause).toBe("relock_timer");
        }
        const a = r.action;
        if (a === "advance") continue;
        for (const e of r.events.slice(timed.length)) {
          if (e.type === "lock.unlocked") {
            const expected = a.kind === "grant" ? a.cause : a.kind === "mode" ? "door_mode" : "exit_button";
            expect(a.kind).not.toBe("contact");
            expect(e.data.cause).toBe(expected);
          }
          if (e.type === "lock.locked") {
            expect(e.data.cause).toBe(a.kind === "mode" ? "door_mode" : "relock_timer");
            if (a.kind !== "mode") expect(a).toEqual(CLOSE);
          }
          if (e.type === "door.held_open") expect.unreachable("held open comes from time, not from an input");
        }
      }
    });
  });

  it("held open reports at least the threshold, and only for an opening that was not forced", () => {
    property((config, steps) => {
      for (const r of drive(config, steps).records) {
        for (const e of r.events.filter((x) => x.type === "door.held_open")) {
          expect(e.data.open_for_s).toBeGreaterThanOrEqual(config.held_open_threshold_s);
          expect(r.before.alarm).toBeNull();
        }
      }
    });
  });

  it("is pure: the inputs are not changed and the same call gives the same answer", () => {
    property((config, steps) => {
      for (const r of drive(config, steps).records) {
        if (r.action === "advance") continue;
        const before = structuredClone(r.before);
        const first = applyDoorInput(r.config, r.before, r.action, r.now);
        expect(applyDoorInput(r.config, r.before, r.action, r.now)).toEqual(first);
        expect(r.before).toEqual(before);
      }
    }, 200);
  });
});
