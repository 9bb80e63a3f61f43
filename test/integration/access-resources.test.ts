// The access-control resources over the API: create/list/get/patch/delete for each, reference checks,
// and the audit and credential events every change commits with it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../support/server.js";

let t: TestServer;

beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t.stop();
});

async function created(path: string, body: unknown) {
  const res = await t.api("POST", path, body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

async function eventsOfType(type: string) {
  const res = await t.api("GET", `/v1/events?limit=1000&type=${type}`);
  expect(res.status).toBe(200);
  return res.body.events as Array<{ type: string; site_id: number | null; sequence: number; data: any }>;
}

describe("access-control resources", () => {
  it("builds a site with a schedule, doors, a group, a user and a card, and audits each change", async () => {
    const site = await created("/v1/sites", { name: "HQ", time_zone: "Europe/Berlin" });
    expect(site).toMatchObject({ id: expect.any(Number), name: "HQ", time_zone: "Europe/Berlin" });
    const schedule = await created("/v1/schedules", {
      site_id: site.id,
      name: "Office hours",
      windows: [{ day: 1, start: "08:00", end: "18:00" }],
    });
    const door = await created("/v1/doors", { site_id: site.id, name: "Main entrance" });
    expect(door).toMatchObject({
      mode: "normal",
      unlock_duration_s: 5,
      held_open_threshold_s: 30,
      area: null,
    });
    const group = await created("/v1/access-groups", {
      site_id: site.id,
      name: "Staff",
      schedule_id: schedule.id,
      door_ids: [door.id],
    });
    expect(group.door_ids).toEqual([door.id]);
    const user = await created("/v1/users", { name: "Ada", email: "ada@example.com", group_ids: [group.id] });
    expect(user.group_ids).toEqual([group.id]);
    const card = await created("/v1/credentials", {
      kind: "card",
      user_id: user.id,
      card: { facility_code: 12, card_number: "4242424242" },
    });
    expect(card).toMatchObject({ kind: "card", masked: "****4242", card: { facility_code: 12 } });
    const pin = await created("/v1/credentials", { kind: "pin", user_id: user.id, pin: "123456" });
    expect(JSON.stringify(pin)).not.toContain("123456");

    const doorAudit = await eventsOfType("audit.door.created");
    expect(doorAudit).toHaveLength(1);
    expect(doorAudit[0]?.site_id).toBe(site.id);
    expect(doorAudit[0]?.data).toMatchObject({
      actor: { type: "api_key" },
      resource: { type: "door", id: door.id },
      changes: { name: { after: "Main entrance" } },
    });
    const credentialCreated = await eventsOfType("credential.created");
    expect(credentialCreated.map((e) => e.data.credential.kind).sort()).toEqual(["card", "pin"]);
    expect(JSON.stringify(await eventsOfType("*"))).not.toContain("123456");
  });

  it("patches only what changed and audits before and after", async () => {
    const user = await created("/v1/users", { name: "Bob" });
    const res = await t.api("PATCH", `/v1/users/${user.id}`, { status: "suspended" });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe("suspended");
    const audits = (await eventsOfType("audit.user.updated")).filter((e) => e.data.resource.id === user.id);
    expect(audits).toHaveLength(1);
    expect(audits[0]?.data.changes).toEqual({ status: { before: "active", after: "suspended" } });
  });

  it("refuses references to things that do not exist, naming the field, and stores nothing", async () => {
    const before = (await t.api("GET", "/v1/doors")).body.doors.length;
    const res = await t.api("POST", "/v1/doors", { site_id: 9999, name: "Nowhere" });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe("site_id: no site 9999");
    expect((await t.api("GET", "/v1/doors")).body.doors.length).toBe(before);
  });

  it("answers 404 for an unknown id and 400 for a malformed one", async () => {
    expect((await t.api("GET", "/v1/doors/424242")).body).toMatchObject({ error: "door 424242 not found" });
    const bad = await t.api("GET", "/v1/doors/abc");
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatch(/^id: /);
  });

  it("keeps duplicate card numbers out with 409", async () => {
    const body = { kind: "card", card: { facility_code: 1, card_number: "777" } };
    await created("/v1/credentials", body);
    const again = await t.api("POST", "/v1/credentials", body);
    expect(again.status).toBe(409);
  });

  it("deletes, audits the deletion, and refuses to delete a site still in use", async () => {
    const site = await created("/v1/sites", { name: "Annex" });
    const holiday = await created("/v1/holidays", { site_id: site.id, name: "Xmas", date: "2026-12-25" });
    expect((await t.api("DELETE", `/v1/sites/${site.id}`)).status).toBe(409);
    expect((await t.api("DELETE", `/v1/holidays/${holiday.id}`)).status).toBe(204);
    expect((await t.api("GET", `/v1/holidays/${holiday.id}`)).status).toBe(404);
    const audits = await eventsOfType("audit.holiday.deleted");
    expect(audits.at(-1)?.data.changes.name).toEqual({ before: "Xmas" });
    expect((await t.api("DELETE", `/v1/sites/${site.id}`)).status).toBe(204);
  });

  it("needs a viewer to read and an administrator to change", async () => {
    expect((await t.api("GET", "/v1/users", undefined, null)).status).toBe(401);
    const viewer = await t.api("POST", "/v1/api-keys", { name: "v", role: "viewer" });
    expect((await t.api("GET", "/v1/users", undefined, viewer.body.key)).status).toBe(200);
    const refused = await t.api("POST", "/v1/users", { name: "Eve" }, viewer.body.key);
    expect(refused.status).toBe(403);
    expect(refused.body.error).toBe("Administrator rights required");
  });
});
