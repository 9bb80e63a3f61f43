// Weekly schedules: time windows in the site's local time that access groups open doors in.
import { z } from "@hono/zod-openapi";
import type { Selectable } from "kysely";
import type { ScheduleWindow } from "../core/model.js";
import { errors } from "../http/errors.js";
import { typeError } from "../lib/validation.js";
import type { SchedulesTable } from "../store/schema.js";
import { label, localTime, resourceId, stampsOut } from "./fields.js";
import {
  baseOut,
  deleteRow,
  insertRow,
  type ResourceSpec,
  requireIds,
  rowReads,
  updateRow,
} from "./resource.js";

const Window = z
  .strictObject({
    day: z
      .int({ error: typeError("a weekday 0–6 (0 = Sunday)") })
      .min(0, { error: "must be a weekday 0–6 (0 = Sunday)" })
      .max(6, { error: "must be a weekday 0–6 (0 = Sunday)" }),
    start: localTime,
    end: localTime,
  })
  .refine((w) => w.end > w.start, {
    error: "end must be after start (write a window across midnight as two windows)",
  })
  .openapi("ScheduleWindow", { example: { day: 1, start: "08:00", end: "18:00" } });

const windows = z
  .array(Window, { error: typeError("a list of windows") })
  .max(200, { error: "must list at most 200 windows" });

export const ScheduleIn = z
  .strictObject({ site_id: resourceId, name: label(), windows: windows.default([]) })
  .openapi("ScheduleIn");
export const SchedulePatch = z.strictObject({ name: label(), windows }).partial().openapi("SchedulePatch");
export const ScheduleOut = z
  .object({ id: z.int(), site_id: z.int(), name: z.string(), windows: z.array(Window), ...stampsOut })
  .openapi("Schedule");
export type ScheduleIn = z.infer<typeof ScheduleIn>;
export type SchedulePatch = z.infer<typeof SchedulePatch>;
export type ScheduleOut = z.infer<typeof ScheduleOut>;

const fromRow = (row: Selectable<SchedulesTable>): ScheduleOut => ({
  ...baseOut(row),
  site_id: Number(row.site_id),
  name: row.name,
  windows: JSON.parse(row.windows) as ScheduleWindow[],
});

export const schedules: ResourceSpec<ScheduleIn, SchedulePatch, ScheduleOut> = {
  noun: "schedule",
  plural: "schedules",
  tag: "Schedules",
  In: ScheduleIn,
  Patch: SchedulePatch,
  Out: ScheduleOut,
  sited: true,
  auditResource: () => "schedule",
  ...rowReads("schedules", fromRow, { sited: true }),
  async create({ trx }, input, now) {
    await requireIds(trx, "sites", [input.site_id], "site_id");
    const id = await insertRow(trx, "schedules", {
      ...input,
      windows: JSON.stringify(input.windows),
      // Looked at by the next sweep, which records whether it is open without reporting a change.
      active: null,
      check_at: now,
      created_at: now,
      updated_at: now,
    });
    return (await this.get(trx, id)) as ScheduleOut;
  },
  async update({ trx }, current, patch, now) {
    const { windows: changed, ...rest } = patch;
    await updateRow(trx, "schedules", current.id, {
      ...rest,
      // New windows may open or close it now: the next sweep looks again and reports the change.
      ...(changed ? { windows: JSON.stringify(changed), check_at: now } : {}),
      updated_at: now,
    });
    return (await this.get(trx, current.id)) as ScheduleOut;
  },
  async remove({ trx }, current) {
    const used = await trx
      .selectFrom("access_groups")
      .select("id")
      .where("schedule_id", "=", current.id)
      .execute();
    if (used.length > 0) {
      const ids = used.map((g) => g.id).join(", ");
      throw errors.conflict(`schedule ${current.id} is used by access group ${ids}; change those first`);
    }
    await deleteRow(trx, "schedules", current.id);
  },
};
