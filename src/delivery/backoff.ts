// When to try again: exponential schedule with full jitter, and the receiver's Retry-After honoured within a cap.

/**
 * The delay before retry number `retry` (1-based). Full jitter spreads a burst of failures over
 * the whole window so a recovering receiver is not hit by every retry at once; a floor of half
 * the step keeps retries from landing immediately.
 */
export function retryDelay(
  retry: number,
  scheduleMs: readonly number[],
  random: () => number = Math.random,
): number {
  if (scheduleMs.length === 0) return 0;
  const step = scheduleMs[Math.min(retry, scheduleMs.length) - 1] ?? 0;
  return Math.round(step / 2 + random() * (step / 2));
}

/** Parses a Retry-After header (delta-seconds or an HTTP date) into milliseconds from `now`. */
export function parseRetryAfter(value: string | undefined | null, now: number): number | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  // Only an HTTP date (it has a month or weekday name); Date.parse alone would read "1.5" or "-1" as dates.
  if (!/[A-Za-z]{3}/.test(trimmed)) return null;
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return null;
  return Math.max(0, at - now);
}
