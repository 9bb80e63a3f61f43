import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseRetryAfter, retryDelay } from "../../src/delivery/backoff.js";

const schedule = fc.array(fc.integer({ min: 0, max: 7_200_000 }), { minLength: 1, maxLength: 10 });
const unit = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });

describe("retryDelay", () => {
  it("stays within [step/2, step] for every retry number, the last step repeating beyond the schedule", () => {
    fc.assert(
      fc.property(schedule, fc.integer({ min: 1, max: 50 }), unit, (steps, retry, r) => {
        const step = steps[Math.min(retry, steps.length) - 1] as number;
        const delay = retryDelay(retry, steps, () => r);
        expect(delay).toBeGreaterThanOrEqual(step / 2);
        expect(delay).toBeLessThanOrEqual(step);
        expect(Number.isInteger(delay)).toBe(true);
      }),
    );
  });

  it("uses the whole jitter window: half the step at random 0, (nearly) the step at random → 1", () => {
    const steps = [1000, 4000, 10_000];
    expect(retryDelay(1, steps, () => 0)).toBe(500);
    expect(retryDelay(2, steps, () => 0)).toBe(2000);
    expect(retryDelay(3, steps, () => 0.999_999)).toBe(10_000);
    expect(retryDelay(3, steps, () => 0.5)).toBe(7500);
  });

  it("repeats the last step for retries past the schedule", () => {
    const steps = [100, 200, 400];
    for (const retry of [3, 4, 10, 1000]) expect(retryDelay(retry, steps, () => 0)).toBe(200);
  });

  it("grows with the schedule: a later retry never waits less than an earlier one at the same jitter", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 1_000_000 }), { minLength: 1, maxLength: 8 }),
        unit,
        (raw, r) => {
          const steps = [...raw].sort((a, b) => a - b);
          for (let retry = 1; retry < steps.length + 3; retry++) {
            expect(retryDelay(retry + 1, steps, () => r)).toBeGreaterThanOrEqual(
              retryDelay(retry, steps, () => r),
            );
          }
        },
      ),
    );
  });

  it("answers 0 for an empty schedule", () => {
    expect(retryDelay(1, [], () => 0.5)).toBe(0);
  });
});

describe("parseRetryAfter", () => {
  const now = Date.UTC(2026, 0, 1, 12, 0, 0);

  it("reads delta-seconds as milliseconds", () => {
    expect(parseRetryAfter("0", now)).toBe(0);
    expect(parseRetryAfter("1", now)).toBe(1000);
    expect(parseRetryAfter("120", now)).toBe(120_000);
    expect(parseRetryAfter(" 30 ", now)).toBe(30_000);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000 }), (s) => {
        expect(parseRetryAfter(String(s), now)).toBe(s * 1000);
      }),
    );
  });

  it("reads an HTTP date as the time from now until then", () => {
    expect(parseRetryAfter("Thu, 01 Jan 2026 12:00:30 GMT", now)).toBe(30_000);
    expect(parseRetryAfter(new Date(now + 90_000).toUTCString(), now)).toBe(90_000);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 365 * 24 * 3600 }), (s) => {
        expect(parseRetryAfter(new Date(now + s * 1000).toUTCString(), now)).toBe(s * 1000);
      }),
    );
  });

  it("answers 0 for an HTTP date in the past", () => {
    expect(parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT", now)).toBe(0);
  });

  it("answers null for a missing header or garbage", () => {
    for (const value of [undefined, null, "", "   ", "soon", "12abc", "0x10", "5 seconds", "NaN"]) {
      expect(parseRetryAfter(value, now)).toBeNull();
    }
  });

  it("never answers a negative or NaN delay, whatever the header", () => {
    fc.assert(
      fc.property(fc.string(), (value) => {
        const ms = parseRetryAfter(value, now);
        if (ms !== null) {
          expect(Number.isNaN(ms)).toBe(false);
          expect(ms).toBeGreaterThanOrEqual(0);
        }
      }),
    );
  });
});

describe("Retry-After that is neither seconds nor an HTTP date", () => {
  it.each(["1.5", "-1", "2x", "soon", ""])("%j is ignored", (value) => {
    expect(parseRetryAfter(value, 0)).toBeNull();
  });
});
