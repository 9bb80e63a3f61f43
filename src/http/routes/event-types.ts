// /v1/event-types: the catalog, grouped, and each type with the JSON Schema of its `data`.
import { createRoute, z } from "@hono/zod-openapi";
import {
  CUSTOM_GROUP,
  type EventTypeInfo,
  eventTypeGroups,
  eventTypeInfo,
  isCustomEventType,
  searchEventTypes,
} from "../../events/catalog.js";
import { eventDataJsonSchema } from "../../events/data-schemas.js";
import { requireRole } from "../auth.js";
import { ApiError } from "../errors.js";
import { errorResponses, jsonResponse, notFoundResponse, security } from "../openapi-common.js";
import { newRouter } from "../router.js";
import type { Services } from "../services.js";

const EventTypeSummary = z.object({
  type: z.string().openapi({ example: "access.granted" }),
  description: z.string(),
  aliases: z
    .record(z.string(), z.array(z.string()))
    .openapi({ description: "The names each vendor format renders this type as" }),
});

const EventTypeGroups = z
  .object({ groups: z.array(z.object({ group: z.string(), types: z.array(EventTypeSummary) })) })
  .openapi("EventTypeGroups");

const EventTypeDetail = EventTypeSummary.extend({
  group: z.string().openapi({ example: "access" }),
  schema: z
    .record(z.string(), z.unknown())
    .openapi({ description: "The JSON Schema (draft 2020-12) that the event's `data` must match" }),
}).openapi("EventType");

const EventTypeQuery = z.object({
  search: z.string().max(200, { error: "must be at most 200 characters" }).optional().openapi({
    description: "Only types whose name, group, description or vendor names contain every word",
    example: "door",
  }),
});

const EventTypeParam = z.object({
  type: z.string().openapi({
    param: { name: "type", in: "path" },
    example: "access.granted",
    description: "A catalog type, or custom.<name>",
  }),
});

/** A custom type is in no catalog entry: it is described generically and takes any object. */
function customTypeInfo(type: string): EventTypeInfo {
  return {
    type,
    group: CUSTOM_GROUP,
    description: "An integration's own event; its data is any JSON object.",
    aliases: {},
  };
}

const summary = (t: EventTypeInfo) => ({ type: t.type, description: t.description, aliases: t.aliases });

export function eventTypeRoutes(s: Services) {
  const app = newRouter();
  const tags = ["Events"];
  const viewer = requireRole(s.auth, "viewer");

  app.openapi(
    createRoute({
      method: "get",
      path: "/v1/event-types",
      tags,
      summary: "The event catalog, grouped, with each type's vendor names",
      security,
      middleware: [viewer] as const,
      request: { query: EventTypeQuery },
      responses: {
        200: jsonResponse(EventTypeGroups, "The catalog, or what the search found"),
        ...errorResponses,
      },
    }),
    (c) => {
      const { search } = c.req.valid("query");
      const found = search === undefined ? undefined : new Set(searchEventTypes(search));
      const groups = eventTypeGroups()
        .map((g) => ({ group: g.group, types: found ? g.types.filter((t) => found.has(t)) : g.types }))
        .filter((g) => !found || g.types.length > 0);
      return c.json({ groups: groups.map((g) => ({ group: g.group, types: g.types.map(summary) })) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/v1/event-types/{type}",
      tags,
      summary: "One event type, with the JSON Schema of its data",
      security,
      middleware: [viewer] as const,
      request: { params: EventTypeParam },
      responses: {
        200: jsonResponse(EventTypeDetail, "The type and its data schema"),
        ...errorResponses,
        ...notFoundResponse,
      },
    }),
    (c) => {
      const { type } = c.req.valid("param");
      const info = eventTypeInfo(type) ?? (isCustomEventType(type) ? customTypeInfo(type) : undefined);
      const schema = eventDataJsonSchema(type);
      if (!info || !schema) throw new ApiError(404, `Unknown event type: ${type}`, "not_found");
      return c.json({ ...summary(info), group: info.group, schema }, 200);
    },
  );

  return app;
}
