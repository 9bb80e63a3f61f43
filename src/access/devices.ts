// Devices: controllers, readers, intercoms and lift modules, known by serial number, with their liveness.
import { z } from "@hono/zod-openapi";
import type { Kysely, Selectable } from "kysely";
import { errors } from "../http/errors.js";
import { typeError } from "../lib/validation.js";
import type { Database, DevicesTable } from "../store/schema.js";
import { isoOrNull, label, resourceId, seconds, stampsOut } from "./fields.js";
import {
  baseOut,
  deleteRow,
  insertRow,
  numOrNull,
  type ResourceSpec,
  requireIds,
  rowReads,
  updateRow,
} from "./resource.js";

export const SERIAL_PATTERN = /^[A-Za-z0-9._:-]{1,64}$/;

const serialNumber = z
  .string({ error: typeError("a string") })
  .regex(SERIAL_PATTERN, { error: "must be 1–64 letters, digits or . _ : -" })
  .openapi({ example: "GH-CTRL-0001" });

const DeviceKind = z.enum(["controller", "reader", "intercom", "lift", "panel"], {
  error: "must be one of: controller, reader, intercom, lift, panel",
});

const fields = {
  name: label(),
  kind: DeviceKind,
  door_id: resourceId.nullable().openapi({ description: "The door whose inputs this device reports" }),
  firmware_version: z
    .string({ error: typeError("a string") })
    .max(100, { error: "must be at most 100 characters" }),
  ip_address: z
    .string({ error: typeError("a string") })
    .max(100, { error: "must be at most 100 characters" }),
  heartbeat_timeout_s: seconds(10, 86400).openapi({
    description: "A device silent for longer than this is reported with device.disconnected",
  }),
};

export const DeviceIn = z
  .strictObject({
    site_id: resourceId,
    serial_number: serialNumber,
    name: fields.name,
    kind: fields.kind.default("controller"),
    door_id: fields.door_id.default(null),
    firmware_version: fields.firmware_version.default(""),
    ip_address: fields.ip_address.default(""),
    heartbeat_timeout_s: fields.heartbeat_timeout_s.default(60),
  })
  .openapi("DeviceIn");
export const DevicePatch = z.strictObject(fields).partial().openapi("DevicePatch");
export const DeviceOut = z
  .object({
    id: z.int(),
    site_id: z.int(),
    serial_number: z.string(),
    name: z.string(),
    kind: DeviceKind,
    door_id: z.int().nullable(),
    firmware_version: z.string(),
    ip_address: z.string(),
    heartbeat_timeout_s: z.int(),
    connected: z.boolean(),
    last_seen_at: z.string().nullable().openapi({ description: "Last heartbeat or report (ISO 8601)" }),
    ...stampsOut,
  })
  .openapi("Device");
export type DeviceIn = z.infer<typeof DeviceIn>;
export type DevicePatch = z.infer<typeof DevicePatch>;
export type DeviceOut = z.infer<typeof DeviceOut>;

export const fromDeviceRow = (row: Selectable<DevicesTable>): DeviceOut => ({
  ...baseOut(row),
  site_id: Number(row.site_id),
  serial_number: row.serial_number,
  name: row.name,
  kind: row.kind as DeviceOut["kind"],
  door_id: numOrNull(row.door_id),
  firmware_version: row.firmware_version,
  ip_address: row.ip_address,
  heartbeat_timeout_s: row.heartbeat_timeout_s,
  connected: Boolean(row.connected),
  last_seen_at: isoOrNull(numOrNull(row.last_seen_at)),
});

export async function getDeviceBySerial(
  db: Kysely<Database>,
  serial: string,
): Promise<Selectable<DevicesTable> | undefined> {
  return db.selectFrom("devices").selectAll().where("serial_number", "=", serial).executeTakeFirst();
}

const { get, list } = rowReads("devices", fromDeviceRow, { sited: true });

export const devices: ResourceSpec<DeviceIn, DevicePatch, DeviceOut> = {
  noun: "device",
  plural: "devices",
  tag: "Devices",
  In: DeviceIn,
  Patch: DevicePatch,
  Out: DeviceOut,
  sited: true,
  auditResource: (d) => (d.kind === "reader" ? "reader" : "controller"),
  list,
  get,
  async create({ trx }, input, now) {
    await requireIds(trx, "sites", [input.site_id], "site_id");
    if (input.door_id !== null) await requireIds(trx, "doors", [input.door_id], "door_id", input.site_id);
    if (await getDeviceBySerial(trx, input.serial_number)) {
      throw errors.conflict(`a device with serial number ${input.serial_number} already exists`);
    }
    const id = await insertRow(trx, "devices", {
      ...input,
      connected: 0,
      last_seen_at: null,
      liveness_due_at: null,
      created_at: now,
      updated_at: now,
    });
    return (await get(trx, id)) as DeviceOut;
  },
  async update({ trx }, current, patch, now) {
    if (patch.door_id != null) await requireIds(trx, "doors", [patch.door_id], "door_id", current.site_id);
    await updateRow(trx, "devices", current.id, { ...patch, updated_at: now });
    return (await get(trx, current.id)) as DeviceOut;
  },
  async remove({ trx }, current) {
    await deleteRow(trx, "devices", current.id);
  },
};
