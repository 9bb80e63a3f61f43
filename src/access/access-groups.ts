// Access groups: which doors of a site their members may open, and on which schedule.
import { z } from "@hono/zod-openapi";
import type { Kysely, Selectable } from "kysely";
import type { AccessGroupsTable, Database } from "../store/schema.js";
import { idList, label, resourceId, stampsOut } from "./fields.js";
import { baseOut, deleteRow, insertRow, type ResourceSpec, requireIds, updateRow } from "./resource.js";

export const AccessGroupIn = z
  .strictObject({
    site_id: resourceId,
    name: label(),
    schedule_id: resourceId.openapi({ description: "When members may pass (a schedule of the same site)" }),
    door_ids: idList.default([]).openapi({ description: "Doors of the same site" }),
  })
  .openapi("AccessGroupIn");
export const AccessGroupPatch = z
  .strictObject({ name: label(), schedule_id: resourceId, door_ids: idList })
  .partial()
  .openapi("AccessGroupPatch");
export const AccessGroupOut = z
  .object({
    id: z.int(),
    site_id: z.int(),
    name: z.string(),
    schedule_id: z.int(),
    door_ids: z.array(z.int()),
    ...stampsOut,
  })
  .openapi("AccessGroup");
export type AccessGroupIn = z.infer<typeof AccessGroupIn>;
export type AccessGroupPatch = z.infer<typeof AccessGroupPatch>;
export type AccessGroupOut = z.infer<typeof AccessGroupOut>;

/** Groups with their door ids: two queries for any number of groups. */
async function withDoors(
  db: Kysely<Database>,
  rows: Selectable<AccessGroupsTable>[],
): Promise<AccessGroupOut[]> {
  if (rows.length === 0) return [];
  const links = await db
    .selectFrom("access_group_doors")
    .select(["group_id", "door_id"])
    .where(
      "group_id",
      "in",
      rows.map((r) => r.id),
    )
    .orderBy("door_id")
    .execute();
  const byGroup = new Map<number, number[]>();
  for (const l of links) {
    const list = byGroup.get(Number(l.group_id)) ?? [];
    list.push(Number(l.door_id));
    byGroup.set(Number(l.group_id), list);
  }
  return rows.map((r) => ({
    ...baseOut(r),
    site_id: Number(r.site_id),
    name: r.name,
    schedule_id: Number(r.schedule_id),
    door_ids: byGroup.get(Number(r.id)) ?? [],
  }));
}

async function get(db: Kysely<Database>, id: number): Promise<AccessGroupOut | undefined> {
  const row = await db.selectFrom("access_groups").selectAll().where("id", "=", id).executeTakeFirst();
  return row ? (await withDoors(db, [row]))[0] : undefined;
}

async function setDoors(db: Kysely<Database>, group: number, site: number, doorIds: number[]): Promise<void> {
  await requireIds(db, "doors", doorIds, "door_ids", site);
  await db.deleteFrom("access_group_doors").where("group_id", "=", group).execute();
  if (doorIds.length > 0) {
    await db
      .insertInto("access_group_doors")
      .values(doorIds.map((door_id) => ({ group_id: group, door_id })))
      .execute();
  }
}

export const accessGroups: ResourceSpec<AccessGroupIn, AccessGroupPatch, AccessGroupOut> = {
  noun: "access group",
  plural: "access-groups",
  tag: "Access groups",
  In: AccessGroupIn,
  Patch: AccessGroupPatch,
  Out: AccessGroupOut,
  sited: true,
  auditResource: () => "access_group",
  async list(db, page) {
    let query = db.selectFrom("access_groups").selectAll().where("id", ">", page.after);
    if (page.site_id !== undefined) query = query.where("site_id", "=", page.site_id);
    return withDoors(db, await query.orderBy("id").limit(page.limit).execute());
  },
  get,
  async create({ trx }, input, now) {
    await requireIds(trx, "sites", [input.site_id], "site_id");
    await requireIds(trx, "schedules", [input.schedule_id], "schedule_id", input.site_id);
    const { door_ids, ...rest } = input;
    const id = await insertRow(trx, "access_groups", { ...rest, created_at: now, updated_at: now });
    await setDoors(trx, id, input.site_id, door_ids);
    return (await get(trx, id)) as AccessGroupOut;
  },
  async update({ trx }, current, patch, now) {
    const { door_ids, ...rest } = patch;
    if (rest.schedule_id !== undefined) {
      await requireIds(trx, "schedules", [rest.schedule_id], "schedule_id", current.site_id);
    }
    await updateRow(trx, "access_groups", current.id, { ...rest, updated_at: now });
    if (door_ids) await setDoors(trx, current.id, current.site_id, door_ids);
    return (await get(trx, current.id)) as AccessGroupOut;
  },
  async remove({ trx }, current) {
    await deleteRow(trx, "access_groups", current.id);
  },
};
