// The simulator's day plan: deterministic per seed, every scripted incident present, scaled by the
// options, ordered in time, and timed so the server's real-time timers fire within the run.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TIMERS } from "../../src/simulate/building.js";
import { type Action, countKinds, DAY_MS, type PlanOptions, planDay } from "../../src/simulate/day.js";

const base: PlanOptions = { seed: 7, people: 20, doors: 4, speed: 60, durationMs: 20_000 };

const passages = (actions: Action[]) =>
  actions.filter((a): a is Extract<Action, { kind: "passage" }> => a.kind === "passage");

describe("the day plan", () => {
  it("is the same for the same seed, and differs for another", () => {
    expect(planDay(base)).toEqual(planDay(base));
    expect(planDay({ ...base, seed: 8 }).actions).not.toEqual(planDay(base).actions);
  });

  it("has every scripted incident", () => {
    const plan = planDay(base);
    const { actions, incidents } = plan;
    const at = (pred: (a: Action) => boolean) => actions.findIndex(pred);

    expect(actions).toContainEqual(expect.objectContaining({ kind: "forced", door: 0 }));
    expect(actions.filter((a) => a.kind === "unknown_card").length).toBeGreaterThanOrEqual(1);

    const held = passages(actions).find((a) => a.holdOpenMs !== undefined);
    expect(held).toMatchObject({ door: incidents.heldDoor, expect: "granted" });
    expect(held?.holdOpenMs).toBeGreaterThan(TIMERS.serverRoomHeldOpenS * 1000);

    // Suspended, refused, reinstated, in that order; then let in.
    const s = incidents.suspended;
    const suspend = at((a) => a.kind === "suspend" && a.person === s);
    const refused = at((a) => a.kind === "passage" && a.person === s && a.expect === "denied");
    const reactivate = at((a) => a.kind === "reactivate" && a.person === s);
    const admitted = at((a) => a.kind === "passage" && a.person === s && a.expect === "granted");
    expect([suspend, refused, reactivate, admitted].every((i) => i >= 0)).toBe(true);
    expect(suspend).toBeLessThan(refused);
    expect(refused).toBeLessThan(reactivate);
    expect(reactivate).toBeLessThan(admitted);

    // A new card is issued before it is used, and used.
    const issued = at((a) => a.kind === "add_card" && a.person === incidents.newCard);
    const used = at((a) => a.kind === "passage" && a.by === "new_card");
    expect(issued).toBeGreaterThanOrEqual(0);
    expect(used).toBeGreaterThan(issued);

    expect(passages(actions)).toContainEqual(
      expect.objectContaining({ person: incidents.contractor, door: 2, expect: "denied" }),
    );
    const types = actions.flatMap((a) => (a.kind === "device_event" ? [a.type] : []));
    expect(types.some((t) => t.startsWith("call."))).toBe(true);
    expect(types.some((t) => t.startsWith("alarm."))).toBe(true);
  });

  it("keeps the dropped device silent long enough, in real time, to be reported, then brings it back", () => {
    for (const options of [base, { ...base, durationMs: 3_600_000, speed: 10 }]) {
      const plan = planDay(options);
      const { silentDevice, silentFrom, silentUntil } = plan.incidents;
      const beats = plan.actions.filter((a) => a.kind === "heartbeat" && a.device === silentDevice);
      const before = beats.filter((a) => a.at < silentFrom).at(-1);
      const after = beats.find((a) => a.at >= silentFrom);
      expect(before).toBeDefined();
      expect(after?.at).toBe(silentUntil);
      const silenceRealMs = ((after?.at ?? 0) - (before?.at ?? 0)) / plan.ratio;
      expect(silenceRealMs).toBeGreaterThanOrEqual(TIMERS.heartbeatTimeoutS * 1000 + 3_000);
      // Nothing else reaches that device (an input would be a sign of life) while it is silent.
      const touching = plan.actions.filter(
        (a) =>
          a.at >= silentFrom &&
          a.at < silentUntil &&
          ((a.kind === "passage" && a.door === silentDevice) ||
            (a.kind === "device_event" && a.device === silentDevice)),
      );
      expect(touching).toEqual([]);
      // Every other device beats well within its timeout.
      const gap = TIMERS.heartbeatEveryMs * plan.ratio;
      expect(gap / plan.ratio).toBeLessThan(TIMERS.heartbeatTimeoutS * 1000);
    }
  });

  it("scales with people and doors", () => {
    const small = countKinds(planDay(base));
    const morePeople = countKinds(planDay({ ...base, people: 80 }));
    const moreDoors = countKinds(planDay({ ...base, doors: 12 }));
    expect(morePeople.passage).toBeGreaterThan(small.passage * 3);
    expect(moreDoors.heartbeat).toBeGreaterThan(small.heartbeat * 2.5);
    const doorsUsed = new Set(passages(planDay({ ...base, doors: 12 }).actions).map((a) => a.door));
    expect(doorsUsed.size).toBe(12);
  });

  it("runs at the given speed when the day fits, and compresses it to fit the duration otherwise", () => {
    expect(planDay({ ...base, speed: 100, durationMs: 12 * 3_600_000 }).ratio).toBe(100);
    const squeezed = planDay({ ...base, speed: 10, durationMs: 60_000 });
    expect(squeezed.ratio).toBe(DAY_MS / 60_000);
  });

  it("refuses options it cannot plan a day for, naming the option", () => {
    expect(() => planDay({ ...base, doors: 3 })).toThrow(/^doors: /);
    expect(() => planDay({ ...base, people: 2 })).toThrow(/^people: /);
    expect(() => planDay({ ...base, durationMs: 5_000 })).toThrow(/^duration: /);
  });

  it("orders actions in time, within the day and the duration, and keeps anti-passback consistent", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 32 - 1 }),
        fc.integer({ min: 5, max: 60 }),
        fc.integer({ min: 4, max: 10 }),
        fc.integer({ min: 20_000, max: 3_600_000 }),
        (seed, people, doors, durationMs) => {
          const plan = planDay({ seed, people, doors, speed: 60, durationMs });
          const times = plan.actions.map((a) => a.at);
          expect(times).toEqual([...times].sort((a, b) => a - b));
          expect(times[0]).toBeGreaterThanOrEqual(0);
          expect((times.at(-1) ?? 0) / plan.ratio).toBeLessThanOrEqual(durationMs);
          // Each person's granted card passages alternate entrance (0), exit (1), starting with the entrance.
          const byPerson = new Map<number, number[]>();
          for (const p of passages(plan.actions)) {
            if (p.door > 1 || p.expect !== "granted" || p.by === "exit_button") continue;
            byPerson.set(p.person, [...(byPerson.get(p.person) ?? []), p.door]);
          }
          for (const seq of byPerson.values()) {
            expect(seq).toEqual(seq.map((_, i) => i % 2));
            expect(seq.length % 2).toBe(0);
          }
        },
      ),
      { numRuns: 30 },
    );
  });
});
