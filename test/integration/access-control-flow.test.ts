// The access-control core end to end through the API: readers asking for access, doors reporting their
// contacts, devices beating and falling silent, remote operations; each checked by the events it records.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/lib/clock.js";
import { startTestServer, type TestServer } from "../support/server.js";

/** Monday 2026-03-02 08:00 in Berlin. */
const MONDAY_8_BERLIN = Date.parse("2026-03-02T07:00:00Z");

let t: TestServer;
const clock = new ManualClock(MONDAY_8_BERLIN);
const ids = { site: 0, door: 0, exitDoor: 0, user: 0, group: 0, device: 0 };

async function created(path: string, body: unknown): Promise<any> {
  const res = await t.api("POST", path, body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

/** The events recorded after `cursor`, oldest first, and the cursor after them. */
async function eventsAfter(cursor: string): Promise<{ events: any[]; next: string }> {
  const res = await t.api("GET", `/v1/events?after=${cursor}&limit=1000`);
  expect(res.status).toBe(200);
  return { events: res.body.events, next: res.body.next_cursor };
}

let cursor = "0";
/** The types of the events recorded since the last call. */
async function newTypes(): Promise<string[]> {
  const { events, next } = await eventsAfter(cursor);
  cursor = next;
  return events.map((e) => e.type);
}
async function newEvents(): Promise<any[]> {
  const { events, next } = await eventsAfter(cursor);
  cursor = next;
  return events;
}

const card = (n: string) => ({ kind: "card", card: { facility_code: 7, card_number: n } });
const present = (door: number, credential: unknown, pin?: string) =>
  t.api("POST", `/v1/doors/${door}/access-requests`, { credential, ...(pin ? { pin } : {}) });

beforeAll(async () => {
  t = await startTestServer({ clock });
  ids.site = (await created("/v1/sites", { name: "HQ", time_zone: "Europe/Berlin" })).id;
  const weekdays = [1, 2, 3, 4, 5].map((day) => ({ day, start: "08:00", end: "18:00" }));
  const schedule = await created("/v1/schedules", { site_id: ids.site, name: "Office", windows: weekdays });
  ids.door = (
    await created("/v1/doors", {
      site_id: ids.site,
      name: "Lobby",
      area: { id: "building", direction: "entry" },
      unlock_duration_s: 5,
      held_open_threshold_s: 30,
    })
  ).id;
  ids.exitDoor = (
    await created("/v1/doors", {
      site_id: ids.site,
      name: "Lobby exit",
      area: { id: "building", direction: "exit" },
    })
  ).id;
  ids.group = (
    await created("/v1/access-groups", {
      site_id: ids.site,
      name: "Staff",
      schedule_id: schedule.id,
      door_ids: [ids.door, ids.exitDoor],
    })
  ).id;
  ids.user = (await created("/v1/users", { name: "Ada", group_ids: [ids.group] })).id;
  await created("/v1/credentials", { ...card("40001001"), user_id: ids.user });
  await created("/v1/credentials", { kind: "pin", pin: "2468", user_id: ids.user });
  ids.device = (
    await created("/v1/devices", {
      site_id: ids.site,
      serial_number: "CTRL-1",
      name: "Lobby controller",
      door_id: ids.door,
      // A day, so it never falls silent while the clock jumps between tests; the heartbeat test shortens it.
      heartbeat_timeout_s: 86_400,
    })
  ).id;
  cursor = (await eventsAfter("0")).next;
});
afterAll(async () => {
  await t.stop();
});
// Each test starts a few minutes after the last one ended, so grants and heartbeats of earlier tests
// have run out, and time never runs backwards for the store (still Monday morning office hours).
let testStart = MONDAY_8_BERLIN;
beforeEach(() => {
  testStart = Math.max(testStart, clock.now()) + 5 * 60_000;
  clock.set(testStart);
});

describe("the access decision through the API", () => {
  it("grants a valid card, records access.granted with the card masked, and unlocks the door", async () => {
    const res = await present(ids.door, card("40001001"));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ granted: true, method: "credential", event_id: expect.any(String) });
    const events = await newEvents();
    expect(events.map((e) => e.type)).toEqual(["access.granted", "lock.unlocked"]);
    expect(events[0].data).toMatchObject({
      door: { id: ids.door, name: "Lobby" },
      user: { id: ids.user, name: "Ada" },
      groups: [{ id: ids.group, name: expect.any(String) }],
      credential: { kind: "card", masked: "****1001" },
      method: "credential",
    });
    expect(JSON.stringify(events)).not.toContain("40001001");
    expect(events[0].site_id).toBe(ids.site);
  });

  it("denies re-entry without an exit (anti-passback), then lets the user out and in again", async () => {
    const again = await present(ids.door, card("40001001"));
    expect(again.body).toMatchObject({ granted: false, reason: "anti_passback" });
    expect((await present(ids.exitDoor, card("40001001"))).body.granted).toBe(true);
    expect((await present(ids.door, card("40001001"))).body.granted).toBe(true);
    expect((await newTypes()).filter((type) => type.startsWith("access."))).toEqual([
      "access.denied",
      "access.granted",
      "access.granted",
    ]);
    await present(ids.exitDoor, card("40001001"));
  });

  it("lets exactly one of several simultaneous presentations of one card through an entry", async () => {
    await present(ids.exitDoor, card("40001001"));
    const answers = await Promise.all(Array.from({ length: 6 }, () => present(ids.door, card("40001001"))));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(answers.filter((a) => a.body.granted)).toHaveLength(1);
    expect(answers.filter((a) => a.body.reason === "anti_passback")).toHaveLength(5);
    await present(ids.exitDoor, card("40001001"));
    await newTypes();
  });

  it("denies an unknown card, outside the schedule, and on a holiday, with the catalog's reasons", async () => {
    expect((await present(ids.door, card("40009999"))).body).toMatchObject({
      granted: false,
      reason: "unknown_credential",
    });
    clock.set(Date.parse("2026-03-01T09:00:00Z")); // a Sunday
    expect((await present(ids.door, card("40001001"))).body).toMatchObject({
      granted: false,
      reason: "outside_schedule",
    });
    clock.set(testStart);
    const holiday = await created("/v1/holidays", { site_id: ids.site, name: "Closed", date: "2026-03-02" });
    expect((await present(ids.door, card("40001001"))).body).toMatchObject({
      granted: false,
      reason: "holiday",
    });
    await t.api("DELETE", `/v1/holidays/${holiday.id}`);
    const denied = (await newEvents()).filter((e) => e.type === "access.denied");
    expect(denied.map((e) => e.data.reason)).toEqual(["unknown_credential", "outside_schedule", "holiday"]);
    expect(denied[0].data.user).toBeNull();
  });

  it("asks a card + PIN door for the user's PIN", async () => {
    const door = await created("/v1/doors", { site_id: ids.site, name: "Server room", requires_pin: true });
    await t.api("PATCH", `/v1/access-groups/${ids.group}`, { door_ids: [ids.door, ids.exitDoor, door.id] });
    expect((await present(door.id, card("40001001"))).body).toMatchObject({
      granted: false,
      reason: "invalid_pin",
    });
    expect((await present(door.id, card("40001001"), "1111")).body).toMatchObject({
      granted: false,
      reason: "invalid_pin",
    });
    expect((await present(door.id, card("40001001"), "2468")).body).toMatchObject({ granted: true });
    expect(JSON.stringify(await newEvents())).not.toContain("2468");
  });

  it("denies a suspended user's card as invalid_credential", async () => {
    await t.api("PATCH", `/v1/users/${ids.user}`, { status: "suspended" });
    expect((await present(ids.exitDoor, card("40001001"))).body).toMatchObject({
      granted: false,
      reason: "invalid_credential",
    });
    await t.api("PATCH", `/v1/users/${ids.user}`, { status: "active" });
    await newTypes();
  });
});

describe("doors and devices", () => {
  const input = (body: unknown) => t.api("POST", "/v1/devices/CTRL-1/inputs", body);
  /** The events about the Lobby door since the last look: the exit door's relock may land in between. */
  const lobbyEvents = async () => (await newEvents()).filter((e) => e.data.door?.id === ids.door);

  it("reports an opening nobody was granted as forced, and secures it on closing", async () => {
    await newTypes();
    expect((await input({ input: "door_contact", state: "open" })).status).toBe(200);
    expect((await input({ input: "door_contact", state: "closed" })).status).toBe(200);
    const events = await lobbyEvents();
    const types = events.map((e) => e.type);
    expect(types).toContain("door.forced_open");
    expect(types.indexOf("door.opened")).toBeLessThan(types.indexOf("door.forced_open"));
    expect(types.slice(-2)).toEqual(["door.closed", "door.secured"]);
    // Each names the device whose door contact reported it.
    for (const e of events) expect(e.data.serial_number, e.type).toBe("CTRL-1");
  });

  it("lets a granted opening pass, and reports it held open past the threshold", async () => {
    await present(ids.exitDoor, card("40001001"));
    await present(ids.door, card("40001001"));
    await input({ input: "door_contact", state: "open" });
    clock.advance(31_000);
    await t.server.sweeper.sweep();
    await input({ input: "door_contact", state: "closed" });
    const events = await newEvents();
    const types = events.map((e) => e.type);
    expect(types).not.toContain("door.forced_open");
    expect(types).toContain("door.held_open");
    const secured = events.find((e) => e.type === "door.secured");
    expect(secured?.data).toMatchObject({ door: { id: ids.door }, previous: "held" });
  });

  it("relocks when the unlock time runs out", async () => {
    await t.api("POST", `/v1/doors/${ids.door}/unlock`, { seconds: 3 });
    expect((await t.api("GET", `/v1/doors/${ids.door}/state`)).body).toMatchObject({ lock: "unlocked" });
    clock.advance(3_001);
    await t.server.sweeper.sweep();
    expect((await t.api("GET", `/v1/doors/${ids.door}/state`)).body).toMatchObject({ lock: "locked" });
    const events = await lobbyEvents();
    expect(events[0]).toMatchObject({ type: "access.granted", data: { method: "remote_api" } });
    expect(events.filter((e) => e.type.startsWith("lock.")).map((e) => e.data.cause)).toEqual([
      "remote_api",
      "relock_timer",
    ]);
  });

  it("locks a door down: mode_changed, audited, and every card denied", async () => {
    const res = await t.api("POST", `/v1/doors/${ids.exitDoor}/mode`, { mode: "locked_down" });
    expect(res.status).toBe(200);
    expect((await present(ids.exitDoor, card("40001001"))).body).toMatchObject({
      granted: false,
      reason: "lockdown",
    });
    expect((await t.api("POST", `/v1/doors/${ids.exitDoor}/unlock`, {})).status).toBe(409);
    await t.api("POST", `/v1/doors/${ids.exitDoor}/mode`, { mode: "normal" });
    const types = await newTypes();
    expect(types.filter((x) => x === "door.mode_changed")).toHaveLength(2);
    expect(types.filter((x) => x === "audit.door.updated")).toHaveLength(2);
  });

  it("reports heartbeats, a device falling silent, and its return", async () => {
    const beat = () =>
      t.api("POST", "/v1/devices/CTRL-1/heartbeat", { firmware_version: "2.1.0", ip_address: "10.0.0.5" });
    expect((await t.api("PATCH", `/v1/devices/${ids.device}`, { heartbeat_timeout_s: 60 })).status).toBe(200);
    expect((await beat()).status).toBe(200);
    const first = await newEvents();
    expect(first.map((e) => e.type)).toContain("device.healthcheck");
    expect(first.find((e) => e.type === "device.healthcheck")?.data).toMatchObject({
      serial_number: "CTRL-1",
      firmware_version: "2.1.0",
      ip_address: "10.0.0.5",
      connected: true,
    });
    clock.advance(61_000);
    await t.server.sweeper.sweep();
    await t.server.sweeper.sweep();
    expect(await newTypes()).toEqual(["device.disconnected"]);
    expect((await t.api("GET", "/v1/devices?limit=10")).body.devices[0]).toMatchObject({ connected: false });
    await beat();
    expect(await newTypes()).toEqual(["device.connected", "device.healthcheck"]);
    await t.api("PATCH", `/v1/devices/${ids.device}`, { heartbeat_timeout_s: 86_400 });
    await beat();
    await newTypes();
  });

  it("accepts intercom, lift, login and alarm events from a device and refuses Gatehouse's own", async () => {
    const report = (body: unknown) => t.api("POST", "/v1/devices/CTRL-1/events", body);
    expect((await report({ type: "call.incoming", data: { from: "Apartment 12" } })).status).toBe(200);
    expect(
      (
        await report({
          type: "alarm.triggered",
          data: { alarm_group: "Server room", sensor: "smoke", severity: "critical" },
        })
      ).status,
    ).toBe(200);
    const refused = await report({ type: "access.granted", data: {} });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatch(/^type: /);
    const events = await newEvents();
    expect(events.map((e) => e.type)).toEqual(["call.incoming", "alarm.triggered"]);
    expect(events[0].data).toMatchObject({ serial_number: "CTRL-1", from: "Apartment 12" });
    expect((await t.api("POST", "/v1/devices/NOPE/heartbeat", {})).status).toBe(404);
  });

  it("reports a schedule opening and closing, with the doors it opens", async () => {
    // A window from 2 to 4 minutes from now, in the site's local time (Berlin, UTC+1 in March).
    const local = (ms: number) => new Date(ms + 3_600_000).toISOString().slice(11, 16);
    const now = clock.now();
    const day = new Date(now + 3_600_000).getUTCDay();
    const windows = [{ day, start: local(now + 2 * 60_000), end: local(now + 4 * 60_000) }];
    const schedule = await created("/v1/schedules", { site_id: ids.site, name: "Cleaners", windows });
    await created("/v1/access-groups", {
      site_id: ids.site,
      name: "Cleaners",
      schedule_id: schedule.id,
      door_ids: [ids.door],
    });
    await t.server.sweeper.sweep();
    const scheduleEvents = async () => (await newEvents()).filter((e) => e.type.startsWith("schedule."));
    expect(await scheduleEvents()).toEqual([]);
    clock.advance(2 * 60_000);
    await t.server.sweeper.sweep();
    const [opened] = await scheduleEvents();
    expect(opened).toMatchObject({
      type: "schedule.activated",
      site_id: ids.site,
      data: { schedule: { id: schedule.id, name: "Cleaners" }, doors: [{ id: ids.door, name: "Lobby" }] },
    });
    clock.advance(2 * 60_000);
    await t.server.sweeper.sweep();
    expect((await scheduleEvents()).map((e) => e.type)).toEqual(["schedule.deactivated"]);
  });

  it("keeps one increasing sequence per site across all of it", async () => {
    const { events } = await eventsAfter("0");
    const siteSeq = events.filter((e) => e.site_id === ids.site).map((e) => e.sequence);
    expect(siteSeq.length).toBeGreaterThan(20);
    expect(siteSeq).toEqual([...siteSeq].sort((a, b) => a - b));
    expect(new Set(siteSeq).size).toBe(siteSeq.length);
  });
});
