// A stored resource of the access-control core: its API shapes, how it is read and written, and what its
// changes emit. The HTTP layer turns every spec into the same five routes (http/routes/resources.ts).
import type { z } from "@hono/zod-openapi";
import type { Kysely, Selectable } from "kysely";
import type { AUDIT_RESOURCES } from "../events/catalog.js";
import type { EventIn } from "../events/ingest.js";
import { errors } from "../http/errors.js";
import type { BatchContext } from "../store/group-commit.js";
import type { Database } from "../store/schema.js";

export type AuditResource = (typeof AUDIT_RESOURCES)[number];
export type ChangeAction = "created" | "updated" | "deleted";

export interface Page {
  after: number;
  limit: number;
  site_id?: number;
}

/** What every resource's output has: an id, and a site where the resource belongs to one. */
export interface ResourceOut {
  id: number;
  site_id?: number;
}

export interface ResourceSpec<In, Patch, Out extends ResourceOut> {
  /** Singular, for messages: "door 4 not found". */
  noun: string;
  /** The URL segment and the list's key: "doors". */
  plural: string;
  tag: string;
  In: z.ZodType<In>;
  Patch: z.ZodType<Patch>;
  Out: z.ZodType<Out>;
  /** Whether the resource has a site (its events go to that site's sequence) or not (users, credentials). */
  sited: boolean;
  auditResource(out: Out): AuditResource;
  /** Fields audit events show only as "****". */
  secretFields?: readonly string[];
  list(db: Kysely<Database>, page: Page): Promise<Out[]>;
  get(db: Kysely<Database>, id: number): Promise<Out | undefined>;
  /** Inside the change's transaction: checks references, writes, answers the stored resource. */
  create(ctx: BatchContext, input: In, now: number): Promise<Out>;
  update(ctx: BatchContext, current: Out, patch: Patch, now: number): Promise<Out>;
  remove(ctx: BatchContext, current: Out): Promise<void>;
  /** Events beside the audit event, e.g. `credential.created`. */
  domainEvents?(
    ctx: BatchContext,
    action: ChangeAction,
    before: Out | null,
    after: Out | null,
  ): Promise<EventIn[]>;
}

/** The tables whose rows are resources with an integer `id`. */
export type ResourceTable =
  | "sites"
  | "schedules"
  | "holidays"
  | "doors"
  | "devices"
  | "users"
  | "credentials"
  | "access_groups";

type LooseDb = { resource: { id: number; site_id: number } & Record<string, unknown> };

/**
 * The same connection seen as one loosely typed table, so one set of row helpers serves every resource;
 * `as(table)` names the real table.
 */
function loose(db: Kysely<Database>): Kysely<LooseDb> {
  return db as unknown as Kysely<LooseDb>;
}
const as = (table: ResourceTable) => table as unknown as "resource";

type Row<T extends ResourceTable> = Selectable<Database[T]>;

export async function listRows<T extends ResourceTable>(
  db: Kysely<Database>,
  table: T,
  page: Page,
): Promise<Row<T>[]> {
  let query = loose(db).selectFrom(as(table)).selectAll().where("id", ">", page.after);
  if (page.site_id !== undefined) query = query.where("site_id", "=", page.site_id);
  const rows = await query.orderBy("id").limit(page.limit).execute();
  return rows as unknown as Row<T>[];
}

export async function getRow<T extends ResourceTable>(
  db: Kysely<Database>,
  table: T,
  id: number,
): Promise<Row<T> | undefined> {
  const row = await loose(db).selectFrom(as(table)).selectAll().where("id", "=", id).executeTakeFirst();
  return row as unknown as Row<T> | undefined;
}

export async function insertRow<T extends ResourceTable>(
  db: Kysely<Database>,
  table: T,
  values: Omit<Row<T>, "id">,
): Promise<number> {
  const row = await loose(db)
    .insertInto(as(table))
    .values(values as never)
    .returning("id")
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

export async function updateRow<T extends ResourceTable>(
  db: Kysely<Database>,
  table: T,
  id: number,
  values: Partial<Omit<Row<T>, "id">>,
): Promise<void> {
  await loose(db)
    .updateTable(as(table))
    .set(values as never)
    .where("id", "=", id)
    .execute();
}

export async function deleteRow(db: Kysely<Database>, table: ResourceTable, id: number): Promise<void> {
  await loose(db).deleteFrom(as(table)).where("id", "=", id).execute();
}

/** The ids of `ids` that have no row in `table` (in `site` when given): what a reference check reports. */
export async function missingIds(
  db: Kysely<Database>,
  table: ResourceTable,
  ids: readonly number[],
  site?: number,
): Promise<number[]> {
  if (ids.length === 0) return [];
  let query = loose(db)
    .selectFrom(as(table))
    .select("id")
    .where("id", "in", [...ids]);
  if (site !== undefined) query = query.where("site_id", "=", site);
  const found = new Set((await query.execute()).map((r) => Number(r.id)));
  return ids.filter((id) => !found.has(id));
}

/** The parts of a row every resource maps the same way. */
export function baseOut(row: { id: number; created_at: number; updated_at: number }) {
  return {
    id: Number(row.id),
    created_at: Math.floor(Number(row.created_at) / 1000),
    updated_at: Math.floor(Number(row.updated_at) / 1000),
  };
}

/** A nullable bigint column as a number (pg answers bigints as strings). */
export const numOrNull = (v: number | string | null): number | null => (v === null ? null : Number(v));

/** Refuses a reference to rows that do not exist (in the site, when given), naming the field. */
export async function requireIds(
  db: Kysely<Database>,
  table: ResourceTable,
  ids: readonly number[],
  field: string,
  site?: number,
): Promise<void> {
  const missing = await missingIds(db, table, ids, site);
  if (missing.length === 0) return;
  const where = site === undefined ? "" : ` in site ${site}`;
  throw errors.invalid(
    `${field}: no ${table.replace(/s$/, "").replace("_", " ")} ${missing.join(", ")}${where}`,
  );
}

/** `list` and `get` for a resource that is one row of one table, mapped by `fromRow`. */
export function rowReads<T extends ResourceTable, Out>(
  table: T,
  fromRow: (row: Row<T>) => Out,
  options: { sited: boolean },
): {
  list(db: Kysely<Database>, page: Page): Promise<Out[]>;
  get(db: Kysely<Database>, id: number): Promise<Out | undefined>;
} {
  return {
    list: async (db, page) =>
      (await listRows(db, table, options.sited ? page : { ...page, site_id: undefined })).map(fromRow),
    get: async (db, id) => {
      const row = await getRow(db, table, id);
      return row && fromRow(row);
    },
  };
}
