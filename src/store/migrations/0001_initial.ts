// The first schema: API keys, webhooks, events with per-site sequences, deliveries and their attempts.
import { type Kysely, sql } from "kysely";
import type { StoreAdapter } from "../dialect.js";

export async function up(db: Kysely<unknown>, a: StoreAdapter): Promise<void> {
  const big = a.bigintType;
  await db.schema
    .createTable("api_keys")
    .addColumn("id", a.identityType, a.identity)
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("role", "text", (c) => c.notNull())
    .addColumn("key_hash", "text", (c) => c.notNull().unique())
    .addColumn("key_prefix", "text", (c) => c.notNull())
    .addColumn("created_at", big, (c) => c.notNull())
    .addColumn("last_used_at", big)
    .execute();

  await db.schema
    .createTable("webhooks")
    .addColumn("uid", a.identityType, a.identity)
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("url", "text", (c) => c.notNull())
    .addColumn("secret", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("timeout", "integer", (c) => c.notNull())
    .addColumn("headers", "text", (c) => c.notNull())
    .addColumn("description", "text", (c) => c.notNull())
    .addColumn("event_types", "text", (c) => c.notNull())
    .addColumn("max_retries", "integer", (c) => c.notNull())
    .addColumn("disabled_reason", "text")
    .addColumn("created_at", big, (c) => c.notNull())
    .addColumn("updated_at", big, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("events")
    .addColumn("position", a.identityType, a.identity)
    .addColumn("id", "text", (c) => c.notNull().unique())
    .addColumn("type", "text", (c) => c.notNull())
    .addColumn("site_id", big)
    .addColumn("sequence", big, (c) => c.notNull())
    .addColumn("timestamp", "text", (c) => c.notNull())
    .addColumn("recorded_at", big, (c) => c.notNull())
    .addColumn("data", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("events_type_position").on("events").columns(["type", "position"]).execute();

  await db.schema
    .createTable("site_sequences")
    .addColumn("site_key", big, (c) => c.primaryKey())
    .addColumn("last_sequence", big, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("deliveries")
    .addColumn("id", a.identityType, a.identity)
    .addColumn("event_position", big, (c) => c.notNull().references("events.position"))
    .addColumn("webhook_uid", big, (c) => c.notNull().references("webhooks.uid").onDelete("cascade"))
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("attempt_count", "integer", (c) => c.notNull())
    .addColumn("next_attempt_at", big, (c) => c.notNull())
    .addColumn("locked_until", big, (c) => c.notNull())
    .addColumn("locked_by", "text")
    .addColumn("last_status_code", "integer")
    .addColumn("last_error", "text")
    .addColumn("created_at", big, (c) => c.notNull())
    .addColumn("updated_at", big, (c) => c.notNull())
    .execute();
  // The claim query reads only pending rows in due order; a partial index keeps it small.
  await db.schema
    .createIndex("deliveries_due")
    .on("deliveries")
    .columns(["next_attempt_at", "locked_until"])
    .where(sql.ref("status"), "=", "pending")
    .execute();
  await db.schema.createIndex("deliveries_webhook").on("deliveries").columns(["webhook_uid", "id"]).execute();
  await db.schema.createIndex("deliveries_event").on("deliveries").columns(["event_position"]).execute();

  await db.schema
    .createTable("delivery_attempts")
    .addColumn("id", a.identityType, a.identity)
    .addColumn("delivery_id", big, (c) => c.notNull().references("deliveries.id").onDelete("cascade"))
    .addColumn("attempt_number", "integer", (c) => c.notNull())
    .addColumn("started_at", big, (c) => c.notNull())
    .addColumn("duration_ms", "integer", (c) => c.notNull())
    .addColumn("request_url", "text", (c) => c.notNull())
    .addColumn("request_headers", "text", (c) => c.notNull())
    .addColumn("request_body", "text", (c) => c.notNull())
    .addColumn("response_status", "integer")
    .addColumn("response_headers", "text")
    .addColumn("response_body", "text")
    .addColumn("error", "text")
    .addColumn("outcome", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("delivery_attempts_delivery")
    .on("delivery_attempts")
    .columns(["delivery_id", "attempt_number"])
    .execute();
}
