// Sites: a building or campus with its own time zone and its own event sequence.
import { z } from "@hono/zod-openapi";
import type { Selectable } from "kysely";
import { isValidTimeZone } from "../core/local-time.js";
import { errors } from "../http/errors.js";
import { typeError } from "../lib/validation.js";
import type { SitesTable } from "../store/schema.js";
import { label, stampsOut } from "./fields.js";
import { baseOut, deleteRow, insertRow, type ResourceSpec, rowReads, updateRow } from "./resource.js";

const timeZone = z
  .string({ error: typeError("an IANA time zone") })
  .refine(isValidTimeZone, { error: 'must be an IANA time zone, e.g. "Europe/Berlin"' })
  .openapi({ example: "Europe/Berlin" });

export const SiteIn = z.strictObject({ name: label(), time_zone: timeZone.default("UTC") }).openapi("SiteIn");
export const SitePatch = z
  .strictObject({ name: label(), time_zone: timeZone })
  .partial()
  .openapi("SitePatch");
export const SiteOut = z
  .object({ id: z.int(), name: z.string(), time_zone: z.string(), ...stampsOut })
  .openapi("Site");
export type SiteIn = z.infer<typeof SiteIn>;
export type SitePatch = z.infer<typeof SitePatch>;
export type SiteOut = z.infer<typeof SiteOut>;

const fromRow = (row: Selectable<SitesTable>): SiteOut => ({
  ...baseOut(row),
  name: row.name,
  time_zone: row.time_zone,
});

export const sites: ResourceSpec<SiteIn, SitePatch, SiteOut> = {
  noun: "site",
  plural: "sites",
  tag: "Sites",
  In: SiteIn,
  Patch: SitePatch,
  Out: SiteOut,
  sited: false,
  auditResource: () => "site",
  ...rowReads("sites", fromRow, { sited: false }),
  async create({ trx }, input, now) {
    const id = await insertRow(trx, "sites", { ...input, created_at: now, updated_at: now });
    return (await this.get(trx, id)) as SiteOut;
  },
  async update({ trx }, current, patch, now) {
    await updateRow(trx, "sites", current.id, { ...patch, updated_at: now });
    return (await this.get(trx, current.id)) as SiteOut;
  },
  async remove({ trx }, current) {
    for (const table of ["doors", "devices", "schedules", "holidays", "access_groups"] as const) {
      const used = await trx
        .selectFrom(table)
        .select("id")
        .where("site_id", "=", current.id)
        .limit(1)
        .execute();
      if (used.length > 0)
        throw errors.conflict(`site ${current.id} still has ${table.replace("_", " ")}; delete them first`);
    }
    await deleteRow(trx, "sites", current.id);
  },
};
