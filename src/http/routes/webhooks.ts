// /v1/webhooks: create, list, get, patch, delete, and the test send.
import { createRoute, z } from "@hono/zod-openapi";
import { type Actor, actorOf, auditChange } from "../../access/audit.js";
import type { ChangeAction } from "../../access/resource.js";
import { newWebhookSecret } from "../../lib/ids.js";
import {
  deleteWebhook,
  getWebhook,
  insertWebhook,
  listWebhooks,
  updateWebhook,
  type Webhook,
  WIRE_DEFAULTS,
} from "../../store/webhooks.js";
import {
  WebhookIn,
  WebhookOut,
  WebhookPatch,
  WebhookSummary,
  WebhookUidParam,
} from "../../webhooks/schema.js";
import { effectiveVersion, wireProblem } from "../../webhooks/wire.js";
import { requireRole } from "../auth.js";
import { errors } from "../errors.js";
import { conflictResponse, errorResponses, jsonBody, jsonResponse, security } from "../openapi-common.js";
import { newRouter } from "../router.js";
import type { Services } from "../services.js";

const toSeconds = (ms: number) => Math.floor(ms / 1000);

export function webhookOut(w: Webhook): WebhookOut {
  return { ...webhookSummary(w), secret: w.secret, authorization: w.authorization };
}

export function webhookSummary(w: Webhook): WebhookSummary {
  const rotating = w.previous_secret !== null && w.previous_secret_expires_at !== null;
  return {
    uid: w.uid,
    name: w.name,
    url: w.url,
    status: w.status,
    timeout: w.timeout,
    headers: w.headers,
    description: w.description,
    event_types: w.event_types,
    max_retries: w.max_retries,
    disabled_reason: w.disabled_reason,
    signature_scheme: w.signature_scheme,
    payload_format: w.payload_format,
    payload_version: effectiveVersion(w.payload_format, w.payload_version),
    template: w.template,
    template_content_type: w.template_content_type,
    custom_body: w.custom_body,
    filters: w.filters,
    authorization: w.authorization && { type: w.authorization.type },
    secret_rotation: rotating
      ? { previous_secret_expires_at: toSeconds(w.previous_secret_expires_at ?? 0) }
      : null,
    created_at: toSeconds(w.created_at),
    updated_at: toSeconds(w.updated_at),
  };
}

/** Parses the path uid; a malformed or unknown one answers as the BAS-IP entity does. */
export async function findWebhookOr400(s: Services, raw: string): Promise<Webhook> {
  const uid = Number(raw);
  // Number() also reads `1e0`, `0x1` and `01`; only plain digits are a uid.
  const wellFormed = /^[1-9][0-9]{0,15}$/.test(raw) && Number.isSafeInteger(uid);
  const webhook = wellFormed ? await getWebhook(s.store.db, uid) : undefined;
  if (!webhook) throw errors.wrongWebhookUid();
  return webhook;
}

/** Audits a webhook change as the API shows the webhook, its secret masked. */
function webhookAudit(action: ChangeAction, actor: Actor, before: Webhook | null, after: Webhook | null) {
  const subject = (after ?? before) as Webhook;
  return auditChange({
    resource: "webhook",
    action,
    id: subject.uid,
    actor,
    site: null,
    before: before && webhookOut(before),
    after: after && webhookOut(after),
    secret: ["secret", "authorization"],
  });
}

const TestResult = z
  .object({ event_id: z.string(), delivery: z.literal("queued") })
  .openapi("WebhookTestResult");

export function webhookRoutes(s: Services) {
  const app = newRouter();
  const admin = requireRole(s.auth);
  const viewer = requireRole(s.auth, "viewer");
  const tags = ["Webhooks"];

  app.openapi(
    createRoute({
      method: "get",
      path: "/v1/webhooks",
      tags,
      summary: "List webhooks (secrets hidden)",
      security,
      middleware: [viewer] as const,
      responses: {
        200: jsonResponse(z.object({ webhooks: z.array(WebhookSummary) }), "All webhooks"),
        ...errorResponses,
      },
    }),
    async (c) => c.json({ webhooks: (await listWebhooks(s.store.db)).map(webhookSummary) }, 200),
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/v1/webhooks",
      tags,
      summary: "Create a webhook",
      security,
      middleware: [admin] as const,
      request: { body: jsonBody(WebhookIn) },
      responses: { 201: jsonResponse(WebhookOut, "Created; the secret is shown"), ...errorResponses },
    }),
    async (c) => {
      const input = c.req.valid("json");
      const problem = wireProblem(input);
      if (problem) throw errors.invalid(problem);
      const actor = actorOf(c.get("apiKey"));
      const { value: webhook } = await s.ingest.apply([null], async ({ trx }) => {
        const fields = {
          ...WIRE_DEFAULTS,
          ...input,
          name: input.name ?? new URL(input.url).hostname,
          secret: input.secret ?? newWebhookSecret(),
          disabled_reason: null,
        };
        const created = await insertWebhook(trx, fields, s.clock.now());
        return { value: created, events: [webhookAudit("created", actor, null, created)] };
      });
      s.webhooks.put(webhook);
      s.cluster.announce("webhooks");
      s.logger.info({ webhook: webhook.uid, url: webhook.url }, "webhook created");
      return c.json(webhookOut(webhook), 201);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/v1/webhooks/{uid}",
      tags,
      summary: "Get a webhook; administrators also see its secret",
      security,
      middleware: [viewer] as const,
      request: { params: WebhookUidParam },
      responses: {
        200: jsonResponse(z.union([WebhookOut, WebhookSummary]), "The webhook"),
        ...errorResponses,
      },
    }),
    async (c) => {
      const webhook = await findWebhookOr400(s, c.req.param("uid"));
      return c.json(c.get("apiKey").role === "admin" ? webhookOut(webhook) : webhookSummary(webhook), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "patch",
      path: "/v1/webhooks/{uid}",
      tags,
      summary: "Change some of a webhook's fields",
      security,
      middleware: [admin] as const,
      request: { params: WebhookUidParam, body: jsonBody(WebhookPatch) },
      responses: { 200: jsonResponse(WebhookOut, "The webhook after the change"), ...errorResponses },
    }),
    async (c) => {
      const current = await findWebhookOr400(s, c.req.param("uid"));
      const asked = c.req.valid("json");
      // A new format starts at its own default version unless the change names one.
      const formatChanged =
        asked.payload_format !== undefined && asked.payload_format !== current.payload_format;
      const patch =
        formatChanged && asked.payload_version === undefined ? { ...asked, payload_version: null } : asked;
      const problem = wireProblem({ ...current, ...patch });
      if (problem) throw errors.invalid(problem);
      const enabling = patch.status === "active" && current.status !== "active";
      const actor = actorOf(c.get("apiKey"));
      const { value: updated } = await s.ingest.apply([null], async ({ trx }) => {
        const before = await getWebhook(trx, current.uid);
        const changes = { ...patch, ...(patch.status === "active" ? { disabled_reason: null } : {}) };
        const after = before && (await updateWebhook(trx, current.uid, changes, s.clock.now()));
        if (!before || !after) throw errors.wrongWebhookUid();
        return { value: after, events: [webhookAudit("updated", actor, before, after)] };
      });
      s.webhooks.put(updated);
      s.cluster.announce("webhooks");
      // Deliveries held while it was disabled go out now, from whichever node has room.
      if (enabling) {
        s.dispatcher.wakeAt(0);
        s.cluster.announce("work");
      }
      return c.json(webhookOut(updated), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "delete",
      path: "/v1/webhooks/{uid}",
      tags,
      summary: "Delete a webhook with its delivery history",
      security,
      middleware: [admin] as const,
      request: { params: WebhookUidParam },
      responses: { 204: { description: "Deleted" }, ...errorResponses },
    }),
    async (c) => {
      const webhook = await findWebhookOr400(s, c.req.param("uid"));
      const actor = actorOf(c.get("apiKey"));
      await s.ingest.apply([null], async ({ trx }) => {
        if (!(await deleteWebhook(trx, webhook.uid))) throw errors.wrongWebhookUid();
        return { value: undefined, events: [webhookAudit("deleted", actor, webhook, null)] };
      });
      s.webhooks.remove(webhook.uid);
      s.cluster.announce("webhooks");
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/v1/webhooks/{uid}/test",
      tags,
      summary: "Send a webhook.test event to this webhook only",
      security,
      middleware: [admin] as const,
      request: { params: WebhookUidParam },
      responses: {
        202: jsonResponse(TestResult, "Stored and queued"),
        ...errorResponses,
        ...conflictResponse,
      },
    }),
    async (c) => {
      const webhook = await findWebhookOr400(s, c.req.param("uid"));
      if (webhook.status !== "active") throw errors.conflict("webhook is disabled; enable it to send a test");
      const [accepted] = await s.ingest.accept(
        [
          {
            type: "webhook.test",
            data: { webhook: { uid: webhook.uid, name: webhook.name }, message: "Test from Gatehouse" },
          },
        ],
        webhook,
      );
      return c.json({ event_id: accepted?.id ?? "", delivery: "queued" as const }, 202);
    },
  );

  return app;
}
