import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isValidTimeZone, wallClock } from "../../src/core/local-time.js";
import type { Holiday, Schedule, ScheduleWindow, Weekday } from "../../src/core/model.js";
import { isHoliday, isWithinSchedule, parseClock, windowProblem } from "../../src/core/schedule.js";

const MINUTE = 60_000;

/** Every whole minute in [from, to) as epoch ms. */
function minutes(from: string, to: string): number[] {
  const out: number[] = [];
  for (let t = Date.parse(from); t < Date.parse(to); t += MINUTE) out.push(t);
  return out;
}

function schedule(...windows: ScheduleWindow[]): Schedule {
  return { id: "s", windows };
}

const allWeek = schedule(
  ...([0, 1, 2, 3, 4, 5, 6] as Weekday[]).map((day) => ({ day, start: "00:00", end: "24:00" })),
);

describe("parseClock and windowProblem", () => {
  it("reads HH:MM from 00:00 to 23:59, and 24:00 as the end of the day", () => {
    expect(parseClock("00:00")).toBe(0);
    expect(parseClock("08:30")).toBe(510);
    expect(parseClock("23:59")).toBe(1439);
    expect(parseClock("24:00")).toBe(1440);
    for (const bad of ["24:01", "25:00", "8:00", "08:60", "0800", "", "08:00:00", " 08:00"]) {
      expect(parseClock(bad)).toBeNull();
    }
  });

  it("refuses windows that cannot match: malformed, empty, reversed (crossing midnight), starting at 24:00", () => {
    expect(windowProblem({ start: "08:00", end: "18:00" })).toBeNull();
    expect(windowProblem({ start: "00:00", end: "24:00" })).toBeNull();
    expect(windowProblem({ start: "22:00", end: "06:00" })).toMatch(/crossing midnight/);
    expect(windowProblem({ start: "08:00", end: "08:00" })).toMatch(/after start/);
    expect(windowProblem({ start: "24:00", end: "24:00" })).toMatch(/^start/);
    expect(windowProblem({ start: "8", end: "09:00" })).toMatch(/^start/);
    expect(windowProblem({ start: "08:00", end: "9" })).toMatch(/^end/);
  });
});

describe("wallClock", () => {
  it("agrees with Date's UTC fields in UTC, for any instant", () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1971, 0, 1), max: Date.UTC(2100, 0, 1) }), (at) => {
        const d = new Date(at);
        const clock = wallClock(at, "UTC");
        expect(clock.date).toBe(d.toISOString().slice(0, 10));
        expect(clock.weekday).toBe(d.getUTCDay());
        expect(clock.minute).toBe(d.getUTCHours() * 60 + d.getUTCMinutes());
      }),
    );
  });

  it("reads midnight as minute 0, not 24:00", () => {
    expect(wallClock(Date.parse("2026-03-01T23:00:00Z"), "Europe/Berlin")).toEqual({
      date: "2026-03-02",
      weekday: 1,
      minute: 0,
    });
  });

  it("knows IANA zones and refuses others", () => {
    expect(isValidTimeZone("Europe/Berlin")).toBe(true);
    expect(isValidTimeZone("Australia/Lord_Howe")).toBe(true);
    expect(isValidTimeZone("Mars/Olympus_Mons")).toBe(false);
    expect(() => wallClock(0, "Mars/Olympus_Mons")).toThrow(RangeError);
  });
});

describe("isWithinSchedule", () => {
  const weekdays = schedule({ day: 1, start: "08:00", end: "18:00" });

  it("reads windows in the site's zone: start inclusive, end exclusive", () => {
    // Monday 2026-03-02, Berlin is UTC+1.
    expect(isWithinSchedule(weekdays, Date.parse("2026-03-02T06:59:59.999Z"), "Europe/Berlin")).toBe(false);
    expect(isWithinSchedule(weekdays, Date.parse("2026-03-02T07:00:00Z"), "Europe/Berlin")).toBe(true);
    expect(isWithinSchedule(weekdays, Date.parse("2026-03-02T16:59:59.999Z"), "Europe/Berlin")).toBe(true);
    expect(isWithinSchedule(weekdays, Date.parse("2026-03-02T17:00:00Z"), "Europe/Berlin")).toBe(false);
    // The same instant is 03:00 in New York: outside.
    expect(isWithinSchedule(weekdays, Date.parse("2026-03-02T08:00:00Z"), "America/New_York")).toBe(false);
    expect(isWithinSchedule(weekdays, Date.parse("2026-03-02T13:00:00Z"), "America/New_York")).toBe(true);
  });

  it("uses the local weekday, which can differ from the UTC one", () => {
    // Sunday 2026-03-01 23:30 UTC is Monday 10:30 in Sydney (UTC+11): the Monday window applies.
    expect(isWithinSchedule(weekdays, Date.parse("2026-03-01T23:30:00Z"), "Australia/Sydney")).toBe(true);
    expect(isWithinSchedule(weekdays, Date.parse("2026-03-01T23:30:00Z"), "UTC")).toBe(false);
  });

  it("a window ending at 24:00 includes 23:59 and stops at local midnight", () => {
    const evening = schedule({ day: 1, start: "18:00", end: "24:00" });
    expect(isWithinSchedule(evening, Date.parse("2026-03-02T22:59:00Z"), "Europe/Berlin")).toBe(true);
    expect(isWithinSchedule(evening, Date.parse("2026-03-02T22:59:59.999Z"), "Europe/Berlin")).toBe(true);
    expect(isWithinSchedule(evening, Date.parse("2026-03-02T23:00:00Z"), "Europe/Berlin")).toBe(false);
  });

  it("a night shift is two windows, one on each side of midnight", () => {
    const night = schedule(
      { day: 5, start: "22:00", end: "24:00" },
      { day: 6, start: "00:00", end: "06:00" },
    );
    const inside = minutes("2026-03-06T21:00:00Z", "2026-03-07T05:00:00Z"); // Fri 22:00 → Sat 06:00 Berlin
    expect(inside.every((t) => isWithinSchedule(night, t, "Europe/Berlin"))).toBe(true);
    expect(isWithinSchedule(night, Date.parse("2026-03-06T20:59:00Z"), "Europe/Berlin")).toBe(false);
    expect(isWithinSchedule(night, Date.parse("2026-03-07T05:00:00Z"), "Europe/Berlin")).toBe(false);
    // Written as one reversed window it matches nothing, rather than guessing.
    const reversed = schedule({ day: 5, start: "22:00", end: "06:00" });
    expect(inside.some((t) => isWithinSchedule(reversed, t, "Europe/Berlin"))).toBe(false);
  });

  describe("spring forward: the skipped hour has no instants", () => {
    it("Europe/Berlin, Sunday 2026-03-29, 02:00–03:00 does not exist", () => {
      const skipped = schedule({ day: 0, start: "02:00", end: "03:00" });
      const day = minutes("2026-03-28T23:00:00Z", "2026-03-29T22:00:00Z");
      expect(day.filter((t) => isWithinSchedule(skipped, t, "Europe/Berlin"))).toEqual([]);
      // 01:59 CET is followed directly by 03:00 CEST.
      const justBefore = Date.parse("2026-03-29T00:59:00Z");
      expect(wallClock(justBefore, "Europe/Berlin").minute).toBe(119);
      expect(wallClock(justBefore + MINUTE, "Europe/Berlin").minute).toBe(180);
    });

    it("America/New_York, Sunday 2026-03-08: the whole day is 23 hours of a 00:00–24:00 window", () => {
      const sunday = schedule({ day: 0, start: "00:00", end: "24:00" });
      const around = minutes("2026-03-08T00:00:00Z", "2026-03-09T12:00:00Z");
      expect(around.filter((t) => isWithinSchedule(sunday, t, "America/New_York"))).toHaveLength(23 * 60);
      const skipped = schedule({ day: 0, start: "02:00", end: "03:00" });
      expect(around.some((t) => isWithinSchedule(skipped, t, "America/New_York"))).toBe(false);
    });

    it("Australia/Lord_Howe, Sunday 2026-10-04: the clock jumps half an hour, 02:00–02:30 does not exist", () => {
      const skipped = schedule({ day: 0, start: "02:00", end: "02:30" });
      const around = minutes("2026-10-03T12:00:00Z", "2026-10-04T14:00:00Z");
      expect(around.some((t) => isWithinSchedule(skipped, t, "Australia/Lord_Howe"))).toBe(false);
      const next = schedule({ day: 0, start: "02:30", end: "03:00" });
      expect(around.filter((t) => isWithinSchedule(next, t, "Australia/Lord_Howe"))).toHaveLength(30);
    });
  });

  describe("fall back: the repeated hour is inside twice", () => {
    it("America/New_York, Sunday 2026-11-01: both 01:30s are inside 01:00–02:00", () => {
      const window = schedule({ day: 0, start: "01:00", end: "02:00" });
      const firstPass = Date.parse("2026-11-01T05:30:00Z"); // 01:30 EDT
      const secondPass = Date.parse("2026-11-01T06:30:00Z"); // 01:30 EST
      expect(wallClock(firstPass, "America/New_York").minute).toBe(90);
      expect(wallClock(secondPass, "America/New_York").minute).toBe(90);
      expect(isWithinSchedule(window, firstPass, "America/New_York")).toBe(true);
      expect(isWithinSchedule(window, secondPass, "America/New_York")).toBe(true);
      const around = minutes("2026-11-01T00:00:00Z", "2026-11-01T12:00:00Z");
      expect(around.filter((t) => isWithinSchedule(window, t, "America/New_York"))).toHaveLength(120);
      expect(isWithinSchedule(window, Date.parse("2026-11-01T07:00:00Z"), "America/New_York")).toBe(false);
    });

    it("Europe/Berlin, Sunday 2026-10-25: 02:00–03:00 lasts two hours of real time", () => {
      const window = schedule({ day: 0, start: "02:00", end: "03:00" });
      const inside = minutes("2026-10-25T00:00:00Z", "2026-10-25T02:00:00Z");
      expect(inside.every((t) => isWithinSchedule(window, t, "Europe/Berlin"))).toBe(true);
      expect(isWithinSchedule(window, Date.parse("2026-10-24T23:59:00Z"), "Europe/Berlin")).toBe(false);
      expect(isWithinSchedule(window, Date.parse("2026-10-25T02:00:00Z"), "Europe/Berlin")).toBe(false);
    });

    it("Australia/Lord_Howe, Sunday 2026-04-05: 01:30–02:00 repeats (a half-hour shift)", () => {
      const window = schedule({ day: 0, start: "01:30", end: "02:00" });
      const around = minutes("2026-04-04T12:00:00Z", "2026-04-05T12:00:00Z");
      expect(around.filter((t) => isWithinSchedule(window, t, "Australia/Lord_Howe"))).toHaveLength(60);
    });
  });

  it("property: a schedule open all week contains every instant; an empty one none", () => {
    const zones = fc.constantFrom(
      "UTC",
      "Europe/Berlin",
      "America/New_York",
      "Australia/Lord_Howe",
      "Asia/Kolkata",
    );
    const instant = fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2040, 0, 1) });
    fc.assert(
      fc.property(zones, instant, (zone, at) => {
        expect(isWithinSchedule(allWeek, at, zone)).toBe(true);
        expect(isWithinSchedule(schedule(), at, zone)).toBe(false);
      }),
    );
  });

  it("property: inside a window iff the local minute lies in [start, end) on that local weekday", () => {
    const clock = fc.integer({ min: 0, max: 1440 });
    const zones = fc.constantFrom("Europe/Berlin", "America/New_York", "Australia/Lord_Howe");
    const instant = fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2030, 0, 1) });
    const hhmm = (m: number) =>
      `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;
    fc.assert(
      fc.property(zones, instant, clock, clock, fc.integer({ min: 0, max: 6 }), (zone, at, a, b, day) => {
        const [start, end] = a < b ? [a, b] : [b, a];
        fc.pre(start < end && start < 1440);
        const s = schedule({ day: day as Weekday, start: hhmm(start), end: hhmm(end) });
        const local = wallClock(at, zone);
        const expected = local.weekday === day && local.minute >= start && local.minute < end;
        expect(isWithinSchedule(s, at, zone)).toBe(expected);
      }),
    );
  });
});

describe("isHoliday", () => {
  const christmas: Holiday = { site_id: "site-1", date: "2026-12-25", all_day: true, behaviour: "deny" };

  it("an all-day holiday starts at local midnight and ends at the next", () => {
    const berlin = "Europe/Berlin"; // UTC+1 in December
    expect(isHoliday([christmas], Date.parse("2026-12-24T22:59:59.999Z"), berlin)).toBe(false);
    expect(isHoliday([christmas], Date.parse("2026-12-24T23:00:00Z"), berlin)).toBe(true);
    expect(isHoliday([christmas], Date.parse("2026-12-25T22:59:59.999Z"), berlin)).toBe(true);
    expect(isHoliday([christmas], Date.parse("2026-12-25T23:00:00Z"), berlin)).toBe(false);
    // The same instant is still Christmas Eve in New York.
    expect(isHoliday([christmas], Date.parse("2026-12-25T01:00:00Z"), "America/New_York")).toBe(false);
    expect(isHoliday([christmas], Date.parse("2026-12-25T05:00:00Z"), "America/New_York")).toBe(true);
  });

  it("a holiday on a fall-back day lasts 25 hours, on a spring-forward day 23", () => {
    const fallBack: Holiday = { site_id: "s", date: "2026-11-01", all_day: true, behaviour: "deny" };
    const springForward: Holiday = { site_id: "s", date: "2026-03-08", all_day: true, behaviour: "deny" };
    const zone = "America/New_York";
    const count = (h: Holiday, from: string, to: string) =>
      minutes(from, to).filter((t) => isHoliday([h], t, zone)).length;
    expect(count(fallBack, "2026-10-31T00:00:00Z", "2026-11-03T00:00:00Z")).toBe(25 * 60);
    expect(count(springForward, "2026-03-07T00:00:00Z", "2026-03-10T00:00:00Z")).toBe(23 * 60);
  });

  it("a part-day holiday covers only its window", () => {
    const afternoon: Holiday = {
      site_id: "s",
      date: "2026-12-24",
      all_day: false,
      start: "12:00",
      end: "24:00",
      behaviour: "deny",
    };
    expect(isHoliday([afternoon], Date.parse("2026-12-24T10:59:00Z"), "Europe/Berlin")).toBe(false);
    expect(isHoliday([afternoon], Date.parse("2026-12-24T11:00:00Z"), "Europe/Berlin")).toBe(true);
    expect(isHoliday([afternoon], Date.parse("2026-12-24T22:59:00Z"), "Europe/Berlin")).toBe(true);
    expect(isHoliday([afternoon], Date.parse("2026-12-24T23:00:00Z"), "Europe/Berlin")).toBe(false);
  });

  it("no holidays, or another date, is not a holiday", () => {
    expect(isHoliday([], Date.parse("2026-12-25T12:00:00Z"), "Europe/Berlin")).toBe(false);
    expect(isHoliday([christmas], Date.parse("2026-12-26T12:00:00Z"), "Europe/Berlin")).toBe(false);
  });
});
