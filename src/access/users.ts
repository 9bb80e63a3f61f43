// Users: the people who hold credentials, with a status, a validity window and their access groups.
import { z } from "@hono/zod-openapi";
import type { Kysely, Selectable } from "kysely";
import type { User } from "../core/model.js";
import { errors } from "../http/errors.js";
import type { Database, UsersTable } from "../store/schema.js";
import { activity, idList, instant, isoOrNull, label, stampsOut } from "./fields.js";
import {
  baseOut,
  deleteRow,
  insertRow,
  numOrNull,
  type ResourceSpec,
  requireIds,
  updateRow,
} from "./resource.js";

const email = z
  .email({ error: "must be an email address" })
  .max(320, { error: "must be at most 320 characters" })
  .nullable();

const fields = {
  name: label(),
  email,
  status: activity,
  valid_from: instant.openapi({ description: "Inclusive; null: always" }),
  valid_until: instant.openapi({ description: "Exclusive; null: never expires" }),
  group_ids: idList.openapi({ description: "Access groups (any site)" }),
};

const validOrder = (u: { valid_from?: number | null; valid_until?: number | null }) =>
  u.valid_from == null || u.valid_until == null || u.valid_until > u.valid_from;
const validOrderRule = { error: "valid_until: must be after valid_from" };

export const UserIn = z
  .strictObject({
    name: fields.name,
    email: fields.email.default(null),
    status: fields.status.default("active"),
    valid_from: fields.valid_from.default(null),
    valid_until: fields.valid_until.default(null),
    group_ids: fields.group_ids.default([]),
  })
  .refine(validOrder, validOrderRule)
  .openapi("UserIn");
export const UserPatch = z.strictObject(fields).partial().openapi("UserPatch");
export const UserOut = z
  .object({
    id: z.int(),
    name: z.string(),
    email: z.string().nullable(),
    status: activity,
    valid_from: z.string().nullable(),
    valid_until: z.string().nullable(),
    group_ids: z.array(z.int()),
    ...stampsOut,
  })
  .openapi("User");
export type UserIn = z.infer<typeof UserIn>;
export type UserPatch = z.infer<typeof UserPatch>;
export type UserOut = z.infer<typeof UserOut>;

const fromRow = (row: Selectable<UsersTable>, groupIds: number[]): UserOut => ({
  ...baseOut(row),
  name: row.name,
  email: row.email,
  status: row.status as UserOut["status"],
  valid_from: isoOrNull(numOrNull(row.valid_from)),
  valid_until: isoOrNull(numOrNull(row.valid_until)),
  group_ids: groupIds,
});

/** The user as the pure access decision reads it. */
export function toCoreUser(row: Selectable<UsersTable>): User {
  const from = numOrNull(row.valid_from);
  const until = numOrNull(row.valid_until);
  return {
    id: String(row.id),
    name: row.name,
    status: row.status as User["status"],
    ...(from === null ? {} : { valid_from: from }),
    ...(until === null ? {} : { valid_until: until }),
  };
}

/** Users with their group ids: two queries for any number of users. */
async function withGroups(db: Kysely<Database>, rows: Selectable<UsersTable>[]): Promise<UserOut[]> {
  if (rows.length === 0) return [];
  const links = await db
    .selectFrom("user_groups")
    .select(["user_id", "group_id"])
    .where(
      "user_id",
      "in",
      rows.map((r) => r.id),
    )
    .orderBy("group_id")
    .execute();
  const byUser = new Map<number, number[]>();
  for (const l of links) {
    const list = byUser.get(Number(l.user_id)) ?? [];
    list.push(Number(l.group_id));
    byUser.set(Number(l.user_id), list);
  }
  return rows.map((r) => fromRow(r, byUser.get(Number(r.id)) ?? []));
}

async function get(db: Kysely<Database>, id: number): Promise<UserOut | undefined> {
  const row = await db.selectFrom("users").selectAll().where("id", "=", id).executeTakeFirst();
  return row ? (await withGroups(db, [row]))[0] : undefined;
}

async function setGroups(db: Kysely<Database>, userId: number, groupIds: number[]): Promise<void> {
  await requireIds(db, "access_groups", groupIds, "group_ids");
  await db.deleteFrom("user_groups").where("user_id", "=", userId).execute();
  if (groupIds.length > 0) {
    await db
      .insertInto("user_groups")
      .values(groupIds.map((group_id) => ({ user_id: userId, group_id })))
      .execute();
  }
}

export const users: ResourceSpec<UserIn, UserPatch, UserOut> = {
  noun: "user",
  plural: "users",
  tag: "Users",
  In: UserIn,
  Patch: UserPatch,
  Out: UserOut,
  sited: false,
  auditResource: () => "user",
  async list(db, page) {
    const rows = await db
      .selectFrom("users")
      .selectAll()
      .where("id", ">", page.after)
      .orderBy("id")
      .limit(page.limit)
      .execute();
    return withGroups(db, rows);
  },
  get,
  async create({ trx }, input, now) {
    const { group_ids, ...rest } = input;
    const id = await insertRow(trx, "users", { ...rest, created_at: now, updated_at: now });
    await setGroups(trx, id, group_ids);
    return (await get(trx, id)) as UserOut;
  },
  async update({ trx }, current, patch, now) {
    const { group_ids, ...rest } = patch;
    const bounds = {
      valid_from: rest.valid_from === undefined ? numOrNull(msOf(current.valid_from)) : rest.valid_from,
      valid_until: rest.valid_until === undefined ? numOrNull(msOf(current.valid_until)) : rest.valid_until,
    };
    if (!validOrder(bounds)) throw errors.invalid(validOrderRule.error);
    await updateRow(trx, "users", current.id, { ...rest, updated_at: now });
    if (group_ids) await setGroups(trx, current.id, group_ids);
    return (await get(trx, current.id)) as UserOut;
  },
  async remove({ trx }, current) {
    await deleteRow(trx, "users", current.id);
  },
};

/** An ISO bound as shown back to epoch ms. */
export const msOf = (iso: string | null): number | null => (iso === null ? null : Date.parse(iso));
