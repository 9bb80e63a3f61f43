// Webhook rows in and out of the store.
import type { Kysely } from "kysely";
import type { Database, WebhookRow, WebhookStatus } from "./schema.js";

/** A webhook as the rest of the code sees it: JSON columns parsed. */
export interface Webhook {
  uid: number;
  name: string;
  url: string;
  secret: string;
  status: WebhookStatus;
  timeout: number;
  headers: string;
  description: string;
  event_types: string[];
  max_retries: number;
  disabled_reason: string | null;
  created_at: number;
  updated_at: number;
}

export type WebhookFields = Omit<Webhook, "uid" | "created_at" | "updated_at">;

export function toWebhook(row: WebhookRow): Webhook {
  return {
    ...row,
    uid: Number(row.uid),
    created_at: Number(row.created_at),
    updated_at: Number(row.updated_at),
    event_types: JSON.parse(row.event_types) as string[],
  };
}

export async function insertWebhook(
  db: Kysely<Database>,
  fields: WebhookFields,
  now: number,
): Promise<Webhook> {
  const row = await db
    .insertInto("webhooks")
    .values({ ...fields, event_types: JSON.stringify(fields.event_types), created_at: now, updated_at: now })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toWebhook(row);
}

export async function getWebhook(db: Kysely<Database>, uid: number): Promise<Webhook | undefined> {
  const row = await db.selectFrom("webhooks").selectAll().where("uid", "=", uid).executeTakeFirst();
  return row ? toWebhook(row) : undefined;
}

export async function listWebhooks(db: Kysely<Database>): Promise<Webhook[]> {
  const rows = await db.selectFrom("webhooks").selectAll().orderBy("uid").execute();
  return rows.map(toWebhook);
}

export async function listActiveWebhooks(db: Kysely<Database>): Promise<Webhook[]> {
  const rows = await db.selectFrom("webhooks").selectAll().where("status", "=", "active").execute();
  return rows.map(toWebhook);
}

/** Changes a webhook; with `onlyIfStatus`, only while it has that status (undefined otherwise). */
export async function updateWebhook(
  db: Kysely<Database>,
  uid: number,
  patch: Partial<WebhookFields>,
  now: number,
  onlyIfStatus?: WebhookStatus,
): Promise<Webhook | undefined> {
  const { event_types, ...rest } = patch;
  let update = db
    .updateTable("webhooks")
    .set({
      ...rest,
      ...(event_types ? { event_types: JSON.stringify(event_types) } : {}),
      updated_at: now,
    })
    .where("uid", "=", uid);
  if (onlyIfStatus) update = update.where("status", "=", onlyIfStatus);
  const row = await update.returningAll().executeTakeFirst();
  return row ? toWebhook(row) : undefined;
}

export async function deleteWebhook(db: Kysely<Database>, uid: number): Promise<boolean> {
  const result = await db.deleteFrom("webhooks").where("uid", "=", uid).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
