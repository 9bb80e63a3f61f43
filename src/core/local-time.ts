// An instant read as a site's wall clock (local date, weekday, minute of day) with Intl, no date library.

import type { Weekday } from "./model.js";

export interface WallClock {
  /** Local calendar date, "YYYY-MM-DD". */
  date: string;
  weekday: Weekday;
  /** Minutes since local midnight, 0–1439 (seconds dropped: schedules are minute-grained). */
  minute: number;
}

// Building a DateTimeFormat costs far more than using one, and the decision runs per badge swipe.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      // h23, not hour12: false, which some ICU versions render as "24" at midnight.
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** True when `timeZone` is an IANA zone this runtime knows; for validating a site before it is stored. */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/**
 * The wall clock in `timeZone` at epoch ms `at`. Around DST changes this is what a clock on the wall
 * shows: on spring-forward the skipped hour never appears, on fall-back the repeated hour appears
 * twice. Throws RangeError for an unknown zone (sites are validated when stored).
 */
export function wallClock(at: number, timeZone: string): WallClock {
  let year = 0;
  let month = 0;
  let day = 0;
  let hour = 0;
  let minute = 0;
  for (const part of formatterFor(timeZone).formatToParts(at)) {
    if (part.type === "year") year = Number(part.value);
    else if (part.type === "month") month = Number(part.value);
    else if (part.type === "day") day = Number(part.value);
    else if (part.type === "hour") hour = Number(part.value);
    else if (part.type === "minute") minute = Number(part.value);
  }
  const date = `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
  const weekday = new Date(Date.UTC(year, month - 1, day)).getUTCDay() as Weekday;
  return { date, weekday, minute: hour * 60 + minute };
}
