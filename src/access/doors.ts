// Doors: a reader, a lock and a door contact, with how long a grant unlocks and when an open door is held open.
import { z } from "@hono/zod-openapi";
import type { Selectable } from "kysely";
import { DOOR_MODES, type Door } from "../core/model.js";
import type { DoorsTable } from "../store/schema.js";
import { label, resourceId, seconds, stampsOut } from "./fields.js";
import {
  baseOut,
  deleteRow,
  insertRow,
  type ResourceSpec,
  requireIds,
  rowReads,
  updateRow,
} from "./resource.js";

export const DoorMode = z
  .enum(DOOR_MODES, { error: `must be one of: ${DOOR_MODES.join(", ")}` })
  .openapi({ description: "normal: the reader decides; unlocked: free access; locked_down: nobody enters" });

const Area = z
  .strictObject({
    id: label(100).openapi({ description: "The area this door leads into (entry) or out of (exit)" }),
    direction: z.enum(["entry", "exit"], { error: "must be one of: entry, exit" }),
  })
  .nullable()
  .openapi("DoorArea", { description: "Anti-passback: re-entering an area without leaving it is denied" });

const fields = {
  name: label(),
  requires_pin: z
    .boolean({ error: "must be true or false" })
    .openapi({ description: "Card + PIN: a card must be followed by the user's PIN" }),
  unlock_duration_s: seconds(1, 3600).openapi({ description: "How long a grant unlocks the lock" }),
  held_open_threshold_s: seconds(1, 86400).openapi({
    description: "An authorised opening longer than this raises door.held_open",
  }),
  area: Area,
  reader_name: label(),
  lock_name: label(),
  sensor_name: label(),
};

export const DoorIn = z
  .strictObject({
    site_id: resourceId,
    name: fields.name,
    mode: DoorMode.default("normal"),
    requires_pin: fields.requires_pin.default(false),
    unlock_duration_s: fields.unlock_duration_s.default(5),
    held_open_threshold_s: fields.held_open_threshold_s.default(30),
    area: fields.area.default(null),
    reader_name: fields.reader_name.default("Reader"),
    lock_name: fields.lock_name.default("Lock"),
    sensor_name: fields.sensor_name.default("Door contact"),
  })
  .openapi("DoorIn");
/** The mode is not patched: it changes through POST /v1/doors/{id}/mode, which also drives the lock. */
export const DoorPatch = z.strictObject(fields).partial().openapi("DoorPatch");
export const DoorOut = z
  .object({
    id: z.int(),
    site_id: z.int(),
    name: z.string(),
    mode: DoorMode,
    requires_pin: z.boolean(),
    unlock_duration_s: z.int(),
    held_open_threshold_s: z.int(),
    area: Area,
    reader_name: z.string(),
    lock_name: z.string(),
    sensor_name: z.string(),
    ...stampsOut,
  })
  .openapi("Door");
export type DoorIn = z.infer<typeof DoorIn>;
export type DoorPatch = z.infer<typeof DoorPatch>;
export type DoorOut = z.infer<typeof DoorOut>;

export const fromDoorRow = (row: Selectable<DoorsTable>): DoorOut => ({
  ...baseOut(row),
  site_id: Number(row.site_id),
  name: row.name,
  mode: row.mode as DoorOut["mode"],
  requires_pin: Boolean(row.requires_pin),
  unlock_duration_s: row.unlock_duration_s,
  held_open_threshold_s: row.held_open_threshold_s,
  area: row.area_id === null ? null : { id: row.area_id, direction: row.area_direction as "entry" | "exit" },
  reader_name: row.reader_name,
  lock_name: row.lock_name,
  sensor_name: row.sensor_name,
});

function areaColumns(area: DoorOut["area"] | undefined) {
  if (area === undefined) return {};
  return { area_id: area?.id ?? null, area_direction: area?.direction ?? null };
}

/** The door as the pure access decision reads it. */
export function toCoreDoor(door: DoorOut): Door {
  return {
    id: String(door.id),
    site_id: String(door.site_id),
    mode: door.mode,
    requires_pin: door.requires_pin,
    ...(door.area ? { area: door.area } : {}),
  };
}

const doorReads = rowReads("doors", fromDoorRow, { sited: true });
export const getDoor = doorReads.get;

export const doors: ResourceSpec<DoorIn, DoorPatch, DoorOut> = {
  noun: "door",
  plural: "doors",
  tag: "Doors",
  In: DoorIn,
  Patch: DoorPatch,
  Out: DoorOut,
  sited: true,
  auditResource: () => "door",
  ...doorReads,
  async create({ trx }, input, now) {
    await requireIds(trx, "sites", [input.site_id], "site_id");
    const { area, requires_pin, ...rest } = input;
    const id = await insertRow(trx, "doors", {
      ...rest,
      area_id: area?.id ?? null,
      area_direction: area?.direction ?? null,
      requires_pin: requires_pin ? 1 : 0,
      created_at: now,
      updated_at: now,
    });
    return (await getDoor(trx, id)) as DoorOut;
  },
  async update({ trx }, current, patch, now) {
    const { area, requires_pin, ...rest } = patch;
    await updateRow(trx, "doors", current.id, {
      ...rest,
      ...areaColumns(area),
      ...(requires_pin === undefined ? {} : { requires_pin: requires_pin ? 1 : 0 }),
      updated_at: now,
    });
    return (await getDoor(trx, current.id)) as DoorOut;
  },
  async remove({ trx }, current) {
    await deleteRow(trx, "doors", current.id);
  },
};
