// The webhook's API shapes, declared once: they give the TypeScript types, the validation and the OpenAPI document.
import { z } from "@hono/zod-openapi";
import { isValidSubscription } from "../events/catalog.js";
import { typeError } from "../lib/validation.js";
import { parseCustomHeaders } from "./custom-headers.js";

const url = z
  .string({ error: typeError("a string") })
  .min(4, { error: "must be between 4 and 2000 characters" })
  .max(2000, { error: "must be between 4 and 2000 characters" })
  .refine(
    (value) => {
      try {
        const u = new URL(value);
        return (u.protocol === "http:" || u.protocol === "https:") && u.hostname.length > 0;
      } catch {
        return false;
      }
    },
    { error: "must be a valid http:// or https:// URL" },
  );

const secret = z
  .string({ error: "must be a string" })
  .min(16, { error: "must be between 16 and 128 characters" })
  .max(128, { error: "must be between 16 and 128 characters" })
  .refine((s) => !s.startsWith("whsec_") || /^[A-Za-z0-9+/]+={0,2}$/.test(s.slice(6)), {
    error: "a whsec_ secret must be base64 after the prefix",
  });

const status = z.enum(["active", "disabled"], { error: "must be one of: active, disabled" });

const timeout = z
  .int({ error: "must be an integer (milliseconds)" })
  .min(1000, { error: "must be between 1000 and 30000" })
  .max(30000, { error: "must be between 1000 and 30000" });

const headers = z.string({ error: "must be a JSON object encoded as a string" }).superRefine((raw, ctx) => {
  const parsed = parseCustomHeaders(raw);
  if (!parsed.ok) ctx.addIssue({ code: "custom", message: parsed.error });
});

const description = z
  .string({ error: "must be a string" })
  .max(1000, { error: "must be at most 1000 characters" });

const name = z.string({ error: "must be a string" }).max(200, { error: "must be at most 200 characters" });

const eventTypes = z
  .array(z.string({ error: "must be a list of event type names" }), {
    error: "must be a list of event type names",
  })
  .max(500, { error: "must list at most 500 event types" })
  .superRefine((list, ctx) => {
    const bad = list.find((t) => !isValidSubscription(t));
    if (bad !== undefined) {
      ctx.addIssue({
        code: "custom",
        message: `unknown event type "${bad}" (see GET /v1/event-types; wildcards like "door.*" and "*" are allowed)`,
      });
    }
  });

const maxRetries = z
  .int({ error: "must be an integer" })
  .min(0, { error: "must be between 0 and 5" })
  .max(5, { error: "must be between 0 and 5" });

const fields = {
  name: name.openapi({ example: "Front desk SIEM" }),
  url: url.openapi({
    description: "Webhook server address",
    example: "https://api.yourcompany.com/webhooks/1",
  }),
  secret: secret.openapi({
    description:
      "Signing secret, 16–128 characters. A `whsec_` secret's key is the base64 after the prefix; any other secret's key is its UTF-8 bytes. Generated when left out.",
    example: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
  }),
  status: status.openapi({ description: "Disabled webhooks receive nothing but keep their subscriptions" }),
  timeout: timeout.openapi({
    description: "Connect, read and write timeout in milliseconds",
    example: 10000,
  }),
  headers: headers.openapi({
    description: "Extra request headers as a JSON object encoded in a string; system headers cannot be set",
    example: '{"X-Api-Key":"abc"}',
  }),
  description: description.openapi({ example: "Webhook info" }),
  event_types: eventTypes.openapi({
    description: "Event types this webhook receives: exact names, `group.*` or `*`. Empty means none.",
    example: ["access.granted", "door.*"],
  }),
  max_retries: maxRetries.openapi({ description: "Retries after the first failed attempt", example: 5 }),
};

export const WebhookIn = z
  .strictObject({
    name: fields.name.optional(),
    url: fields.url,
    secret: fields.secret.optional(),
    status: fields.status.default("active"),
    timeout: fields.timeout.default(10000),
    headers: fields.headers.default("{}"),
    description: fields.description.default(""),
    event_types: fields.event_types.default([]),
    max_retries: fields.max_retries.default(5),
  })
  .openapi("WebhookIn");
export type WebhookIn = z.infer<typeof WebhookIn>;

export const WebhookPatch = z
  .strictObject({
    name: fields.name,
    url: fields.url,
    secret: fields.secret,
    status: fields.status,
    timeout: fields.timeout,
    headers: fields.headers,
    description: fields.description,
    event_types: fields.event_types,
    max_retries: fields.max_retries,
  })
  .partial()
  .openapi("WebhookPatch");
export type WebhookPatch = z.infer<typeof WebhookPatch>;

const outFields = {
  uid: z.int().min(1).openapi({ description: "Unique identifier", example: 1 }),
  name: z.string(),
  url: z.string(),
  status,
  timeout: z.int(),
  headers: z.string(),
  description: z.string(),
  event_types: z.array(z.string()),
  max_retries: z.int(),
  disabled_reason: z.string().nullable().openapi({ description: "Why Gatehouse disabled it, if it did" }),
  created_at: z.int().openapi({ description: "Unix timestamp (seconds)", example: 1540819272 }),
  updated_at: z.int().openapi({ description: "Unix timestamp (seconds)", example: 1540819272 }),
};

/** What lists show: never the secret. */
export const WebhookSummary = z.object(outFields).openapi("WebhookSummary");
export type WebhookSummary = z.infer<typeof WebhookSummary>;

/** What get and create show to an administrator: the secret included. */
export const WebhookOut = z.object({ ...outFields, secret: z.string() }).openapi("WebhookOut");
export type WebhookOut = z.infer<typeof WebhookOut>;

export const WebhookUidParam = z.object({
  uid: z
    .string()
    .regex(/^[1-9][0-9]{0,15}$/)
    .openapi({
      param: { name: "uid", in: "path" },
      description: "Webhook uid, an integer ≥ 1",
      example: "1",
    }),
});
