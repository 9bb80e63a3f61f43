// Holidays: local dates of a site on which access is denied whatever the schedules say.
import { z } from "@hono/zod-openapi";
import type { Selectable } from "kysely";
import { errors } from "../http/errors.js";
import type { HolidaysTable } from "../store/schema.js";
import { label, localDate, localTime, resourceId, stampsOut } from "./fields.js";
import {
  baseOut,
  deleteRow,
  insertRow,
  type ResourceSpec,
  requireIds,
  rowReads,
  updateRow,
} from "./resource.js";

const fields = {
  name: label(),
  date: localDate.openapi({ example: "2026-12-25" }),
  all_day: z.boolean({ error: "must be true or false" }),
  start: localTime.nullable(),
  end: localTime.nullable(),
};

const partDay = (h: { all_day?: boolean; start?: string | null; end?: string | null }) =>
  h.all_day !== false || (h.start != null && h.end != null && h.end > h.start);
const partDayRule = { error: "start and end: a holiday that is not all day needs start < end ('HH:MM')" };

export const HolidayIn = z
  .strictObject({
    site_id: resourceId,
    name: fields.name,
    date: fields.date,
    all_day: fields.all_day.default(true),
    start: fields.start.default(null),
    end: fields.end.default(null),
  })
  .refine(partDay, partDayRule)
  .openapi("HolidayIn");
export const HolidayPatch = z.strictObject(fields).partial().openapi("HolidayPatch");
export const HolidayOut = z
  .object({
    id: z.int(),
    site_id: z.int(),
    name: z.string(),
    date: z.string(),
    all_day: z.boolean(),
    start: z.string().nullable(),
    end: z.string().nullable(),
    ...stampsOut,
  })
  .openapi("Holiday");
export type HolidayIn = z.infer<typeof HolidayIn>;
export type HolidayPatch = z.infer<typeof HolidayPatch>;
export type HolidayOut = z.infer<typeof HolidayOut>;

const fromRow = (row: Selectable<HolidaysTable>): HolidayOut => ({
  ...baseOut(row),
  site_id: Number(row.site_id),
  name: row.name,
  date: row.date,
  all_day: Boolean(row.all_day),
  start: row.start,
  end: row.end,
});

export const holidays: ResourceSpec<HolidayIn, HolidayPatch, HolidayOut> = {
  noun: "holiday",
  plural: "holidays",
  tag: "Holidays",
  In: HolidayIn,
  Patch: HolidayPatch,
  Out: HolidayOut,
  sited: true,
  auditResource: () => "holiday",
  ...rowReads("holidays", fromRow, { sited: true }),
  async create({ trx }, input, now) {
    await requireIds(trx, "sites", [input.site_id], "site_id");
    const id = await insertRow(trx, "holidays", {
      ...input,
      all_day: input.all_day ? 1 : 0,
      created_at: now,
      updated_at: now,
    });
    return (await this.get(trx, id)) as HolidayOut;
  },
  async update({ trx }, current, patch, now) {
    const merged = { ...current, ...patch };
    if (!partDay(merged)) throw errors.invalid(partDayRule.error);
    const { all_day, ...rest } = patch;
    await updateRow(trx, "holidays", current.id, {
      ...rest,
      ...(all_day === undefined ? {} : { all_day: all_day ? 1 : 0 }),
      updated_at: now,
    });
    return (await this.get(trx, current.id)) as HolidayOut;
  },
  async remove({ trx }, current) {
    await deleteRow(trx, "holidays", current.id);
  },
};
