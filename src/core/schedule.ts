// Is an instant inside a weekly schedule, or on a holiday, in the site's local wall-clock time.

import { type WallClock, wallClock } from "./local-time.js";
import type { Holiday, Schedule, ScheduleWindow } from "./model.js";

const CLOCK = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Minutes since midnight of "HH:MM" (00:00–23:59, or "24:00" = 1440), or null when malformed. */
export function parseClock(clock: string): number | null {
  if (clock === "24:00") return 1440;
  const match = CLOCK.exec(clock);
  return match ? Number(match[1]) * 60 + Number(match[2]) : null;
}

/**
 * Why a window cannot match anything, or null when it is well formed. Midnight-crossing windows
 * are refused on purpose: they are two windows, one on each day, so each day's rule reads alone.
 */
export function windowProblem(window: Pick<ScheduleWindow, "start" | "end">): string | null {
  const start = parseClock(window.start);
  const end = parseClock(window.end);
  if (start === null || start === 1440) return `start: must be HH:MM between 00:00 and 23:59`;
  if (end === null) return `end: must be HH:MM between 00:00 and 24:00`;
  if (end <= start) return "end: must be after start (split a window crossing midnight in two)";
  return null;
}

/** Start inclusive, end exclusive; a malformed window matches nothing (fail closed). */
function minuteInWindow(minute: number, window: Pick<ScheduleWindow, "start" | "end">): boolean {
  if (windowProblem(window) !== null) return false;
  return minute >= (parseClock(window.start) as number) && minute < (parseClock(window.end) as number);
}

/** True when the schedule has a window containing the local wall-clock minute. */
export function wallClockInSchedule(schedule: Schedule, clock: WallClock): boolean {
  return schedule.windows.some((w) => w.day === clock.weekday && minuteInWindow(clock.minute, w));
}

/**
 * True when `at` (epoch ms) falls in one of the schedule's weekly windows, read in `timeZone`.
 * Only the local wall clock matters: a 02:00–03:00 window on a spring-forward night has no instants,
 * and on a fall-back night both passes through 01:30 are inside a 01:00–02:00 window.
 */
export function isWithinSchedule(schedule: Schedule, at: number, timeZone: string): boolean {
  return wallClockInSchedule(schedule, wallClock(at, timeZone));
}

/** The holiday in force at the local wall-clock time, if any. */
export function holidayAt(holidays: readonly Holiday[], clock: WallClock): Holiday | undefined {
  return holidays.find((h) => h.date === clock.date && (h.all_day || minuteInWindow(clock.minute, h)));
}

/**
 * True when `at` is on a holiday in `timeZone`: an all-day holiday runs from local midnight to the
 * next local midnight (23 or 25 hours on DST days). The caller passes the site's holidays only.
 */
export function isHoliday(holidays: readonly Holiday[], at: number, timeZone: string): boolean {
  return holidayAt(holidays, wallClock(at, timeZone)) !== undefined;
}
