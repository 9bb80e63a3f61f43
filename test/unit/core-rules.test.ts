import { describe, expect, it } from "vitest";
import type { AntiPassbackState, CredentialKind } from "../../src/core/model.js";
import { toEpochMs } from "../../src/core/model.js";
import {
  grantMethod,
  nextAntiPassbackState,
  ruleAntiPassback,
  ruleCredentialKnown,
  ruleCredentialValid,
  ruleHoliday,
  ruleInGroup,
  ruleLinkedToUser,
  ruleLockdown,
  rulePin,
  ruleSchedule,
  ruleUnlockedMode,
  ruleUserValid,
  validityProblem,
} from "../../src/core/rules.js";
import { card, door, MONDAY_10_BERLIN, officeHours, request, site, user } from "./core-fixtures.js";

const KINDS: CredentialKind[] = ["card", "pin", "qr", "mobile", "face"];
const at = MONDAY_10_BERLIN;

describe("toEpochMs and validityProblem", () => {
  it("reads epoch ms and ISO strings with an offset; refuses strings that would need a guessed zone", () => {
    expect(toEpochMs(1_700_000_000_000)).toBe(1_700_000_000_000);
    expect(toEpochMs("2026-03-02T09:00:00Z")).toBe(at);
    expect(toEpochMs("2026-03-02T10:00:00+01:00")).toBe(at);
    expect(toEpochMs("2026-03-02T09:00:00.000Z")).toBe(at);
    for (const bad of ["2026-03-02T09:00:00", "2026-03-02", "yesterday", "", "2026-03-02 09:00Z"]) {
      expect(toEpochMs(bad)).toBeNaN();
    }
    expect(toEpochMs(Number.NaN)).toBeNaN();
    expect(toEpochMs(Number.POSITIVE_INFINITY)).toBeNaN();
  });

  it("is valid from valid_from inclusive until valid_until exclusive", () => {
    expect(validityProblem({}, at)).toBeNull();
    expect(validityProblem({ valid_from: at }, at)).toBeNull();
    expect(validityProblem({ valid_from: at + 1 }, at)).toBe("not yet valid");
    expect(validityProblem({ valid_until: at + 1 }, at)).toBeNull();
    expect(validityProblem({ valid_until: at }, at)).toBe("expired");
    expect(validityProblem({ valid_from: "2026-03-02T10:00:00+01:00" }, at)).toBeNull();
    expect(validityProblem({ valid_until: "2026-03-02T09:00:00Z" }, at)).toBe("expired");
    expect(validityProblem({ valid_until: "2026-03-02" }, at)).toBe("validity unreadable");
    expect(validityProblem({ valid_from: "soon" }, at)).toBe("validity unreadable");
  });
});

describe("ruleLockdown", () => {
  it("denies with lockdown only when the door is locked down", () => {
    expect(ruleLockdown(request({ door: door({ mode: "locked_down" }) }))).toEqual({
      granted: false,
      reason: "lockdown",
    });
    expect(ruleLockdown(request({ door: door({ mode: "normal" }) }))).toBeUndefined();
    expect(ruleLockdown(request({ door: door({ mode: "unlocked" }) }))).toBeUndefined();
  });
});

describe("ruleUnlockedMode", () => {
  it("grants every presentation at an unlocked door, known or not, with the kind's method", () => {
    for (const kind of KINDS) {
      const decision = ruleUnlockedMode(
        request({ door: door({ mode: "unlocked" }), presented: { kind, value: "x" }, credential: null }),
      );
      expect(decision).toEqual({ granted: true, method: grantMethod(kind), detail: "door unlocked" });
    }
  });

  it("passes at normal and locked-down doors", () => {
    expect(ruleUnlockedMode(request())).toBeUndefined();
    expect(ruleUnlockedMode(request({ door: door({ mode: "locked_down" }) }))).toBeUndefined();
  });
});

describe("grantMethod", () => {
  it("a card is the generic credential method; other kinds name themselves", () => {
    expect(KINDS.map(grantMethod)).toEqual(["credential", "pin", "qr", "mobile", "face"]);
  });
});

describe("ruleCredentialKnown", () => {
  it("passes a stored credential of the presented kind", () => {
    for (const kind of KINDS) {
      expect(
        ruleCredentialKnown(request({ presented: { kind, value: "v" }, credential: card({ kind }) })),
      ).toBeUndefined();
    }
  });

  it("denies an unknown value with the kind's catalog code", () => {
    const reasons = KINDS.map((kind) =>
      ruleCredentialKnown(request({ presented: { kind, value: "v" }, credential: null })),
    );
    expect(reasons).toEqual([
      { granted: false, reason: "unknown_credential" },
      { granted: false, reason: "unknown_credential" },
      { granted: false, reason: "unknown_qr" },
      { granted: false, reason: "unknown_credential" },
      { granted: false, reason: "invalid_face", detail: "face not enrolled" },
    ]);
  });

  it("treats a stored credential of another kind as unknown", () => {
    const decision = ruleCredentialKnown(
      request({ presented: { kind: "card", value: "1234" }, credential: card({ kind: "qr" }) }),
    );
    expect(decision).toMatchObject({ reason: "unknown_credential" });
  });
});

describe("ruleCredentialValid", () => {
  const valid = (overrides: Parameters<typeof card>[0]) =>
    ruleCredentialValid(request({ credential: card(overrides) }));

  it("passes an active credential inside its window", () => {
    expect(valid({})).toBeUndefined();
    expect(valid({ valid_from: at - 1, valid_until: at + 1 })).toBeUndefined();
  });

  it("denies suspended, not yet valid, expired and unreadable credentials as invalid_credential", () => {
    expect(valid({ status: "suspended" })).toEqual({
      granted: false,
      reason: "invalid_credential",
      detail: "credential suspended",
    });
    expect(valid({ valid_from: at + 1 })).toMatchObject({
      reason: "invalid_credential",
      detail: "credential not yet valid",
    });
    expect(valid({ valid_until: at })).toMatchObject({
      reason: "invalid_credential",
      detail: "credential expired",
    });
    expect(valid({ valid_until: "tomorrow" })).toMatchObject({
      reason: "invalid_credential",
      detail: "credential validity unreadable",
    });
  });

  it("uses invalid_face for a face enrolment", () => {
    expect(valid({ kind: "face", status: "suspended" })).toMatchObject({ reason: "invalid_face" });
    expect(valid({ kind: "face", valid_until: at })).toMatchObject({
      reason: "invalid_face",
      detail: "credential expired",
    });
  });

  it("fails closed without a credential", () => {
    expect(ruleCredentialValid(request({ credential: null }))).toMatchObject({
      granted: false,
      reason: "invalid_credential",
    });
  });
});

describe("ruleLinkedToUser", () => {
  it("passes a credential whose user was loaded", () => {
    expect(ruleLinkedToUser(request())).toBeUndefined();
  });

  it("denies a credential with no user, or whose user is missing or another", () => {
    expect(ruleLinkedToUser(request({ credential: card({ user_id: null }), user: null }))).toEqual({
      granted: false,
      reason: "not_linked_to_user",
    });
    expect(ruleLinkedToUser(request({ user: null }))).toMatchObject({
      reason: "not_linked_to_user",
      detail: "user not found",
    });
    expect(ruleLinkedToUser(request({ user: user({ id: "user-2" }) }))).toMatchObject({
      reason: "not_linked_to_user",
    });
    expect(ruleLinkedToUser(request({ credential: null }))).toMatchObject({ reason: "not_linked_to_user" });
  });
});

describe("ruleUserValid", () => {
  const valid = (overrides: Parameters<typeof user>[0]) => ruleUserValid(request({ user: user(overrides) }));

  it("passes an active user inside their window", () => {
    expect(valid({})).toBeUndefined();
    expect(valid({ valid_from: at, valid_until: at + 1 })).toBeUndefined();
  });

  it("denies a suspended, not yet valid or expired user as invalid_credential, the detail naming the user", () => {
    expect(valid({ status: "suspended" })).toEqual({
      granted: false,
      reason: "invalid_credential",
      detail: "user suspended",
    });
    expect(valid({ valid_from: "2026-03-03T00:00:00Z" })).toMatchObject({ detail: "user not yet valid" });
    expect(valid({ valid_until: "2026-03-02T09:00:00Z" })).toMatchObject({ detail: "user expired" });
    expect(valid({ valid_from: "2026-03-02" })).toMatchObject({ detail: "user validity unreadable" });
    expect(ruleUserValid(request({ user: null }))).toMatchObject({ reason: "invalid_credential" });
  });
});

describe("rulePin", () => {
  const cases: {
    requires_pin: boolean;
    kind: CredentialKind;
    pinOk: boolean | undefined;
    denied: boolean;
  }[] = [];
  for (const requires_pin of [false, true]) {
    for (const kind of KINDS) {
      for (const pinOk of [true, false, undefined]) {
        const denied = pinOk === false || (requires_pin && pinOk === undefined && kind !== "pin");
        cases.push({ requires_pin, kind, pinOk, denied });
      }
    }
  }

  it.each(cases)(
    "requires_pin=$requires_pin kind=$kind pinOk=$pinOk → denied=$denied",
    ({ requires_pin, kind, pinOk, denied }) => {
      const decision = rulePin(request({ door: door({ requires_pin }), credential: card({ kind }), pinOk }));
      if (denied) expect(decision).toMatchObject({ granted: false, reason: "invalid_pin" });
      else expect(decision).toBeUndefined();
    },
  );
});

describe("ruleInGroup", () => {
  it("passes when any of the user's groups includes the door", () => {
    const groups = [
      { id: "g1", door_ids: ["door-9"], schedule_id: "s" },
      { id: "g2", door_ids: ["door-8", "door-1"], schedule_id: "s" },
    ];
    expect(ruleInGroup(request({ groups }))).toBeUndefined();
  });

  it("denies with not_in_group when no group includes it, or there are no groups", () => {
    expect(ruleInGroup(request({ groups: [{ id: "g", door_ids: ["door-9"], schedule_id: "s" }] }))).toEqual({
      granted: false,
      reason: "not_in_group",
    });
    expect(ruleInGroup(request({ groups: [] }))).toMatchObject({ reason: "not_in_group" });
  });
});

describe("ruleHoliday", () => {
  const monday = { date: "2026-03-02", all_day: true as const, behaviour: "deny" as const };

  it("denies on a holiday of this site, in the site's local date", () => {
    expect(ruleHoliday(request({ holidays: [{ site_id: site.id, ...monday }] }))).toEqual({
      granted: false,
      reason: "holiday",
    });
  });

  it("ignores other sites' holidays and other dates", () => {
    expect(ruleHoliday(request({ holidays: [{ site_id: "site-2", ...monday }] }))).toBeUndefined();
    expect(
      ruleHoliday(request({ holidays: [{ site_id: site.id, ...monday, date: "2026-03-03" }] })),
    ).toBeUndefined();
    expect(ruleHoliday(request({ holidays: [] }))).toBeUndefined();
  });
});

describe("ruleSchedule", () => {
  it("passes when a group for this door has its schedule open now", () => {
    expect(ruleSchedule(request())).toBeUndefined();
  });

  it("denies outside the schedule, in the site's zone", () => {
    // 07:30 in Berlin; it is 08:30 in Helsinki, where the same schedule would be open.
    const early = Date.parse("2026-03-02T06:30:00Z");
    expect(ruleSchedule(request({ at: early }))).toEqual({ granted: false, reason: "outside_schedule" });
    expect(
      ruleSchedule(request({ at: early, site: { ...site, time_zone: "Europe/Helsinki" } })),
    ).toBeUndefined();
  });

  it("only counts groups that include this door", () => {
    const alwaysOpen = { id: "always", windows: [{ day: 1 as const, start: "00:00", end: "24:00" }] };
    const groups = [
      { id: "other-door", door_ids: ["door-2"], schedule_id: "always" },
      { id: "this-door", door_ids: ["door-1"], schedule_id: officeHours.id },
    ];
    const night = Date.parse("2026-03-02T22:00:00Z");
    expect(ruleSchedule(request({ at: night, groups, schedules: [alwaysOpen, officeHours] }))).toMatchObject({
      reason: "outside_schedule",
    });
    groups.push({ id: "this-door-always", door_ids: ["door-1"], schedule_id: "always" });
    expect(
      ruleSchedule(request({ at: night, groups, schedules: [alwaysOpen, officeHours] })),
    ).toBeUndefined();
  });

  it("fails closed when a group's schedule is missing", () => {
    expect(ruleSchedule(request({ schedules: [] }))).toMatchObject({ reason: "outside_schedule" });
  });
});

describe("ruleAntiPassback", () => {
  const entry = door({ area: { id: "lab", direction: "entry" } });
  const exit = door({ area: { id: "lab", direction: "exit" } });

  it("denies re-entry without an exit in between", () => {
    expect(ruleAntiPassback(request({ door: entry, antiPassback: { lab: "entry" } }))).toEqual({
      granted: false,
      reason: "anti_passback",
    });
  });

  it("allows entry after an exit, the first entry, and entry into another area", () => {
    expect(ruleAntiPassback(request({ door: entry, antiPassback: { lab: "exit" } }))).toBeUndefined();
    expect(ruleAntiPassback(request({ door: entry, antiPassback: {} }))).toBeUndefined();
    expect(ruleAntiPassback(request({ door: entry, antiPassback: { office: "entry" } }))).toBeUndefined();
  });

  it("is soft on exit: leaving is always allowed, even without a recorded entry or twice", () => {
    const states: AntiPassbackState[] = [{}, { lab: "entry" }, { lab: "exit" }];
    for (const state of states) {
      expect(ruleAntiPassback(request({ door: exit, antiPassback: state }))).toBeUndefined();
    }
  });

  it("ignores doors without an area", () => {
    expect(ruleAntiPassback(request({ antiPassback: { lab: "entry" } }))).toBeUndefined();
  });

  it("nextAntiPassbackState records the direction of a granted passage, without mutating the old state", () => {
    const before = Object.freeze({ office: "entry" as const });
    const after = nextAntiPassbackState(before, entry);
    expect(after).toEqual({ office: "entry", lab: "entry" });
    expect(nextAntiPassbackState(after, exit)).toEqual({ office: "entry", lab: "exit" });
    expect(nextAntiPassbackState(before, door())).toBe(before);
    expect(before).toEqual({ office: "entry" });
  });
});
