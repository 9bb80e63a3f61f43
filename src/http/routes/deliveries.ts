// Delivery logs: per-webhook lists, one delivery with every attempt, and manual retry.
import { createRoute, z } from "@hono/zod-openapi";
import { getDelivery, listDeliveries, requeueDelivery } from "../../store/deliveries.js";
import { requireRole } from "../auth.js";
import { errors } from "../errors.js";
import {
  conflictResponse,
  errorResponses,
  jsonResponse,
  notFoundResponse,
  security,
} from "../openapi-common.js";
import { newRouter } from "../router.js";
import type { Services } from "../services.js";
import { findWebhookOr400 } from "./webhooks.js";

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

const DeliveryStatus = z.enum(["pending", "succeeded", "failed"]);

const DeliveryOut = z
  .object({
    id: z.int(),
    event_id: z.string(),
    event_type: z.string(),
    webhook_uid: z.int(),
    status: DeliveryStatus,
    attempt_count: z.int(),
    next_attempt_at: z
      .string()
      .nullable()
      .openapi({ description: "When the next attempt is due, while pending" }),
    last_status_code: z.int().nullable(),
    last_error: z.string().nullable(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi("Delivery");

const AttemptOut = z
  .object({
    attempt_number: z.int(),
    started_at: z.string(),
    duration_ms: z.int(),
    request: z.object({ url: z.string(), headers: z.record(z.string(), z.string()), body: z.string() }),
    response: z
      .object({ status: z.int(), headers: z.record(z.string(), z.string()), body: z.string() })
      .nullable()
      .openapi({ description: "Null when no response arrived; the body is capped at 64 KiB" }),
    error: z.string().nullable(),
    outcome: z.enum(["succeeded", "retry", "failed", "gone"]),
  })
  .openapi("DeliveryAttempt");

const DeliveryWithAttempts = DeliveryOut.extend({ attempts: z.array(AttemptOut) }).openapi(
  "DeliveryWithAttempts",
);

const DeliveryIdParam = z.object({
  id: z.string().openapi({ param: { name: "id", in: "path" }, example: "1" }),
});

const ListQuery = z.object({
  before: z.coerce
    .number()
    .int()
    .min(1)
    .optional()
    .openapi({
      param: { name: "before", in: "query" },
      description: "Only deliveries with a smaller id (paging backwards)",
    }),
  limit: z.coerce
    .number()
    .int()
    .min(1, { error: "must be between 1 and 500" })
    .max(500, { error: "must be between 1 and 500" })
    .default(50)
    .openapi({ param: { name: "limit", in: "query" } }),
  status: DeliveryStatus.optional().openapi({ param: { name: "status", in: "query" } }),
});

type Delivery = NonNullable<Awaited<ReturnType<typeof getDelivery>>>;

function deliveryOut(d: Omit<Delivery, "attempts">): z.infer<typeof DeliveryOut> {
  return {
    ...d,
    next_attempt_at: iso(d.next_attempt_at),
    created_at: iso(d.created_at) as string,
    updated_at: iso(d.updated_at) as string,
  };
}

function parseDeliveryId(raw: string): number {
  const id = Number(raw);
  if (!/^[1-9]\d{0,15}$/.test(raw) || !Number.isSafeInteger(id)) throw errors.invalid("Wrong delivery id");
  return id;
}

export function deliveryRoutes(s: Services) {
  const app = newRouter();
  const viewer = requireRole(s.auth, "viewer");
  const tags = ["Deliveries"];

  app.openapi(
    createRoute({
      method: "get",
      path: "/v1/webhooks/{uid}/deliveries",
      tags,
      summary: "A webhook's deliveries, newest first",
      security,
      middleware: [viewer] as const,
      request: {
        params: z.object({ uid: z.string().openapi({ param: { name: "uid", in: "path" } }) }),
        query: ListQuery,
      },
      responses: {
        200: jsonResponse(z.object({ deliveries: z.array(DeliveryOut) }), "Deliveries"),
        ...errorResponses,
      },
    }),
    async (c) => {
      const webhook = await findWebhookOr400(s, c.req.param("uid"));
      const q = c.req.valid("query");
      const list = await listDeliveries(s.store.db, { webhookUid: webhook.uid, ...q });
      return c.json({ deliveries: list.map(deliveryOut) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/v1/deliveries/{id}",
      tags,
      summary: "One delivery with every attempt: request sent, response received, timing, error",
      security,
      middleware: [viewer] as const,
      request: { params: DeliveryIdParam },
      responses: {
        200: jsonResponse(DeliveryWithAttempts, "The delivery"),
        ...errorResponses,
        ...notFoundResponse,
      },
    }),
    async (c) => {
      const d = await getDelivery(s.store.db, parseDeliveryId(c.req.param("id")));
      if (!d) throw errors.notFound("Delivery");
      const attempts = d.attempts.map((a) => ({
        ...a,
        started_at: iso(a.started_at) as string,
        outcome: a.outcome as z.infer<typeof AttemptOut>["outcome"],
      }));
      return c.json({ ...deliveryOut(d), attempts }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/v1/deliveries/{id}/retry",
      tags,
      summary: "Attempt a delivery once more, now",
      security,
      middleware: [requireRole(s.auth)] as const,
      request: { params: DeliveryIdParam },
      responses: {
        202: jsonResponse(DeliveryOut, "Queued for an attempt now"),
        ...errorResponses,
        ...notFoundResponse,
        ...conflictResponse,
      },
    }),
    async (c) => {
      const id = parseDeliveryId(c.req.param("id"));
      const before = await getDelivery(s.store.db, id);
      if (!before) throw errors.notFound("Delivery");
      if (before.status === "pending" && s.dispatcher.isHeld(id)) {
        throw errors.conflict("delivery is being attempted right now");
      }
      await requeueDelivery(s.store.db, id, s.clock.now());
      s.dispatcher.wakeAt(0);
      s.cluster.announce("work");
      const after = await getDelivery(s.store.db, id);
      return c.json(deliveryOut(after ?? before), 202);
    },
  );

  return app;
}
