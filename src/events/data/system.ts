// The `data` of audit.* events (every change through the API or console) and of Gatehouse's own webhook.*.
import { z } from "zod";
import { typeError } from "../../lib/validation.js";
import type { AUDIT_RESOURCES } from "../catalog-data.js";

export type AuditResource = (typeof AUDIT_RESOURCES)[number];

const Actor = z
  .looseObject({
    type: z.enum(["api_key"]).describe("What made the change: an API key (the console uses one too)"),
    id: z.int().nullable().describe("The API key's id; null when it is not known"),
    name: z.string().describe("The key's name"),
  })
  .describe("Who made the change");

const Change = z
  .looseObject({
    before: z.unknown().optional().describe("The value before; absent when the field is new"),
    after: z.unknown().optional().describe("The value after; absent when the field was removed"),
  })
  .describe("One field's change");

/** The data of every audit.<resource>.<action>: one schema per resource, so resource.type is fixed. */
export function auditData<R extends AuditResource>(resource: R) {
  return z
    .looseObject({
      actor: Actor,
      resource: z
        .looseObject({
          type: z.literal(resource).describe("The kind of resource, as in the event type"),
          id: z
            .union([z.int(), z.string()], { error: typeError("an integer or a string") })
            .describe("The resource's id"),
        })
        .describe("What was changed"),
      changes: z
        .record(z.string(), Change)
        .describe("The changed fields by name, before and after; secrets are masked"),
    })
    .describe("A change made through the API or console");
}
export type AuditData = z.infer<ReturnType<typeof auditData<AuditResource>>>;

const WebhookRef = z.looseObject({
  uid: z.int().min(1).describe("The webhook's uid"),
  name: z.string().describe("The webhook's name"),
});

export const WebhookTestData = z
  .looseObject({
    webhook: WebhookRef.describe("The webhook the test was sent to"),
    message: z.string().describe("A fixed text saying it is a test"),
  })
  .describe("A test send");
export type WebhookTestData = z.infer<typeof WebhookTestData>;

// As src/server.ts emits it when a receiver answers 410 Gone.
export const WebhookDisabledData = z
  .looseObject({
    webhook: WebhookRef.extend({ url: z.string().describe("The URL that answered") }).describe(
      "The webhook that was disabled",
    ),
    reason: z.string().describe("Why it was disabled, e.g. the receiver answered 410 Gone"),
  })
  .describe("A webhook disabled by Gatehouse");
export type WebhookDisabledData = z.infer<typeof WebhookDisabledData>;
