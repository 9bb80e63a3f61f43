// API keys in and out of the store; only their SHA-256 digests are kept.
import type { Kysely } from "kysely";
import type { ApiKeyRow, Database, Role } from "./schema.js";

export interface ApiKey {
  id: number;
  name: string;
  role: Role;
  key_prefix: string;
  created_at: number;
  last_used_at: number | null;
}

function toApiKey(row: ApiKeyRow): ApiKey {
  return {
    id: Number(row.id),
    name: row.name,
    role: row.role,
    key_prefix: row.key_prefix,
    created_at: Number(row.created_at),
    last_used_at: row.last_used_at === null ? null : Number(row.last_used_at),
  };
}

export async function insertApiKey(
  db: Kysely<Database>,
  key: { name: string; role: Role; key_hash: string; key_prefix: string },
  now: number,
): Promise<ApiKey> {
  const row = await db
    .insertInto("api_keys")
    .values({ ...key, created_at: now, last_used_at: null })
    .onConflict((oc) => oc.column("key_hash").doNothing())
    .returningAll()
    .executeTakeFirst();
  if (row) return toApiKey(row);
  const existing = await db
    .selectFrom("api_keys")
    .selectAll()
    .where("key_hash", "=", key.key_hash)
    .executeTakeFirstOrThrow();
  return toApiKey(existing);
}

export async function findApiKeyByHash(db: Kysely<Database>, hash: string): Promise<ApiKey | undefined> {
  const row = await db.selectFrom("api_keys").selectAll().where("key_hash", "=", hash).executeTakeFirst();
  return row ? toApiKey(row) : undefined;
}

export async function listApiKeys(db: Kysely<Database>): Promise<ApiKey[]> {
  const rows = await db.selectFrom("api_keys").selectAll().orderBy("id").execute();
  return rows.map(toApiKey);
}

export async function deleteApiKey(db: Kysely<Database>, id: number): Promise<boolean> {
  const result = await db.deleteFrom("api_keys").where("id", "=", id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function touchApiKey(db: Kysely<Database>, id: number, now: number): Promise<void> {
  await db.updateTable("api_keys").set({ last_used_at: now }).where("id", "=", id).execute();
}
