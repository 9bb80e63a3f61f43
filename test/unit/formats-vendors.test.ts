// The vendor formats against their seeds: Kisi's sample payload and Alocity's payload objects, field for field.
import { describe, expect, it } from "vitest";
import { cardNumberLong, renderAlocity } from "../../src/delivery/formats/alocity.js";
import { renderBasip } from "../../src/delivery/formats/basip.js";
import { viewOf } from "../../src/delivery/formats/event-view.js";
import { geneaPayloadVersion, renderGenea } from "../../src/delivery/formats/genea.js";
import { renderBody } from "../../src/delivery/formats/index.js";
import { renderKisi } from "../../src/delivery/formats/kisi.js";
import { EVENT_TYPES } from "../../src/events/catalog.js";
import { sampleEvent, sampleEvents } from "../../src/events/samples.js";
import { vendorEventName } from "../../src/events/vendor-names.js";
import { EMPTY_GUID, resourceGuid } from "../../src/lib/ids.js";
import type { StoredEvent } from "../../src/store/events.js";

// Seed 001's sample webhook payload, as Kisi documents it.
const KISI_SEED = {
  uuid: "d7cf0237-a492-4e5d-b20c-f58fc3ef4eff",
  actor_type: "string",
  actor_id: 0,
  actor_name: "string",
  object_type: "Lock",
  object_id: 0,
  object_name: "string",
  organization_id: 0,
  place_id: 0,
  success: true,
  type: "lock.unlock",
  error_code: null,
  error_message: null,
  created_at: "2022-10-06T13:49:35Z",
};

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A value's JSON type, telling integers from other numbers and GUIDs from other strings. */
function jsonType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  if (typeof value === "string" && GUID.test(value)) return "guid";
  return typeof value;
}

const typesOf = (body: Record<string, unknown>) =>
  Object.entries(body).map(([key, value]) => [key, jsonType(value)]);

const samples = sampleEvents();
const sample = (name: string): StoredEvent => {
  const found = samples.find((s) => s.name === name);
  if (!found) throw new Error(`no sample ${name}`);
  return found.event;
};
const view = (name: string) => viewOf(sample(name));
const all = samples.map((s) => [s.name, viewOf(s.event)] as const);

describe("kisi", () => {
  it("renders access.granted with exactly the seed sample's keys, in order, and JSON types", () => {
    const body = renderKisi(view("access.granted"));
    expect(Object.keys(body)).toEqual(Object.keys(KISI_SEED));
    expect(typesOf(body)).toEqual(typesOf(KISI_SEED));
    expect(typeof JSON.parse(JSON.stringify(body)).created_at).toBe("string");
  });

  it.each(all)("keeps the seed's keys and only documented nulls for %s", (_, event) => {
    const body = renderKisi(event);
    expect(Object.keys(body)).toEqual(Object.keys(KISI_SEED));
    const nullable = ["actor_type", "actor_id", "actor_name", "object_type", "object_id", "object_name"];
    for (const [key, type] of typesOf(body)) {
      const seed = jsonType(KISI_SEED[key as keyof typeof KISI_SEED]);
      const allowed = [seed, ...(nullable.includes(key as string) || key === "place_id" ? ["null"] : [])];
      if (key === "uuid") allowed.push("string");
      if (key === "error_code" || key === "error_message") allowed.push("string");
      if (key === "object_type" || key === "actor_type") allowed.push("string");
      expect(allowed, `${key}`).toContain(type);
    }
    expect(body.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(body.uuid).toBe(event.id);
  });

  it("names the actor as the seed does: User, null for the exit button, GroupLink for a shared link", () => {
    expect(renderKisi(view("access.granted"))).toMatchObject({ actor_type: "User", actor_id: 42 });
    expect(renderKisi(view("access.granted.exit_button"))).toMatchObject({
      actor_type: null,
      actor_id: null,
      actor_name: null,
    });
    expect(renderKisi(view("access.granted.shared_credential"))).toMatchObject({
      actor_type: "GroupLink",
      actor_id: 82,
    });
  });

  it("reports a denial as lock.unlock with success false, a stable code and a message", () => {
    expect(renderKisi(view("access.denied.outside_schedule"))).toMatchObject({
      type: "lock.unlock",
      success: false,
      error_code: "outside_schedule",
      error_message: "Outside the access schedule",
    });
    for (const [name, event] of all.filter(([, e]) => e.type === "access.denied")) {
      const body = renderKisi(event);
      expect(body.error_code, name).toBe(event.data.reason);
      expect(body.error_message, name).not.toBe("Access denied");
    }
  });

  it("uses lock.opened and login.create, and the canonical name where Kisi has none", () => {
    expect(renderKisi(view("door.opened")).type).toBe("lock.opened");
    expect(renderKisi(view("login.succeeded")).type).toBe("login.create");
    expect(renderKisi(view("door.closed")).type).toBe("door.closed");
    expect(renderKisi(view("audit.door.updated"))).toMatchObject({ object_type: "Door", object_id: 3 });
  });
});

// Seed 003's payload objects: field names, in order, and types (Guid and long as JSON would carry them).
const ALOCITY_SEED: Record<string, Record<string, string>> = {
  "door.healthcheck": {
    serialNumber: "string",
    firmwareVersion: "string",
    databaseActive: "boolean",
    isConnected: "boolean",
    ipAddress: "string",
  },
  "door.state": { serialNumber: "string", doorState: "string" },
  "lock.state": { serialNumber: "string", lockState: "string" },
  "user.card": { userId: "guid", action: "string", facilityCode: "integer", cardNumber: "integer" },
  "user.face": { id: "guid", action: "string" },
};

describe("alocity", () => {
  const rendered = all.map(([name, event]) => [name, event, renderAlocity(event)] as const);

  it("wraps every event in {id, eventCode, timestamp, payload}", () => {
    for (const [name, event, body] of rendered) {
      expect(Object.keys(body), name).toEqual(["id", "eventCode", "timestamp", "payload"]);
      expect(body.id).toBe(event.id);
      expect(body.eventCode).toBe(vendorEventName("alocity", event.type, event.data) ?? event.type);
    }
  });

  it.each(Object.keys(ALOCITY_SEED))("gives %s exactly seed 003's fields and types", (code) => {
    const bodies = rendered.filter(([, , body]) => body.eventCode === code);
    expect(bodies.length).toBeGreaterThan(0);
    for (const [name, , body] of bodies) {
      expect(typesOf(body.payload as Record<string, unknown>), name).toEqual(
        Object.entries(ALOCITY_SEED[code] as Record<string, string>),
      );
    }
  });

  it("sends an empty ipAddress for a change of connection, the device's own on a health check", () => {
    expect(renderAlocity(view("device.disconnected")).payload).toMatchObject({
      isConnected: false,
      ipAddress: "",
    });
    expect(renderAlocity(view("device.connected")).payload).toMatchObject({
      isConnected: true,
      ipAddress: "",
    });
    expect(renderAlocity(view("device.healthcheck")).payload).toMatchObject({ ipAddress: "10.20.0.21" });
  });

  it("uses the seed's actions, the documented door and lock states, and derived GUIDs", () => {
    expect(renderAlocity(view("credential.created")).payload).toEqual({
      userId: resourceGuid("user", 42),
      action: "Created",
      facilityCode: 117,
      cardNumber: 40015678,
    });
    const faces = ["credential.face_enrolled", "credential.face_updated", "credential.face_removed"];
    expect(faces.map((t) => (renderAlocity(view(t)).payload as { action: string }).action)).toEqual([
      "Enrolled",
      "Updated",
      "Removed",
    ]);
    expect(renderAlocity(view("credential.face_removed.no_user")).payload).toEqual({
      id: EMPTY_GUID,
      action: "Removed",
    });
    const door = ["door.opened", "door.closed", "door.forced_open", "door.held_open", "door.secured"];
    expect(door.map((t) => (renderAlocity(view(t)).payload as { doorState: string }).doorState)).toEqual([
      "Open",
      "Closed",
      "ForcedOpen",
      "HeldOpen",
      "Secured",
    ]);
    const lock = ["lock.unlocked", "lock.locked", "lock.emergency_unlocked"];
    expect(lock.map((t) => (renderAlocity(view(t)).payload as { lockState: string }).lockState)).toEqual([
      "Unlocked",
      "Locked",
      "EmergencyUnlocked",
    ]);
  });

  it("knows a door by the reporting device's serial, else by gatehouse-door-<id>", () => {
    expect(renderAlocity(view("door.opened")).payload).toMatchObject({ serialNumber: "gatehouse-door-3" });
    expect(renderAlocity(view("door.opened.sensor")).payload).toMatchObject({ serialNumber: "GH-ICOM-0007" });
  });

  it("gives every access log the same model", () => {
    const logs = rendered.filter(([, , body]) => body.eventCode === "accesslog.created");
    const keys = Object.keys(logs[0]?.[2].payload as object);
    for (const [name, , body] of logs) expect(Object.keys(body.payload as object), name).toEqual(keys);
  });

  it.each([
    ["40015678", 40015678],
    ["00A1", 161],
    ["9007199254740991", 9007199254740991],
    ["9007199254740993", 0],
    ["FFFFFFFFFFFFFFFFFF", 0],
    ["", 0],
  ])("reads card number %s as the long %d", (input, expected) => {
    expect(cardNumberLong(input)).toBe(expected);
  });
});

describe("basip", () => {
  it("carries the log.* name, the Unix time in seconds and the references flat", () => {
    expect(renderBasip(view("access.denied"))).toEqual({
      event_type: "log.access_denied_by_unknown_card",
      event_id: sample("access.denied").id,
      timestamp: 1741076130,
      site_id: 1,
      info: {
        door_id: 3,
        door_name: "Main Entrance",
        reader_name: "Main Entrance reader (outside)",
        credential_id: null,
        credential_kind: "card",
        credential_masked: "****9921",
        user_id: null,
        user_name: null,
        reason: "unknown_credential",
      },
    });
  });

  it("uses the canonical name, without log., for a type BAS-IP has no name for", () => {
    expect(renderBasip(view("door.forced_open")).event_type).toBe("door.forced_open");
  });
});

describe("genea", () => {
  const accessKeys = (version: "v1" | "v2" | "v3", name: string) =>
    Object.keys(renderGenea(view(name), version));

  it("adds Mercury's hardware fields from v2 on, and any credential from v3 on", () => {
    expect(accessKeys("v1", "access.granted")).not.toContain("event_hw_info");
    expect(accessKeys("v1", "access.granted")).not.toContain("controller");
    expect(accessKeys("v2", "access.granted")).toEqual(
      expect.arrayContaining(["event_hw_info", "controller", "card"]),
    );
    expect(accessKeys("v3", "access.granted")).toContain("credential");
    expect(accessKeys("v3", "access.granted")).not.toContain("card");
    expect(renderGenea(view("access.granted.pin"), "v2").card).toBeNull();
    expect(renderGenea(view("access.granted.pin"), "v3").credential).toMatchObject({ type: "PIN" });
  });

  it("says null for nobody in v1 and v2, SYSTEM in v3", () => {
    expect(renderGenea(view("door.forced_open"), "v2").actor).toBeNull();
    expect(renderGenea(view("door.forced_open"), "v3").actor).toEqual({ type: "SYSTEM" });
  });

  it("keeps v1's payload under v3 for VertX access and non-user audit events, not user-related audit", () => {
    const vertx = (type: string) =>
      viewOf({
        ...sampleEvent(type),
        data_json: JSON.stringify({ ...JSON.parse(sampleEvent(type).data_json), hardware: "vertx" }),
      });
    expect(geneaPayloadVersion(vertx("access.granted"), "v3")).toBe("v1");
    expect(geneaPayloadVersion(vertx("audit.door.updated"), "v3")).toBe("v1");
    expect(geneaPayloadVersion(vertx("audit.user.updated"), "v3")).toBe("v3");
    expect(geneaPayloadVersion(vertx("audit.site.created"), "v3")).toBe("v3");
    expect(geneaPayloadVersion(vertx("credential.created"), "v3")).toBe("v3");
    expect(geneaPayloadVersion(view("access.granted"), "v3")).toBe("v3");
    expect(geneaPayloadVersion(vertx("access.granted"), "v2")).toBe("v2");
    expect(renderGenea(vertx("access.granted"), "v3")).toEqual(renderGenea(vertx("access.granted"), "v1"));
  });

  it("sends ACCESS events by Genea's names and AUDIT events for records, with the change in v3", () => {
    expect(renderGenea(view("access.denied.anti_passback"), "v3")).toMatchObject({
      event_type: "ACCESS",
      event_action: "SEQUR_ANTI_PASSBACK_VIOLATION",
      event_message: "Anti-Passback Violation",
      event_note: "already inside",
    });
    expect(renderGenea(view("audit.user.updated"), "v3")).toMatchObject({
      event_type: "AUDIT",
      event_action: "UPDATED",
      event_message: "Updated User 42",
      audit_resource: { id: 42, type: "USER", changes: { status: { before: "active", after: "suspended" } } },
    });
    expect(renderGenea(view("audit.user.updated"), "v2").audit_resource).not.toHaveProperty("changes");
  });
});

describe("every format", () => {
  const formats = ["kisi", "alocity", "basip", "genea"] as const;

  it.each(EVENT_TYPES.map((t) => t.type))("renders %s without throwing, in every version", (type) => {
    for (const format of formats) {
      for (const version of format === "genea" ? ["v1", "v2", "v3"] : [null]) {
        const settings = {
          payload_format: format,
          payload_version: version,
          template: null,
          template_content_type: null,
          custom_body: {},
        };
        expect(() => JSON.parse(renderBody(settings, sampleEvent(type)).body)).not.toThrow();
      }
    }
  });

  it("renders sparse data (what old rows or open objects may hold) without throwing", () => {
    const sparse = (type: string): StoredEvent => ({ ...sampleEvent(type), data_json: "{}" });
    for (const { type } of EVENT_TYPES) {
      for (const render of [
        renderKisi,
        renderAlocity,
        renderBasip,
        (e: ReturnType<typeof viewOf>) => renderGenea(e, "v3"),
      ]) {
        expect(() => render(viewOf(sparse(type))), type).not.toThrow();
      }
    }
  });

  it("merges a custom body under the vendor's own fields", () => {
    const settings = {
      payload_format: "kisi" as const,
      payload_version: null,
      template: null,
      template_content_type: null,
      custom_body: { ddsource: "gatehouse", type: "x" },
    };
    const body = JSON.parse(renderBody(settings, sampleEvent("access.granted")).body);
    expect(body).toMatchObject({ ddsource: "gatehouse", type: "lock.unlock" });
  });
});

describe("resourceGuid", () => {
  it("derives a stable UUID v5 per resource kind and id", () => {
    expect(resourceGuid("user", 42)).toBe("6ad2da2a-0d68-5e03-9d41-d2ac7c6931bb");
    expect(resourceGuid("user", 42)).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(resourceGuid("door", 42)).not.toBe(resourceGuid("user", 42));
    expect(resourceGuid("user", "42")).toBe(resourceGuid("user", 42));
  });
});
