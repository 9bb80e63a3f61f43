// POST /v1/webhooks/preview: the exact request a webhook would send for an event, without sending it — how
// a template, a vendor format or a scheme is tried out before (or after) it is saved.
import { createRoute, z } from "@hono/zod-openapi";
import { renderGatehouseV1 } from "../../delivery/formats/gatehouse.js";
import { buildRequest } from "../../delivery/request.js";
import { isKnownEventType } from "../../events/catalog.js";
import { sampleEvent } from "../../events/samples.js";
import { EventIn } from "../../events/schema.js";
import { newEventId } from "../../lib/ids.js";
import { findEventById, type StoredEvent } from "../../store/events.js";
import { type Webhook, WIRE_DEFAULTS } from "../../store/webhooks.js";
import { WebhookPatch } from "../../webhooks/schema.js";
import { wireProblem } from "../../webhooks/wire.js";
import { requireRole } from "../auth.js";
import { errors } from "../errors.js";
import { errorResponses, jsonBody, jsonResponse, security } from "../openapi-common.js";
import { newRouter } from "../router.js";
import type { Services } from "../services.js";
import { findWebhookOr400 } from "./webhooks.js";

const PreviewIn = z
  .strictObject({
    uid: z
      .int({ error: "must be a webhook uid (an integer ≥ 1)" })
      .min(1, { error: "must be a webhook uid (an integer ≥ 1)" })
      .optional()
      .openapi({ description: "Start from this saved webhook's settings and secret" }),
    webhook: WebhookPatch.optional().openapi({
      description: "Settings to try, over the saved webhook's (or the defaults): format, template, scheme…",
    }),
    event_id: z.string().max(128).optional().openapi({ description: "Render this stored event" }),
    event: EventIn.optional().openapi({ description: "Render this event, as POST /v1/events would take it" }),
    event_type: z
      .string()
      .refine(isKnownEventType, { error: "unknown event type (see GET /v1/event-types)" })
      .optional()
      .openapi({ description: "Render Gatehouse's sample of this type (the default: access.granted)" }),
  })
  .refine((p) => [p.event_id, p.event, p.event_type].filter((x) => x !== undefined).length <= 1, {
    error: "give at most one of event_id, event and event_type",
  })
  .openapi("WebhookPreviewIn");

const PreviewOut = z
  .object({
    event: z
      .record(z.string(), z.unknown())
      .openapi({ description: "The event, in the gatehouse v1 envelope" }),
    request: z.object({
      url: z.string(),
      headers: z.record(z.string(), z.string()),
      body: z.string().openapi({ description: "The exact bytes that would be sent and signed" }),
    }),
  })
  .openapi("WebhookPreview");

/** A secret for signatures shown when the settings tried have none: plainly not a real one. */
const PREVIEW_SECRET = "preview-secret-not-for-use";

export function webhookPreviewRoutes(s: Services) {
  const app = newRouter();
  const admin = requireRole(s.auth);

  app.openapi(
    createRoute({
      method: "post",
      path: "/v1/webhooks/preview",
      tags: ["Webhooks"],
      summary: "Render the request a webhook would send for an event, without sending it",
      security,
      middleware: [admin] as const,
      request: { body: jsonBody(PreviewIn) },
      responses: { 200: jsonResponse(PreviewOut, "The request"), ...errorResponses },
    }),
    async (c) => {
      const input = c.req.valid("json");
      const now = s.clock.now();
      const saved = input.uid === undefined ? undefined : await findWebhookOr400(s, String(input.uid));
      const base: Webhook = saved ?? {
        uid: 0,
        name: "preview",
        url: "https://receiver.example/webhook",
        secret: PREVIEW_SECRET,
        status: "active",
        timeout: 10_000,
        headers: "{}",
        description: "",
        event_types: [],
        max_retries: 0,
        disabled_reason: null,
        created_at: now,
        updated_at: now,
        ...WIRE_DEFAULTS,
      };
      const tried = input.webhook ?? {};
      const formatChanged =
        tried.payload_format !== undefined && tried.payload_format !== base.payload_format;
      const webhook: Webhook = {
        ...base,
        ...tried,
        ...(formatChanged && tried.payload_version === undefined ? { payload_version: null } : {}),
      };
      const problem = wireProblem(webhook);
      if (problem) throw errors.invalid(problem);

      const event = await eventToRender(s, input, now);
      let request: ReturnType<typeof buildRequest>;
      try {
        request = buildRequest(webhook, event, now);
      } catch (error) {
        throw errors.invalid(
          `could not render the ${webhook.payload_format} body: ${(error as Error).message}`,
        );
      }
      return c.json(
        {
          event: JSON.parse(renderGatehouseV1(event)) as Record<string, unknown>,
          request: { url: request.url, headers: request.recordedHeaders, body: request.body },
        },
        200,
      );
    },
  );

  return app;
}

async function eventToRender(
  s: Services,
  input: z.infer<typeof PreviewIn>,
  now: number,
): Promise<StoredEvent> {
  if (input.event_id !== undefined) {
    const stored = await findEventById(s.store.db, input.event_id);
    if (!stored) throw errors.invalid(`event_id: no stored event has the id ${input.event_id}`);
    return stored;
  }
  if (input.event) {
    const e = input.event;
    return {
      position: 0,
      id: e.id ?? newEventId(),
      type: e.type,
      timestamp: e.timestamp ?? new Date(now).toISOString(),
      recorded_at: now,
      site_id: e.site_id ?? null,
      sequence: 0,
      data_json: JSON.stringify(e.data),
    };
  }
  return sampleEvent(input.event_type ?? "access.granted");
}
