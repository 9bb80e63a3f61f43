// What devices tell Gatehouse: heartbeats (and, by their absence, disconnections), door inputs, and the
// events they report themselves (intercom calls, lift calls, logins, alarms, boots).
import { z } from "@hono/zod-openapi";
import type { Kysely, Selectable } from "kysely";
import { checkLiveness, heartbeat, livenessDueAt } from "../core/device-liveness.js";
import { eventTypeGroup, isKnownEventType } from "../events/catalog.js";
import { eventDataIssues } from "../events/data-schemas.js";
import type { EventIn } from "../events/ingest.js";
import { errors } from "../http/errors.js";
import { typeError } from "../lib/validation.js";
import type { Database, DevicesTable } from "../store/schema.js";
import { driveDoor } from "./door-control.js";
import { getDoor } from "./doors.js";
import { numOrNull } from "./resource.js";

type DeviceRow = Selectable<DevicesTable>;

export const HeartbeatIn = z
  .strictObject({
    firmware_version: z
      .string({ error: typeError("a string") })
      .max(100, { error: "must be at most 100 characters" })
      .optional(),
    ip_address: z
      .string({ error: typeError("a string") })
      .max(100, { error: "must be at most 100 characters" })
      .optional(),
    database_active: z.boolean({ error: "must be true or false" }).default(true),
  })
  .openapi("HeartbeatIn");
export type HeartbeatIn = z.infer<typeof HeartbeatIn>;

export const DeviceInputIn = z
  .discriminatedUnion(
    "input",
    [
      z.strictObject({
        input: z.literal("door_contact"),
        state: z.enum(["open", "closed"], { error: "must be one of: open, closed" }),
      }),
      z.strictObject({ input: z.literal("exit_button") }),
      z.strictObject({ input: z.literal("tamper"), point: z.string().max(100).default("enclosure") }),
    ],
    { error: "input: must be one of: door_contact, exit_button, tamper" },
  )
  .openapi("DeviceInputIn");
export type DeviceInputIn = z.infer<typeof DeviceInputIn>;

/** Event groups and types a device may report as they happened; the rest are Gatehouse's own to produce. */
const REPORTABLE_GROUPS = new Set(["call", "lift", "login", "alarm"]);
const REPORTABLE_TYPES = new Set([
  "device.booted",
  "device.tamper",
  "device.sip_registration_lost",
  "device.input_changed",
  "device.output_changed",
  "lock.emergency_unlocked",
  "lock.unlocked_too_long",
]);

export function isReportable(type: string): boolean {
  return (
    isKnownEventType(type) && (REPORTABLE_GROUPS.has(eventTypeGroup(type)) || REPORTABLE_TYPES.has(type))
  );
}

export const DeviceEventIn = z
  .strictObject({
    type: z.string({ error: typeError("an event type") }).refine(isReportable, {
      error:
        "must be an event type devices report: call.*, lift.*, login.*, alarm.*, device.booted, device.tamper, device.sip_registration_lost, device.input_changed, device.output_changed, lock.emergency_unlocked, lock.unlocked_too_long",
    }),
    timestamp: z.iso.datetime({ offset: true, error: "must be an ISO 8601 time with an offset" }).optional(),
    data: z.record(z.string(), z.unknown(), { error: typeError("an object") }).default({}),
  })
  // The data must fit the type's schema once Gatehouse has added the device's serial number.
  .superRefine((event, ctx) => {
    if (ctx.issues.length > 0) return;
    for (const issue of eventDataIssues(event.type, { ...event.data, serial_number: "-" })) {
      ctx.addIssue({ ...issue, path: ["data", ...issue.path] });
    }
  })
  .openapi("DeviceEventIn");
export type DeviceEventIn = z.infer<typeof DeviceEventIn>;

/** An event about the device itself: its type, the device's site, and its serial number as the data. */
const deviceEvent = (row: DeviceRow, type: string): EventIn => ({
  type,
  site_id: Number(row.site_id),
  data: { serial_number: row.serial_number },
});

const livenessOf = (row: DeviceRow) => ({
  connected: Boolean(row.connected),
  last_seen_at: numOrNull(row.last_seen_at),
});
const timeoutMs = (row: DeviceRow) => row.heartbeat_timeout_s * 1000;

/** A sign of life: the device is seen now, so it is connected (again) and due a liveness check later. */
async function seen(
  db: Kysely<Database>,
  row: DeviceRow,
  now: number,
  changes: Partial<DeviceRow> = {},
): Promise<EventIn[]> {
  const { state, events } = heartbeat(livenessOf(row), now);
  await db
    .updateTable("devices")
    .set({
      ...changes,
      connected: state.connected ? 1 : 0,
      last_seen_at: state.last_seen_at,
      liveness_due_at: livenessDueAt(state, timeoutMs(row)),
    })
    .where("id", "=", row.id)
    .execute();
  return events.map((type) => deviceEvent(row, type));
}

export async function recordHeartbeat(
  db: Kysely<Database>,
  row: DeviceRow,
  input: HeartbeatIn,
  now: number,
): Promise<EventIn[]> {
  const firmware = input.firmware_version ?? row.firmware_version;
  const ip = input.ip_address ?? row.ip_address;
  const events = await seen(db, row, now, { firmware_version: firmware, ip_address: ip });
  events.push({
    type: "device.healthcheck",
    site_id: Number(row.site_id),
    data: {
      serial_number: row.serial_number,
      firmware_version: firmware,
      database_active: input.database_active,
      connected: true,
      ip_address: ip,
    },
  });
  return events;
}

export async function recordInput(
  db: Kysely<Database>,
  row: DeviceRow,
  input: DeviceInputIn,
  now: number,
): Promise<EventIn[]> {
  const events = await seen(db, row, now);
  const site = Number(row.site_id);
  if (input.input === "tamper") {
    events.push({
      type: "device.tamper",
      site_id: site,
      data: { serial_number: row.serial_number, input: input.point },
    });
    return events;
  }
  const door = row.door_id === null ? undefined : await getDoor(db, Number(row.door_id));
  if (!door) throw errors.conflict(`device ${row.serial_number} has no door; set its door_id first`);
  const doorInput =
    input.input === "exit_button"
      ? { kind: "exit_button" as const }
      : { kind: "contact" as const, state: input.state };
  // What the door does because of this device's input names the device (Alocity's serialNumber, BAS-IP's door
  // sensor names): events that follow later from time alone (held open, relock) do not.
  const driven = await driveDoor(db, door, doorInput, now);
  events.push(...driven.map((e) => ({ ...e, data: { ...e.data, serial_number: row.serial_number } })));
  return events;
}

export async function recordReport(
  db: Kysely<Database>,
  row: DeviceRow,
  input: DeviceEventIn,
  now: number,
): Promise<EventIn[]> {
  const events = await seen(
    db,
    row,
    now,
    input.type === "device.booted" && typeof input.data.firmware_version === "string"
      ? { firmware_version: input.data.firmware_version }
      : {},
  );
  events.push({
    type: input.type,
    site_id: Number(row.site_id),
    ...(input.timestamp ? { timestamp: input.timestamp } : {}),
    data: { ...input.data, serial_number: row.serial_number },
  });
  return events;
}

/** Devices whose liveness check is due, with their site. */
export async function dueDevices(
  db: Kysely<Database>,
  now: number,
  limit: number,
): Promise<Array<{ id: number; site_id: number }>> {
  const rows = await db
    .selectFrom("devices")
    .select(["id", "site_id"])
    .where("liveness_due_at", "<=", now)
    .orderBy("liveness_due_at")
    .limit(limit)
    .execute();
  return rows.map((r) => ({ id: Number(r.id), site_id: Number(r.site_id) }));
}

/** Checks one device's liveness if still due: a device silent too long is reported disconnected, once. */
export async function checkDevice(db: Kysely<Database>, id: number, now: number): Promise<EventIn[]> {
  const row = await db.selectFrom("devices").selectAll().where("id", "=", id).executeTakeFirst();
  const due = row ? numOrNull(row.liveness_due_at) : null;
  if (!row || due === null || due > now) return [];
  const { state, events } = checkLiveness(livenessOf(row), now, timeoutMs(row));
  await db
    .updateTable("devices")
    .set({ connected: state.connected ? 1 : 0, liveness_due_at: livenessDueAt(state, timeoutMs(row)) })
    .where("id", "=", row.id)
    .execute();
  return events.map((type) => deviceEvent(row, type));
}
