// The webhook's API shapes, declared once: they give the TypeScript types, the validation and the OpenAPI document.
import { z } from "@hono/zod-openapi";
import { PAYLOAD_FORMATS } from "../delivery/formats/index.js";
import { TEMPLATE_CONTENT_TYPES, TEMPLATE_LIMITS } from "../delivery/formats/template.js";
import { SIGNATURE_SCHEMES } from "../delivery/signing/index.js";
import { isSubscription } from "../events/fanout.js";
import { DECISIONS } from "../events/filters.js";
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
    const bad = list.find((t) => !isSubscription(t));
    if (bad !== undefined) {
      ctx.addIssue({
        code: "custom",
        message: `unknown event type "${bad}" (see GET /v1/event-types; wildcards like "door.*" and "*" are allowed)`,
      });
    }
  });

const oneOf = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: `must be one of: ${values.join(", ")}` });

const signatureScheme = oneOf(SIGNATURE_SCHEMES);
const payloadFormat = oneOf(PAYLOAD_FORMATS);
const payloadVersion = z
  .string({ error: "must be a string or null" })
  .max(20, { error: "must be at most 20 characters" })
  .nullable();

const template = z
  .string({ error: "must be a string or null" })
  .refine((t) => Buffer.byteLength(t) <= TEMPLATE_LIMITS.templateBytes, {
    error: `must be at most ${TEMPLATE_LIMITS.templateBytes} bytes (UTF-8)`,
  })
  .nullable();
const templateContentType = oneOf(TEMPLATE_CONTENT_TYPES).nullable();

const MAX_CUSTOM_BODY = 16_384;
const customBody = z
  .record(z.string().min(1, { error: "field names must not be empty" }).max(200), z.unknown(), {
    error: "must be a JSON object",
  })
  .refine((o) => JSON.stringify(o).length <= MAX_CUSTOM_BODY, {
    error: `must be at most ${MAX_CUSTOM_BODY} characters as JSON`,
  });

const idList = z
  .array(z.int({ error: "must be a list of ids (integers ≥ 1)" }).min(1, { error: "ids are integers ≥ 1" }), {
    error: "must be a list of ids (integers ≥ 1)",
  })
  .min(1, { error: "must name at least one; leave the filter out to take all" })
  .max(1000, { error: "must list at most 1000" });
const nameList = z
  .array(z.string({ error: "must be a list of names" }).min(1).max(200), { error: "must be a list of names" })
  .min(1, { error: "must name at least one; leave the filter out to take all" })
  .max(1000, { error: "must list at most 1000" });

const filters = z
  .strictObject({
    site_ids: idList.optional().openapi({ description: "Only events at these sites" }),
    door_ids: idList
      .optional()
      .openapi({ description: "Only events about these doors (a schedule's events: any of its doors)" }),
    devices: nameList
      .optional()
      .openapi({ description: "Only events from devices with these serial numbers" }),
    user_ids: idList.optional().openapi({ description: "Only events about these users" }),
    access_group_ids: idList
      .optional()
      .openapi({ description: "Only access events of users in these access groups (that cover the door)" }),
    alarm_groups: nameList.optional().openapi({ description: "Only alarms of these alarm groups" }),
    sensors: nameList.optional().openapi({ description: "Only alarms raised by these sensors" }),
    decision: oneOf(DECISIONS)
      .optional()
      .openapi({ description: "Access events with this decision only; other events are not affected" }),
  })
  .openapi("WebhookFilters", {
    description:
      "Which events of the subscribed types the webhook takes. Every condition set must hold; a list matches any of its values. An event that does not say what a condition asks about is left out.",
  });

const visibleAscii = /^[\x20-\x7E]+$/;
const authorization = z
  .discriminatedUnion(
    "type",
    [
      z.strictObject({
        type: z.literal("basic"),
        username: z
          .string({ error: "must be a string" })
          .min(1, { error: "must not be empty" })
          .max(200, { error: "must be at most 200 characters" })
          .regex(/^[^:]*$/, { error: "must not contain a colon" })
          .regex(visibleAscii, { error: "must be visible ASCII" }),
        password: z
          .string({ error: "must be a string" })
          .min(1, { error: "must not be empty" })
          .max(500, { error: "must be at most 500 characters" })
          .regex(visibleAscii, { error: "must be visible ASCII" }),
      }),
      z.strictObject({
        type: z.literal("bearer"),
        token: z
          .string({ error: "must be a string" })
          .min(1, { error: "must not be empty" })
          .max(4000, { error: "must be at most 4000 characters" })
          .regex(/^[\x21-\x7E]+$/, { error: "must be visible ASCII without spaces" }),
      }),
    ],
    { error: 'must be {"type": "basic", "username", "password"} or {"type": "bearer", "token"}' },
  )
  .nullable()
  .openapi("WebhookAuthorization", {
    description:
      "A static Authorization header (Basic or Bearer) for receivers that expect one, such as KentixONE targets. Kept as a secret: lists show only its type.",
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
      "Signing secret, 16–128 characters, generated when left out. Under the standard scheme a `whsec_` secret's key is the base64 after the prefix and any other secret's key is its UTF-8 bytes; the vendor schemes key with the whole string's UTF-8 bytes (docs/receiving.md).",
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
  signature_scheme: signatureScheme.openapi({
    description:
      "How deliveries are signed: `standard` (Standard Webhooks), `kisi` (X-Signature), `genea` (X-Sequr-Signature), `alocity` (Alocity-Signature), `basip` (X-Webhook-Signature) or `none`. See docs/receiving.md.",
  }),
  payload_format: payloadFormat.openapi({
    description:
      "Which body deliveries carry: the `gatehouse` envelope, a vendor's (`kisi`, `alocity`, `basip`, `genea`) or your own `template`. See docs/formats.md.",
  }),
  payload_version: payloadVersion.openapi({
    description: "The format's version where a vendor versions it (genea: v1, v2, v3); null for the default",
    example: null,
  }),
  template: template.openapi({
    description:
      "The body template of the `template` format: Liquid with system variables such as {{ event.type }}, {{ user.name }}, {{ door.name }}, {{ decision }}. See docs/templates.md.",
    example: null,
  }),
  template_content_type: templateContentType.openapi({
    description: "The content type a template renders (default application/json)",
  }),
  custom_body: customBody.openapi({
    description:
      "Extra fields merged into every JSON body (Genea's custom body, e.g. for Datadog); the event's own fields win a clash",
    example: { ddsource: "gatehouse" },
  }),
  filters,
  authorization,
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
    signature_scheme: fields.signature_scheme.default("standard"),
    payload_format: fields.payload_format.default("gatehouse"),
    payload_version: fields.payload_version.default(null),
    template: fields.template.default(null),
    template_content_type: fields.template_content_type.default(null),
    custom_body: fields.custom_body.default({}),
    filters: fields.filters.default({}),
    authorization: fields.authorization.default(null),
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
    signature_scheme: fields.signature_scheme,
    payload_format: fields.payload_format,
    payload_version: fields.payload_version,
    template: fields.template,
    template_content_type: fields.template_content_type,
    custom_body: fields.custom_body,
    filters: fields.filters,
    authorization: fields.authorization,
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
  signature_scheme: signatureScheme,
  payload_format: payloadFormat,
  payload_version: z.string().openapi({ description: "The version in effect", example: "1" }),
  template: z.string().nullable(),
  template_content_type: oneOf(TEMPLATE_CONTENT_TYPES).nullable(),
  custom_body: z.record(z.string(), z.unknown()),
  filters,
  secret_rotation: z
    .object({
      previous_secret_expires_at: z.int().openapi({ description: "Unix timestamp (seconds)" }),
    })
    .nullable()
    .openapi({
      description: "While set, deliveries also carry the previous secret's signature where the scheme allows",
    }),
  created_at: z.int().openapi({ description: "Unix timestamp (seconds)", example: 1540819272 }),
  updated_at: z.int().openapi({ description: "Unix timestamp (seconds)", example: 1540819272 }),
};

/** What lists show: never the secret, and of a static Authorization only its type. */
export const WebhookSummary = z
  .object({
    ...outFields,
    authorization: z
      .object({ type: z.enum(["basic", "bearer"]) })
      .nullable()
      .openapi({ description: "The static Authorization's type; the credential is hidden" }),
  })
  .openapi("WebhookSummary");
export type WebhookSummary = z.infer<typeof WebhookSummary>;

/** What get and create show to an administrator: the secret included. */
export const WebhookOut = z
  .object({ ...outFields, secret: z.string(), authorization: fields.authorization })
  .openapi("WebhookOut");
export type WebhookOut = z.infer<typeof WebhookOut>;

/** A secret as create, patch and rotate accept it. */
export const WebhookSecretIn = secret;

/** A static Authorization with its credential, as administrators see it. */
export const WebhookAuthorizationOut = authorization;

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
