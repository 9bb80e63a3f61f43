// The event API shapes, declared once for types, validation and the OpenAPI document.
import { z } from "@hono/zod-openapi";
import { typeError } from "../lib/validation.js";
import { eventTypeGroup, isKnownEventType } from "./catalog.js";
import { eventDataIssues } from "./data-schemas.js";

export const MAX_EVENTS_PER_REQUEST = 1000;
export const MAX_DATA_BYTES = 64 * 1024;

/** Emitted by Gatehouse itself; an API client may not forge them. */
const SYSTEM_GROUPS = new Set(["webhook"]);

/**
 * Validation has to serialise `data` to measure it; the text is kept against the validated object so ingest
 * stores and sends those same bytes instead of serialising ~1 KB a second time per event.
 */
const serialised = new WeakMap<object, string>();

/** `data` as JSON text, serialised once per validated object. Never mutate `data` after validation. */
export function serialisedData(data: object): string {
  let text = serialised.get(data);
  if (text === undefined) {
    text = JSON.stringify(data);
    serialised.set(data, text);
  }
  return text;
}

export const EventIn = z
  .strictObject({
    type: z
      .string({ error: typeError("a string") })
      .refine(isKnownEventType, {
        error: (iss) =>
          `unknown event type "${String(iss.input)}" (see GET /v1/event-types, or use custom.<name>)`,
      })
      .refine((t) => !SYSTEM_GROUPS.has(eventTypeGroup(t)), {
        error: "webhook.* events are emitted by Gatehouse itself",
      })
      .openapi({ example: "access.granted" }),
    id: z
      .string({ error: typeError("a string") })
      .regex(/^[A-Za-z0-9._:-]{1,128}$/, { error: "must be 1–128 characters of letters, digits and . _ : -" })
      .optional()
      .openapi({
        description:
          "Your id for the event; a repeated id is stored and delivered once. Generated (UUID v7) when left out.",
      }),
    timestamp: z.iso
      .datetime({ offset: true, error: "must be an ISO 8601 date-time, e.g. 2026-11-23T08:00:00Z" })
      .optional()
      .openapi({ description: "When it happened; defaults to when it was recorded" }),
    site_id: z
      .int({ error: typeError("an integer") })
      .min(1, { error: "must be an integer ≥ 1" })
      .nullable()
      .optional(),
    data: z
      .record(z.string(), z.unknown(), { error: typeError("a JSON object") })
      .refine((d) => Buffer.byteLength(serialisedData(d)) <= MAX_DATA_BYTES, {
        error: `must serialise to at most ${MAX_DATA_BYTES} bytes`,
      })
      .default({})
      .openapi({
        description:
          "Must match the type's schema (GET /v1/event-types/{type}); fields beyond it are kept. custom.* take any object.",
        example: {
          door: { id: 3, name: "Main Entrance" },
          reader: { name: "Main Entrance, outside" },
          user: { id: 42, name: "Dana Smith" },
          credential: { id: 77, kind: "card", masked: "****1234" },
          method: "credential",
        },
      }),
  })
  // Checked once the envelope is sound, so each event's data is validated once, against its own type.
  .superRefine((event, ctx) => {
    if (ctx.issues.length > 0) return;
    for (const issue of eventDataIssues(event.type, event.data)) {
      ctx.addIssue({ ...issue, path: ["data", ...issue.path] });
    }
  })
  .openapi("EventIn");
export type EventIn = z.infer<typeof EventIn>;

export const EventsIn = z
  .union(
    [
      EventIn,
      z
        .array(EventIn)
        .min(1, { error: "must hold at least one event" })
        .max(MAX_EVENTS_PER_REQUEST, { error: `must hold at most ${MAX_EVENTS_PER_REQUEST} events` }),
    ],
    { error: "must be an event object or an array of events" },
  )
  .openapi("EventsIn");

export const EventsAccepted = z
  .object({
    ids: z.array(z.string()).openapi({ description: "The event ids, in the order posted" }),
    duplicates: z
      .array(z.string())
      .openapi({ description: "Ids that were seen before and not fanned out again" }),
  })
  .openapi("EventsAccepted");

export const EventOut = z
  .object({
    id: z.string(),
    type: z.string(),
    timestamp: z.string(),
    recorded_at: z.string(),
    site_id: z.int().nullable(),
    sequence: z.int(),
    data: z.record(z.string(), z.unknown()),
  })
  .openapi("Event");
export type EventOut = z.infer<typeof EventOut>;
