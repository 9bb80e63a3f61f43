import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { retryDelay } from "../../src/delivery/backoff.js";
import { type AttemptResult, decideOutcome, type OutcomePolicy } from "../../src/delivery/outcome.js";

const now = Date.UTC(2026, 0, 1);
const policy: OutcomePolicy = {
  maxRetries: 3,
  retryScheduleMs: [1000, 5000, 30_000],
  maxRetryAfterMs: 3_600_000,
};
const unit = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });
const attemptNo = fc.integer({ min: 1, max: 20 });
const maxRetries = fc.integer({ min: 0, max: 5 });

/** Every kind of failed attempt that is worth retrying. */
const retryable: fc.Arbitrary<AttemptResult> = fc.oneof(
  fc
    .integer({ min: 100, max: 599 })
    .filter((s) => (s < 200 || s >= 300) && s !== 410)
    .map((status) => ({ status })),
  fc.constant({ error: "timeout: no complete response within 1000 ms" }),
  fc.constant({ error: "ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:9" }),
  fc.constant({ error: "network error: other side closed" }),
);

describe("decideOutcome", () => {
  it("counts any 2xx as success, on any attempt", () => {
    fc.assert(
      fc.property(fc.integer({ min: 200, max: 299 }), attemptNo, maxRetries, (status, attempt, max) => {
        expect(decideOutcome(attempt, { status }, { ...policy, maxRetries: max }, now)).toEqual({
          kind: "succeeded",
        });
      }),
    );
  });

  it("takes 410 as gone at once, whatever attempts are left", () => {
    fc.assert(
      fc.property(attemptNo, maxRetries, (attempt, max) => {
        expect(decideOutcome(attempt, { status: 410 }, { ...policy, maxRetries: max }, now)).toEqual({
          kind: "gone",
        });
      }),
    );
  });

  it("fails a refused target without retrying, even with retries left", () => {
    const refused = { error: "refused: localhost resolves to 127.0.0.1 (loopback)", refused: true };
    const outcome = decideOutcome(1, refused, { ...policy, maxRetries: 5 }, now);
    expect(outcome).toEqual({ kind: "failed", reason: refused.error });
  });

  it("retries other statuses, timeouts and network errors while attempt <= maxRetries, then fails", () => {
    fc.assert(
      fc.property(retryable, attemptNo, maxRetries, unit, (result, attempt, max, r) => {
        const outcome = decideOutcome(attempt, result, { ...policy, maxRetries: max }, now, () => r);
        if (attempt <= max) {
          expect(outcome).toEqual({
            kind: "retry",
            delayMs: retryDelay(attempt, policy.retryScheduleMs, () => r),
          });
        } else {
          expect(outcome.kind).toBe("failed");
        }
      }),
    );
  });

  it("gives max_retries + 1 attempts in all", () => {
    for (let max = 0; max <= 5; max++) {
      let attempt = 1;
      while (decideOutcome(attempt, { status: 503 }, { ...policy, maxRetries: max }, now).kind === "retry")
        attempt++;
      expect(attempt).toBe(max + 1);
    }
  });

  it("does not retry at all with max_retries 0", () => {
    expect(decideOutcome(1, { status: 500 }, { ...policy, maxRetries: 0 }, now)).toEqual({
      kind: "failed",
      reason: "gave up after 1 attempt",
    });
    expect(decideOutcome(1, { error: "timeout" }, { ...policy, maxRetries: 0 }, now).kind).toBe("failed");
  });

  it("says how many attempts it gave up after", () => {
    expect(decideOutcome(4, { status: 500 }, policy, now)).toEqual({
      kind: "failed",
      reason: "gave up after 4 attempts",
    });
  });

  it("honours a Retry-After longer than the schedule", () => {
    const outcome = decideOutcome(1, { status: 429, retryAfter: "120" }, policy, now, () => 0.5);
    expect(outcome).toEqual({ kind: "retry", delayMs: 120_000 });
    const dated = decideOutcome(
      1,
      { status: 503, retryAfter: new Date(now + 600_000).toUTCString() },
      policy,
      now,
      () => 0.5,
    );
    expect(dated).toEqual({ kind: "retry", delayMs: 600_000 });
  });

  it("caps a Retry-After at maxRetryAfterMs", () => {
    const outcome = decideOutcome(1, { status: 503, retryAfter: "86400" }, policy, now);
    expect(outcome).toEqual({ kind: "retry", delayMs: policy.maxRetryAfterMs });
  });

  it("never brings a retry sooner than the schedule when the cap is below the scheduled delay", () => {
    const p = { maxRetries: 5, retryScheduleMs: [600_000], maxRetryAfterMs: 60_000 };
    for (const retryAfter of ["0", "30", "86400"]) {
      expect(decideOutcome(1, { status: 503, retryAfter }, p, now, () => 0)).toEqual({
        kind: "retry",
        delayMs: 300_000,
      });
    }
  });

  it("keeps the schedule when Retry-After is shorter or garbage", () => {
    const scheduled = retryDelay(2, policy.retryScheduleMs, () => 0.5);
    for (const retryAfter of ["0", "1", "soon", "", null]) {
      expect(decideOutcome(2, { status: 503, retryAfter }, policy, now, () => 0.5)).toEqual({
        kind: "retry",
        delayMs: scheduled,
      });
    }
  });

  it("never lets a Retry-After bring a retry sooner than the schedule, nor later than the larger of the cap and the schedule", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 7_200_000 }), { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 0, max: 7_200_000 }),
        fc.integer({ min: 0, max: 100_000 }),
        fc.integer({ min: 1, max: 5 }),
        unit,
        (steps, cap, seconds, attempt, r) => {
          const p = { maxRetries: 5, retryScheduleMs: steps, maxRetryAfterMs: cap };
          const scheduled = retryDelay(attempt, steps, () => r);
          const outcome = decideOutcome(
            attempt,
            { status: 503, retryAfter: String(seconds) },
            p,
            now,
            () => r,
          );
          if (outcome.kind !== "retry") throw new Error(`expected a retry, got ${outcome.kind}`);
          expect(outcome.delayMs).toBeGreaterThanOrEqual(scheduled);
          expect(outcome.delayMs).toBeLessThanOrEqual(Math.max(cap, scheduled));
          if (seconds * 1000 > scheduled && seconds * 1000 <= cap)
            expect(outcome.delayMs).toBe(seconds * 1000);
        },
      ),
    );
  });
});
