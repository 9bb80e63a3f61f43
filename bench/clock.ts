// Wall-clock milliseconds with sub-millisecond precision, comparable between processes on one machine.

/** performance.timeOrigin is the wall clock at process start; adding the monotonic offset keeps it precise. */
export function now(): number {
  return performance.timeOrigin + performance.now();
}
