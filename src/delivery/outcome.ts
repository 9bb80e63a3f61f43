// The delivery state machine's one decision: after an attempt, is it done, retried, failed, or is the webhook gone?
import { parseRetryAfter, retryDelay } from "./backoff.js";

export interface AttemptResult {
  /** HTTP status, when a response arrived. */
  status?: number;
  retryAfter?: string | null;
  /** Set when no response arrived (network error, timeout) or the target was refused. */
  error?: string;
  /** The target itself is not allowed (SSRF guard): retrying cannot help. */
  refused?: boolean;
}

export type Outcome =
  | { kind: "succeeded" }
  | { kind: "retry"; delayMs: number }
  | { kind: "failed"; reason: string }
  | { kind: "gone" };

export interface OutcomePolicy {
  maxRetries: number;
  retryScheduleMs: readonly number[];
  maxRetryAfterMs: number;
}

/** Decides what follows attempt number `attempt` (1 = the first try). */
export function decideOutcome(
  attempt: number,
  result: AttemptResult,
  policy: OutcomePolicy,
  now: number,
  random: () => number = Math.random,
): Outcome {
  if (result.status !== undefined && result.status >= 200 && result.status < 300)
    return { kind: "succeeded" };
  if (result.status === 410) return { kind: "gone" };
  if (result.refused) return { kind: "failed", reason: result.error ?? "target refused" };
  if (attempt > policy.maxRetries) {
    return { kind: "failed", reason: `gave up after ${attempt} attempt${attempt === 1 ? "" : "s"}` };
  }
  const scheduled = retryDelay(attempt, policy.retryScheduleMs, random);
  const asked = parseRetryAfter(result.retryAfter, now);
  // The cap limits how long a receiver may defer us; it never makes a retry sooner than the schedule.
  const delayMs = asked === null ? scheduled : Math.max(scheduled, Math.min(asked, policy.maxRetryAfterMs));
  return { kind: "retry", delayMs };
}
