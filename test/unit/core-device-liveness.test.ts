import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  checkLiveness,
  type DeviceLiveness,
  heartbeat,
  initialDeviceLiveness,
  type LivenessEventType,
  livenessDueAt,
} from "../../src/core/device-liveness.js";

const T0 = Date.parse("2026-03-02T09:00:00Z");
const TIMEOUT = 60_000;

describe("heartbeat", () => {
  it("the first heartbeat of a never-seen device connects it and says so", () => {
    expect(initialDeviceLiveness()).toEqual({ connected: false, last_seen_at: null });
    expect(heartbeat(initialDeviceLiveness(), T0)).toEqual({
      state: { connected: true, last_seen_at: T0 },
      events: ["device.connected"],
    });
  });

  it("further heartbeats only move last_seen_at", () => {
    expect(heartbeat({ connected: true, last_seen_at: T0 }, T0 + 5000)).toEqual({
      state: { connected: true, last_seen_at: T0 + 5000 },
      events: [],
    });
  });

  it("a late heartbeat never moves last_seen_at back", () => {
    expect(heartbeat({ connected: true, last_seen_at: T0 }, T0 - 5000).state.last_seen_at).toBe(T0);
  });

  it("a heartbeat after a disconnect connects again", () => {
    expect(heartbeat({ connected: false, last_seen_at: T0 }, T0 + 120_000)).toEqual({
      state: { connected: true, last_seen_at: T0 + 120_000 },
      events: ["device.connected"],
    });
  });
});

describe("checkLiveness and livenessDueAt", () => {
  const seen: DeviceLiveness = { connected: true, last_seen_at: T0 };

  it("disconnects once the silence exceeds the timeout, not when it equals it", () => {
    expect(checkLiveness(seen, T0 + TIMEOUT, TIMEOUT)).toEqual({ state: seen, events: [] });
    expect(checkLiveness(seen, T0 + TIMEOUT + 1, TIMEOUT)).toEqual({
      state: { connected: false, last_seen_at: T0 },
      events: ["device.disconnected"],
    });
  });

  it("reports the disconnect once: a disconnected device stays quiet", () => {
    const gone = checkLiveness(seen, T0 + 2 * TIMEOUT, TIMEOUT).state;
    expect(checkLiveness(gone, T0 + 10 * TIMEOUT, TIMEOUT)).toEqual({ state: gone, events: [] });
  });

  it("a device never seen is never disconnected and never due", () => {
    const never = initialDeviceLiveness();
    expect(checkLiveness(never, T0, TIMEOUT)).toEqual({ state: never, events: [] });
    expect(livenessDueAt(never, TIMEOUT)).toBeNull();
  });

  it("is due at the first instant the check disconnects; not due once disconnected", () => {
    expect(livenessDueAt(seen, TIMEOUT)).toBe(T0 + TIMEOUT + 1);
    expect(livenessDueAt({ connected: false, last_seen_at: T0 }, TIMEOUT)).toBeNull();
  });
});

describe("liveness properties", () => {
  // Heartbeats and checks at random times, some out of order, with random timeouts.
  const arbRun = fc.record({
    timeout: fc.integer({ min: 1, max: 120_000 }),
    steps: fc.array(
      fc.record({
        dt: fc.integer({ min: -5_000, max: 200_000 }),
        kind: fc.constantFrom<"heartbeat" | "check">("heartbeat", "check", "check"),
      }),
      { maxLength: 50 },
    ),
  });

  function drive(timeout: number, steps: { dt: number; kind: "heartbeat" | "check" }[]) {
    let state = initialDeviceLiveness();
    let now = T0;
    const events: LivenessEventType[] = [];
    const records: { now: number; before: DeviceLiveness; after: DeviceLiveness }[] = [];
    for (const { dt, kind } of steps) {
      now += dt;
      const step = kind === "heartbeat" ? heartbeat(state, now) : checkLiveness(state, now, timeout);
      records.push({ now, before: state, after: step.state });
      events.push(...step.events);
      state = step.state;
    }
    return { events, records };
  }

  it("the generator reaches reconnections, so the properties below are not vacuous", () => {
    const runs = fc.sample(arbRun, { numRuns: 500, seed: 42 });
    const reconnected = runs.filter(({ timeout, steps }) => drive(timeout, steps).events.length >= 3);
    expect(reconnected.length).toBeGreaterThanOrEqual(100);
  });

  it("connected and disconnected alternate, starting with connected", () => {
    fc.assert(
      fc.property(arbRun, ({ timeout, steps }) => {
        const { events } = drive(timeout, steps);
        events.forEach((e, i) => {
          expect(e).toBe(i % 2 === 0 ? "device.connected" : "device.disconnected");
        });
      }),
      { numRuns: 500 },
    );
  });

  it("livenessDueAt is exact: no disconnect before it, a disconnect at it", () => {
    fc.assert(
      fc.property(arbRun, ({ timeout, steps }) => {
        for (const { after } of drive(timeout, steps).records) {
          const due = livenessDueAt(after, timeout);
          if (due === null) {
            expect(checkLiveness(after, T0 + 1e12, timeout).events).toEqual([]);
            continue;
          }
          expect(checkLiveness(after, due - 1, timeout).events).toEqual([]);
          expect(checkLiveness(after, due, timeout).events).toEqual(["device.disconnected"]);
        }
      }),
      { numRuns: 500 },
    );
  });

  it("last_seen_at never goes back, and a check is idempotent at the same now", () => {
    fc.assert(
      fc.property(arbRun, ({ timeout, steps }) => {
        for (const { now, before, after } of drive(timeout, steps).records) {
          if (before.last_seen_at !== null)
            expect(after.last_seen_at).toBeGreaterThanOrEqual(before.last_seen_at);
          const once = checkLiveness(after, now, timeout);
          expect(checkLiveness(once.state, now, timeout)).toEqual({ state: once.state, events: [] });
        }
      }),
      { numRuns: 500 },
    );
  });
});
