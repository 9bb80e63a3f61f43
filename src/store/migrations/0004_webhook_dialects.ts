// What a webhook looks like on the wire (signature scheme, payload format and version, template, extra body
// fields, a static Authorization header), which events it takes (filters), and a rotated-out secret that
// still signs until its overlap window ends.
import type { Kysely } from "kysely";
import type { StoreAdapter } from "../dialect.js";

export async function up(db: Kysely<unknown>, a: StoreAdapter): Promise<void> {
  const add = (column: string, type: "text" | "bigint", notNullDefault?: string) =>
    db.schema
      .alterTable("webhooks")
      .addColumn(column, type === "bigint" ? a.bigintType : "text", (c) =>
        notNullDefault === undefined ? c : c.notNull().defaultTo(notNullDefault),
      )
      .execute();
  await add("signature_scheme", "text", "standard");
  await add("payload_format", "text", "gatehouse");
  await add("payload_version", "text");
  await add("template", "text");
  await add("template_content_type", "text");
  await add("custom_body", "text", "{}");
  await add("filters", "text", "{}");
  await add("authorization", "text");
  await add("previous_secret", "text");
  await add("previous_secret_expires_at", "bigint");
}
