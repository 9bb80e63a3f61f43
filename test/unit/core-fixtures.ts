// Factories for the access-decision tests: a request that is granted unless a test changes one thing.

import type { AccessRequest } from "../../src/core/decision.js";
import type { Credential, Door, Schedule, Site, User } from "../../src/core/model.js";

export const site: Site = { id: "site-1", time_zone: "Europe/Berlin" };

/** Monday 2026-03-02 10:00 in Berlin (09:00Z). */
export const MONDAY_10_BERLIN = Date.parse("2026-03-02T09:00:00Z");

export const officeHours: Schedule = {
  id: "sched-office",
  windows: [1, 2, 3, 4, 5].map((day) => ({ day: day as 1 | 2 | 3 | 4 | 5, start: "08:00", end: "18:00" })),
};

export function door(overrides: Partial<Door> = {}): Door {
  return { id: "door-1", site_id: site.id, mode: "normal", requires_pin: false, ...overrides };
}

export function user(overrides: Partial<User> = {}): User {
  return { id: "user-1", name: "Ada", status: "active", ...overrides };
}

export function card(overrides: Partial<Credential> = {}): Credential {
  return {
    id: "cred-1",
    user_id: "user-1",
    kind: "card",
    status: "active",
    card: { facility_code: 12, card_number: "0012345678" },
    ...overrides,
  };
}

/** A card presented at a normal door during office hours by an active user in the right group. */
export function request(overrides: Partial<AccessRequest> = {}): AccessRequest {
  return {
    at: MONDAY_10_BERLIN,
    site,
    door: door(),
    presented: { kind: "card", value: "0012345678" },
    credential: card(),
    user: user(),
    groups: [{ id: "group-1", door_ids: ["door-1"], schedule_id: officeHours.id }],
    schedules: [officeHours],
    holidays: [],
    antiPassback: {},
    pinOk: undefined,
    ...overrides,
  };
}
