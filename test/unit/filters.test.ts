import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isEmptyFilter, passesFilters, type WebhookFilters } from "../../src/events/filters.js";

const door = (id: number) => ({ id, name: `Door ${id}` });
const user = (id: number) => ({ id, name: `User ${id}` });

const granted = {
  type: "access.granted",
  site_id: 1,
  data: { door: door(1), user: user(7), method: "credential" },
};
const denied = {
  type: "access.denied",
  site_id: 1,
  data: { door: door(2), user: null, reason: "unknown_credential" },
};
const heartbeat = {
  type: "device.healthcheck",
  site_id: 1,
  data: { serial_number: "GH-1", connected: true },
};
const alarm = {
  type: "alarm.triggered",
  site_id: 2,
  data: { alarm_group: "Server room", sensor: "Rack 3 temperature", severity: "critical" },
};
const schedule = {
  type: "schedule.activated",
  site_id: 1,
  data: { schedule: { id: 4, name: "Office hours" }, doors: [door(1), door(5)] },
};

describe("passesFilters", () => {
  it("passes everything when no condition is set", () => {
    for (const e of [granted, denied, heartbeat, alarm, schedule]) expect(passesFilters({}, e)).toBe(true);
    expect(isEmptyFilter({})).toBe(true);
    expect(isEmptyFilter({ decision: "denied" })).toBe(false);
  });

  it("matches a list when the event names any of its values", () => {
    expect(passesFilters({ door_ids: [1, 3] }, granted)).toBe(true);
    expect(passesFilters({ door_ids: [3] }, granted)).toBe(false);
    expect(passesFilters({ site_ids: [2] }, alarm)).toBe(true);
    expect(passesFilters({ site_ids: [2] }, granted)).toBe(false);
    expect(passesFilters({ user_ids: [7] }, granted)).toBe(true);
    expect(passesFilters({ devices: ["GH-1"] }, heartbeat)).toBe(true);
    expect(passesFilters({ alarm_groups: ["Server room"] }, alarm)).toBe(true);
    expect(passesFilters({ sensors: ["Rack 3 temperature"] }, alarm)).toBe(true);
    expect(passesFilters({ sensors: ["Door contact"] }, alarm)).toBe(false);
  });

  it("matches access groups by the groups an access event names", () => {
    const inGroups = {
      ...granted,
      data: {
        ...granted.data,
        groups: [
          { id: 4, name: "Staff" },
          { id: 9, name: "Lab" },
        ],
      },
    };
    expect(passesFilters({ access_group_ids: [9] }, inGroups)).toBe(true);
    expect(passesFilters({ access_group_ids: [5] }, inGroups)).toBe(false);
    expect(passesFilters({ access_group_ids: [4] }, granted)).toBe(false);
  });

  it("counts every door of a schedule event", () => {
    expect(passesFilters({ door_ids: [5] }, schedule)).toBe(true);
    expect(passesFilters({ door_ids: [2] }, schedule)).toBe(false);
  });

  it("keeps out events that do not say what a condition asks about", () => {
    expect(passesFilters({ door_ids: [1] }, heartbeat)).toBe(false);
    expect(passesFilters({ user_ids: [7] }, denied)).toBe(false);
    expect(passesFilters({ alarm_groups: ["Server room"] }, granted)).toBe(false);
  });

  it("applies the decision to access events only", () => {
    expect(passesFilters({ decision: "denied" }, denied)).toBe(true);
    expect(passesFilters({ decision: "denied" }, granted)).toBe(false);
    expect(passesFilters({ decision: "granted" }, granted)).toBe(true);
    expect(passesFilters({ decision: "denied" }, heartbeat)).toBe(true);
  });

  it("requires every condition at once", () => {
    const filters: WebhookFilters = { site_ids: [1], door_ids: [1], decision: "granted" };
    expect(passesFilters(filters, granted)).toBe(true);
    expect(passesFilters({ ...filters, user_ids: [8] }, granted)).toBe(false);
    fc.assert(
      fc.property(
        fc.record(
          {
            site_ids: fc.array(fc.integer({ min: 1, max: 3 })),
            door_ids: fc.array(fc.integer({ min: 1, max: 3 })),
          },
          { requiredKeys: [] },
        ),
        (f) => {
          const both = passesFilters(f, granted);
          const each =
            passesFilters({ site_ids: f.site_ids }, granted) &&
            passesFilters({ door_ids: f.door_ids }, granted);
          expect(both).toBe(each);
        },
      ),
    );
  });
});
