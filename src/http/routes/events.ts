// /v1/events: ingest and paging.
import { createRoute, z } from "@hono/zod-openapi";
import { EventOut, EventsAccepted, EventsIn } from "../../events/schema.js";
import { listEvents, type StoredEvent } from "../../store/events.js";
import { requireRole } from "../auth.js";
import { errorResponses, jsonBody, jsonResponse, security } from "../openapi-common.js";
import { newRouter } from "../router.js";
import type { Services } from "../services.js";

function eventOut(e: StoredEvent): EventOut {
  return {
    id: e.id,
    type: e.type,
    timestamp: e.timestamp,
    recorded_at: new Date(e.recorded_at).toISOString(),
    site_id: e.site_id,
    sequence: e.sequence,
    data: JSON.parse(e.data_json) as Record<string, unknown>,
  };
}

const EventPage = z
  .object({
    events: z.array(EventOut),
    next_cursor: z
      .string()
      .openapi({ description: "Pass as `after` for the next page; at the end it stays put" }),
    has_more: z.boolean(),
  })
  .openapi("EventPage");

const EventPageQuery = z.object({
  after: z
    .string()
    .regex(/^\d{1,16}$/, { error: "must be a cursor from a previous page" })
    .optional()
    .openapi({ param: { name: "after", in: "query" } }),
  limit: z.coerce
    .number({ error: "must be an integer between 1 and 1000" })
    .int({ error: "must be an integer between 1 and 1000" })
    .min(1, { error: "must be an integer between 1 and 1000" })
    .max(1000, { error: "must be an integer between 1 and 1000" })
    .default(100)
    .openapi({ param: { name: "limit", in: "query" } }),
  type: z
    .string()
    .optional()
    .openapi({ param: { name: "type", in: "query" }, description: "Comma-separated event types" }),
});

export function eventRoutes(s: Services) {
  const app = newRouter();
  const tags = ["Events"];

  app.openapi(
    createRoute({
      method: "post",
      path: "/v1/events",
      tags,
      summary: "Post one event or an array of up to 1000; answers after they are committed",
      security,
      middleware: [requireRole(s.auth, "ingest")] as const,
      request: { body: jsonBody(EventsIn) },
      responses: {
        202: jsonResponse(EventsAccepted, "Stored durably and queued for delivery"),
        ...errorResponses,
      },
    }),
    async (c) => {
      const body = c.req.valid("json");
      const accepted = await s.ingest.accept(Array.isArray(body) ? body : [body]);
      return c.json(
        { ids: accepted.map((a) => a.id), duplicates: accepted.filter((a) => a.duplicate).map((a) => a.id) },
        202,
      );
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/v1/events",
      tags,
      summary: "Page through stored events in the order they were recorded",
      security,
      middleware: [requireRole(s.auth, "viewer")] as const,
      request: { query: EventPageQuery },
      responses: { 200: jsonResponse(EventPage, "A page of events"), ...errorResponses },
    }),
    async (c) => {
      const q = c.req.valid("query");
      const page = await listEvents(s.store.db, {
        after: q.after ? Number(q.after) : undefined,
        limit: q.limit,
        types: q.type
          ? q.type
              .split(",")
              .map((t) => t.trim())
              .filter(Boolean)
          : undefined,
      });
      return c.json({ ...page, events: page.events.map(eventOut) }, 200);
    },
  );

  return app;
}
