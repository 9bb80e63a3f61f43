// Webhook rows in and out of the store.
import { type Kysely, sql } from "kysely";
import type { PayloadFormat } from "../delivery/formats/index.js";
import type { TemplateContentType } from "../delivery/formats/template.js";
import type { SignatureScheme } from "../delivery/signing/index.js";
import type { WebhookFilters } from "../events/filters.js";
import type { WebhookAuthorization } from "../webhooks/authorization.js";
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
  signature_scheme: SignatureScheme;
  payload_format: PayloadFormat;
  payload_version: string | null;
  template: string | null;
  template_content_type: TemplateContentType | null;
  custom_body: Record<string, unknown>;
  filters: WebhookFilters;
  authorization: WebhookAuthorization | null;
  /** The secret a rotation replaced; it still signs (where the scheme allows two) until it expires. */
  previous_secret: string | null;
  previous_secret_expires_at: number | null;
}

export type WebhookFields = Omit<Webhook, "uid" | "created_at" | "updated_at">;

/** How a webhook created without saying otherwise looks on the wire: the gatehouse body, Standard Webhooks. */
export const WIRE_DEFAULTS = {
  signature_scheme: "standard",
  payload_format: "gatehouse",
  payload_version: null,
  template: null,
  template_content_type: null,
  custom_body: {},
  filters: {},
  authorization: null,
  previous_secret: null,
  previous_secret_expires_at: null,
} as const satisfies Partial<WebhookFields>;

export function toWebhook(row: WebhookRow): Webhook {
  return {
    ...row,
    uid: Number(row.uid),
    created_at: Number(row.created_at),
    updated_at: Number(row.updated_at),
    event_types: JSON.parse(row.event_types) as string[],
    signature_scheme: row.signature_scheme as SignatureScheme,
    payload_format: row.payload_format as PayloadFormat,
    template_content_type: row.template_content_type as TemplateContentType | null,
    custom_body: JSON.parse(row.custom_body) as Record<string, unknown>,
    filters: JSON.parse(row.filters) as WebhookFilters,
    authorization:
      row.authorization === null ? null : (JSON.parse(row.authorization) as WebhookAuthorization),
    previous_secret_expires_at:
      row.previous_secret_expires_at === null ? null : Number(row.previous_secret_expires_at),
  };
}

/**
 * Parsed webhooks per store, reused while a row is unchanged: every write moves `updated_at` forward (see
 * updateWebhook), so (uid, created_at, updated_at) names one version of a row. Ingest reads the active
 * webhooks in every transaction; reusing the object spares the JSON parsing and keeps what is cached against
 * it (compiled subscriptions, parsed custom headers) warm.
 */
const parsedByStore = new WeakMap<object, Map<number, Webhook>>();

function parsed(db: Kysely<Database>, row: WebhookRow): Webhook {
  const { adapter } = db.getExecutor();
  let byUid = parsedByStore.get(adapter);
  if (!byUid) {
    byUid = new Map();
    parsedByStore.set(adapter, byUid);
  }
  const uid = Number(row.uid);
  const known = byUid.get(uid);
  if (known && known.updated_at === Number(row.updated_at) && known.created_at === Number(row.created_at)) {
    return known;
  }
  const webhook = toWebhook(row);
  if (byUid.size >= 10_000) byUid.clear();
  byUid.set(uid, webhook);
  return webhook;
}

/** The JSON columns as stored. */
function toColumns(fields: Partial<WebhookFields>) {
  const { event_types, custom_body, filters, authorization, ...rest } = fields;
  return {
    ...rest,
    ...(event_types !== undefined ? { event_types: JSON.stringify(event_types) } : {}),
    ...(custom_body !== undefined ? { custom_body: JSON.stringify(custom_body) } : {}),
    ...(filters !== undefined ? { filters: JSON.stringify(filters) } : {}),
    ...(authorization !== undefined
      ? { authorization: authorization === null ? null : JSON.stringify(authorization) }
      : {}),
  };
}

export async function insertWebhook(
  db: Kysely<Database>,
  fields: WebhookFields,
  now: number,
): Promise<Webhook> {
  const row = await db
    .insertInto("webhooks")
    .values({
      ...toColumns(fields),
      name: fields.name,
      url: fields.url,
      secret: fields.secret,
      status: fields.status,
      timeout: fields.timeout,
      headers: fields.headers,
      description: fields.description,
      event_types: JSON.stringify(fields.event_types),
      max_retries: fields.max_retries,
      created_at: now,
      updated_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return parsed(db, row);
}

export async function getWebhook(db: Kysely<Database>, uid: number): Promise<Webhook | undefined> {
  const row = await db.selectFrom("webhooks").selectAll().where("uid", "=", uid).executeTakeFirst();
  return row ? parsed(db, row) : undefined;
}

export async function listWebhooks(db: Kysely<Database>): Promise<Webhook[]> {
  const rows = await db.selectFrom("webhooks").selectAll().orderBy("uid").execute();
  return rows.map((row) => parsed(db, row));
}

export async function listActiveWebhooks(db: Kysely<Database>): Promise<Webhook[]> {
  const rows = await db.selectFrom("webhooks").selectAll().where("status", "=", "active").execute();
  return rows.map((row) => parsed(db, row));
}

/** Changes a webhook; with `onlyIfStatus`, only while it has that status (undefined otherwise). */
export async function updateWebhook(
  db: Kysely<Database>,
  uid: number,
  patch: Partial<WebhookFields>,
  now: number,
  onlyIfStatus?: WebhookStatus,
): Promise<Webhook | undefined> {
  let update = db
    .updateTable("webhooks")
    // Strictly later than before even within one millisecond, so a changed row is never taken for the old one.
    .set({
      ...toColumns(patch),
      updated_at: sql<number>`case when updated_at >= ${now} then updated_at + 1 else ${now} end`,
    })
    .where("uid", "=", uid);
  if (onlyIfStatus) update = update.where("status", "=", onlyIfStatus);
  const row = await update.returningAll().executeTakeFirst();
  return row ? parsed(db, row) : undefined;
}

export async function deleteWebhook(db: Kysely<Database>, uid: number): Promise<boolean> {
  const result = await db.deleteFrom("webhooks").where("uid", "=", uid).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
