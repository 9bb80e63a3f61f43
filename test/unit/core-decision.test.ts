import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ACCESS_RULES, type AccessRequest, type DenyReason, decideAccess } from "../../src/core/decision.js";
import type { Credential, CredentialKind, Door, Holiday, Schedule, User } from "../../src/core/model.js";
import { grantMethod, nextAntiPassbackState, validityProblem } from "../../src/core/rules.js";
import { card, door, officeHours, request, site, user } from "./core-fixtures.js";

// access.denied reasons as listed in ../shared/EVENTS.md.
const CATALOG_REASONS: DenyReason[] = [
  "unknown_credential",
  "unknown_qr",
  "invalid_credential",
  "invalid_face",
  "invalid_pin",
  "not_linked_to_user",
  "not_in_group",
  "outside_schedule",
  "holiday",
  "lockdown",
  "anti_passback",
  "remote_server_denied",
  "multi_credential_incomplete",
  "shared_credential_invalid",
];

type Breaker = {
  rule: string;
  reason: DenyReason;
  detail?: string;
  apply: (r: AccessRequest) => AccessRequest;
};

// One way to make each denying rule fail, in decision order.
const BREAKERS: Breaker[] = [
  {
    rule: "lockdown",
    reason: "lockdown",
    apply: (r) => ({ ...r, door: { ...r.door, mode: "locked_down" } }),
  },
  { rule: "credential_known", reason: "unknown_credential", apply: (r) => ({ ...r, credential: null }) },
  {
    rule: "credential_valid",
    reason: "invalid_credential",
    detail: "credential suspended",
    apply: (r) => ({ ...r, credential: card({ ...r.credential, status: "suspended" }) }),
  },
  {
    rule: "linked_to_user",
    reason: "not_linked_to_user",
    apply: (r) => ({ ...r, credential: card({ ...r.credential, user_id: null }) }),
  },
  {
    rule: "user_valid",
    reason: "invalid_credential",
    detail: "user suspended",
    apply: (r) => ({ ...r, user: user({ ...r.user, status: "suspended" }) }),
  },
  { rule: "pin", reason: "invalid_pin", apply: (r) => ({ ...r, pinOk: false }) },
  { rule: "in_group", reason: "not_in_group", apply: (r) => ({ ...r, groups: [] }) },
  {
    rule: "holiday",
    reason: "holiday",
    apply: (r) => ({
      ...r,
      holidays: [{ site_id: site.id, date: "2026-03-02", all_day: true, behaviour: "deny" }],
    }),
  },
  { rule: "schedule", reason: "outside_schedule", apply: (r) => ({ ...r, schedules: [] }) },
  {
    rule: "anti_passback",
    reason: "anti_passback",
    apply: (r) => ({
      ...r,
      door: { ...r.door, area: { id: "lab", direction: "entry" } },
      antiPassback: { lab: "entry" },
    }),
  },
];

describe("decideAccess order", () => {
  it("grants the baseline request with the card's method", () => {
    expect(decideAccess(request())).toEqual({ granted: true, method: "credential" });
  });

  it("lists the rules in the documented order", () => {
    expect(ACCESS_RULES.map((r) => r.name)).toEqual([
      "lockdown",
      "unlocked_mode",
      "credential_known",
      "credential_valid",
      "linked_to_user",
      "user_valid",
      "pin",
      "in_group",
      "holiday",
      "schedule",
      "anti_passback",
    ]);
  });

  // With every rule from k on broken, rule k is the one reported: each rule outranks all later ones.
  it.each(BREAKERS.map((b, k) => ({ ...b, k })))(
    "$rule outranks every later rule",
    ({ k, reason, detail }) => {
      let broken = request();
      for (const b of BREAKERS.slice(k).reverse()) broken = b.apply(broken);
      const decision = decideAccess(broken);
      expect(decision).toMatchObject({ granted: false, reason });
      if (detail) expect(decision).toMatchObject({ detail });
    },
  );

  it.each(BREAKERS)("$rule alone denies with $reason", ({ apply, reason }) => {
    expect(decideAccess(apply(request()))).toMatchObject({ granted: false, reason });
  });

  it("a holiday is reported even when the schedule is closed too: holidays override schedules", () => {
    const night = Date.parse("2026-03-02T21:00:00Z");
    const holidays: Holiday[] = [{ site_id: site.id, date: "2026-03-02", all_day: true, behaviour: "deny" }];
    expect(decideAccess(request({ at: night }))).toMatchObject({ reason: "outside_schedule" });
    expect(decideAccess(request({ at: night, holidays }))).toMatchObject({ reason: "holiday" });
  });

  it("an unlocked door grants everyone, even an unknown card; lockdown denies everyone, even a valid one", () => {
    let everything = request();
    for (const b of BREAKERS.slice(1)) everything = b.apply(everything);
    expect(decideAccess({ ...everything, door: door({ mode: "unlocked" }) })).toEqual({
      granted: true,
      method: "credential",
      detail: "door unlocked",
    });
    expect(decideAccess(request({ door: door({ mode: "locked_down" }) }))).toEqual({
      granted: false,
      reason: "lockdown",
    });
  });

  it("a card+PIN door grants with a verified PIN and denies without one", () => {
    const pinDoor = door({ requires_pin: true });
    expect(decideAccess(request({ door: pinDoor, pinOk: true }))).toEqual({
      granted: true,
      method: "credential",
    });
    expect(decideAccess(request({ door: pinDoor }))).toMatchObject({ reason: "invalid_pin" });
  });

  it("anti-passback: enter, re-enter denied, exit, enter again; leaving twice is allowed", () => {
    const entry = door({ area: { id: "lab", direction: "entry" } });
    const exit = door({ id: "door-2", area: { id: "lab", direction: "exit" } });
    const groups = [{ id: "g", door_ids: ["door-1", "door-2"], schedule_id: officeHours.id }];
    let state = {};
    const pass = (d: Door) => {
      const decision = decideAccess(request({ door: d, groups, antiPassback: state }));
      if (decision.granted) state = nextAntiPassbackState(state, d);
      return decision;
    };
    expect(pass(entry).granted).toBe(true);
    expect(pass(entry)).toEqual({ granted: false, reason: "anti_passback" });
    expect(pass(exit).granted).toBe(true);
    expect(pass(exit).granted).toBe(true);
    expect(pass(entry).granted).toBe(true);
  });
});

// A random request over every input the rules read, around one week in 2026.
const week = { min: Date.parse("2026-03-01T00:00:00Z"), max: Date.parse("2026-03-09T00:00:00Z") };
const instant = fc.integer(week);
const kind = fc.constantFrom<CredentialKind>("card", "pin", "qr", "mobile", "face");
const status = fc.constantFrom<"active" | "suspended">("active", "active", "active", "suspended");
// Half the time no bound at all, so plenty of requests get past the validity rules.
const bound = fc.option(instant, { nil: undefined, freq: 2 });
const areaId = fc.constantFrom("lab", "office");
const alwaysOpen: Schedule = {
  id: "always",
  windows: ([0, 1, 2, 3, 4, 5, 6] as const).map((day) => ({ day, start: "00:00", end: "24:00" })),
};

const arbAnyRequest: fc.Arbitrary<AccessRequest> = fc
  .record({
    at: instant,
    zone: fc.constantFrom("Europe/Berlin", "America/New_York", "Australia/Lord_Howe"),
    door: fc.record({
      id: fc.constantFrom("door-1", "door-2"),
      site_id: fc.constant(site.id),
      mode: fc.constantFrom<Door["mode"]>("normal", "normal", "unlocked", "locked_down"),
      requires_pin: fc.boolean(),
      area: fc.option(
        fc.record({ id: areaId, direction: fc.constantFrom<"entry" | "exit">("entry", "exit") }),
        {
          nil: undefined,
        },
      ),
    }),
    presentedKind: kind,
    // A lookup by kind and value returns that kind; now and then a mismatched record checks the guard.
    sameKind: fc.constantFrom(true, true, true, false),
    credential: fc.option(
      fc.record({
        id: fc.constant("cred-1"),
        user_id: fc.constantFrom<string | null>("user-1", "user-1", "user-1", "user-2", null),
        kind,
        status,
        valid_from: bound,
        valid_until: bound,
      }),
    ),
    user: fc.option(
      fc.record({
        id: fc.constant("user-1"),
        name: fc.constant("Ada"),
        status,
        valid_from: bound,
        valid_until: bound,
      }),
    ),
    groups: fc.subarray([
      { id: "g1", door_ids: ["door-1"], schedule_id: officeHours.id },
      { id: "g2", door_ids: ["door-2"], schedule_id: "always" },
      { id: "g3", door_ids: ["door-1", "door-2"], schedule_id: "missing" },
    ]),
    holidays: fc.subarray<Holiday>([
      { site_id: site.id, date: "2026-03-02", all_day: true, behaviour: "deny" },
      { site_id: "site-2", date: "2026-03-03", all_day: true, behaviour: "deny" },
      {
        site_id: site.id,
        date: "2026-03-04",
        all_day: false,
        start: "12:00",
        end: "14:00",
        behaviour: "deny",
      },
    ]),
    antiPassback: fc.dictionary(areaId, fc.constantFrom<"entry" | "exit">("entry", "exit")),
    pinOk: fc.constantFrom(true, false, undefined),
  })
  .map(
    (r): AccessRequest => ({
      at: r.at,
      site: { id: site.id, time_zone: r.zone },
      door: r.door as Door,
      presented: { kind: r.presentedKind, value: "0012345678" },
      credential:
        r.credential &&
        ({ ...r.credential, kind: r.sameKind ? r.presentedKind : r.credential.kind } as Credential),
      user: r.user as User | null,
      groups: r.groups,
      schedules: [officeHours, alwaysOpen],
      holidays: r.holidays,
      antiPassback: r.antiPassback,
      pinOk: r.pinOk,
    }),
  );

// The baseline grant with none, one or two rules broken, so grants and every single failure are common.
const arbNearGrant: fc.Arbitrary<AccessRequest> = fc
  .record({
    // At most two at once: every single failure is common, and pairs test which one is reported.
    broken: fc.uniqueArray(fc.integer({ min: 0, max: BREAKERS.length - 1 }), { maxLength: 2 }),
    minute: fc.integer({ min: 0, max: 10 * 60 - 1 }),
    kind,
    pinDoor: fc.boolean(),
    pinOk: fc.constantFrom(true, false, undefined),
  })
  .map(({ broken, minute, kind: k, pinDoor, pinOk }) => {
    // Monday 08:00–18:00 in Berlin, inside office hours unless a breaker changes that.
    let r = request({
      at: Date.parse("2026-03-02T07:00:00Z") + minute * 60_000,
      door: door({ requires_pin: pinDoor }),
      presented: { kind: k, value: "0012345678" },
      credential: card({ kind: k }),
      pinOk,
    });
    for (const k of [...broken].sort((a, b) => b - a)) r = (BREAKERS[k] as Breaker).apply(r);
    return r;
  });

const arbRequest = fc.oneof(arbAnyRequest, arbNearGrant);

describe("decideAccess properties", () => {
  it("the generator reaches every outcome, so the properties below are not vacuous", () => {
    const counts = new Map<string, number>();
    for (const r of fc.sample(arbRequest, { numRuns: 10_000, seed: 42 })) {
      const d = decideAccess(r);
      const outcome = d.granted ? `granted:${r.door.mode}` : d.reason;
      counts.set(outcome, (counts.get(outcome) ?? 0) + 1);
    }
    for (const outcome of ["granted:normal", "granted:unlocked", ...BREAKERS.map((b) => b.reason)]) {
      expect(counts.get(outcome) ?? 0).toBeGreaterThanOrEqual(50);
    }
    // Grants at normal doors are what "granted implies every rule passed" is about: several percent.
    expect(counts.get("granted:normal")).toBeGreaterThanOrEqual(300);
  });

  it("lockdown always denies with lockdown; unlocked always grants", () => {
    fc.assert(
      fc.property(arbRequest, (r) => {
        const decision = decideAccess(r);
        if (r.door.mode === "locked_down") expect(decision).toEqual({ granted: false, reason: "lockdown" });
        if (r.door.mode === "unlocked") expect(decision.granted).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it("the decision is the first rule that decides, else a grant: granted at a normal door means every rule passed", () => {
    fc.assert(
      fc.property(arbRequest, (r) => {
        const verdicts = ACCESS_RULES.map(({ rule }) => rule(r));
        const decision = decideAccess(r);
        expect(decision).toEqual(
          verdicts.find((v) => v !== undefined) ?? { granted: true, method: grantMethod(r.presented.kind) },
        );
        if (decision.granted && r.door.mode === "normal")
          expect(verdicts.every((v) => v === undefined)).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it("away from free access, nothing invalid is granted: credential or user outside validity or suspended, unknown, unlinked, wrong PIN", () => {
    fc.assert(
      fc.property(arbRequest, (r) => {
        fc.pre(r.door.mode !== "unlocked");
        const { credential: c, user: u } = r;
        const invalid =
          c === null ||
          c.kind !== r.presented.kind ||
          c.status !== "active" ||
          validityProblem(c, r.at) !== null ||
          u === null ||
          c.user_id !== u.id ||
          u.status !== "active" ||
          validityProblem(u, r.at) !== null ||
          r.pinOk === false ||
          !r.groups.some((g) => g.door_ids.includes(r.door.id));
        if (invalid) expect(decideAccess(r).granted).toBe(false);
      }),
      { numRuns: 1000 },
    );
  });

  it("a granted decision names the presented kind's method; a denial uses a catalog reason", () => {
    fc.assert(
      fc.property(arbRequest, (r) => {
        const decision = decideAccess(r);
        if (decision.granted) expect(decision.method).toBe(grantMethod(r.presented.kind));
        else expect(CATALOG_REASONS).toContain(decision.reason);
      }),
      { numRuns: 500 },
    );
  });

  it("is pure: the same request gives the same decision and is not changed", () => {
    fc.assert(
      fc.property(arbRequest, (r) => {
        const before = structuredClone(r);
        const first = decideAccess(r);
        expect(decideAccess(r)).toEqual(first);
        expect(r).toEqual(before);
      }),
      { numRuns: 200 },
    );
  });

  it("an expired credential is refused at the first instant it expires and granted just before", () => {
    const until = Date.parse("2026-03-02T09:30:00Z");
    const c = card({ valid_until: until });
    expect(decideAccess(request({ credential: c, at: until - 1 })).granted).toBe(true);
    expect(decideAccess(request({ credential: c, at: until }))).toMatchObject({
      reason: "invalid_credential",
      detail: "credential expired",
    });
  });
});
