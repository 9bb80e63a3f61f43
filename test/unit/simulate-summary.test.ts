// Which events a simulator run counts as its own: only those of what it created, even at a reused site.
import { describe, expect, it } from "vitest";
import type { OwnedIds } from "../../src/simulate/building.js";
import type { EventOut } from "../../src/simulate/client.js";
import { belongsToRun } from "../../src/simulate/summary.js";

const owned: OwnedIds = {
  site: 1,
  doors: new Set([10]),
  serials: new Set(["HQ-AB12-C01"]),
  users: new Set([20]),
  credentials: new Set([30]),
  audited: new Map([
    ["user", new Set([20])],
    ["schedule", new Set([40])],
  ]),
};
const event = (type: string, data: Record<string, unknown>): EventOut => ({
  id: "e",
  type,
  timestamp: "2026-03-02T08:00:00Z",
  site_id: 1,
  sequence: 1,
  data,
});

describe("belongsToRun", () => {
  it("takes the events of its doors, devices, credentials, schedules and audited resources", () => {
    expect(belongsToRun(event("door.opened", { door: { id: 10 } }), owned)).toBe(true);
    expect(belongsToRun(event("device.disconnected", { serial_number: "HQ-AB12-C01" }), owned)).toBe(true);
    expect(belongsToRun(event("credential.created", { credential: { id: 30 } }), owned)).toBe(true);
    expect(belongsToRun(event("schedule.activated", { schedule: { id: 40 }, doors: [] }), owned)).toBe(true);
    expect(belongsToRun(event("audit.user.updated", { resource: { type: "user", id: 20 } }), owned)).toBe(
      true,
    );
  });

  it("leaves out another run's, even at the same site", () => {
    expect(belongsToRun(event("door.opened", { door: { id: 11 } }), owned)).toBe(false);
    expect(belongsToRun(event("device.disconnected", { serial_number: "HQ-CD34-C01" }), owned)).toBe(false);
    expect(belongsToRun(event("audit.user.updated", { resource: { type: "user", id: 21 } }), owned)).toBe(
      false,
    );
    expect(belongsToRun(event("audit.door.created", { resource: { type: "door", id: 10 } }), owned)).toBe(
      false,
    );
    expect(belongsToRun(event("access.denied", { door: { id: 11 }, user: null }), owned)).toBe(false);
  });
});
