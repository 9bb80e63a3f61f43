// /v1/webhooks/{uid}/secret: reveal the secrets (audited) and rotate with an overlap window.
import { createRoute, z } from "@hono/zod-openapi";
import { actorOf, auditEvent } from "../../access/audit.js";
import { newWebhookSecret } from "../../lib/ids.js";
import { getWebhook, updateWebhook } from "../../store/webhooks.js";
import { WebhookAuthorizationOut, WebhookSecretIn, WebhookUidParam } from "../../webhooks/schema.js";
import { requireRole } from "../auth.js";
import { errors } from "../errors.js";
import { errorResponses, jsonBody, jsonResponse, security } from "../openapi-common.js";
import { newRouter } from "../router.js";
import type { Services } from "../services.js";
import { findWebhookOr400 } from "./webhooks.js";

const toSeconds = (ms: number | null) => (ms === null ? null : Math.floor(ms / 1000));

const SecretsOut = z
  .object({
    secret: z.string().openapi({ description: "The secret deliveries are signed with" }),
    previous_secret: z
      .string()
      .nullable()
      .openapi({ description: "The secret a rotation replaced, while it still signs; null otherwise" }),
    previous_secret_expires_at: z
      .int()
      .nullable()
      .openapi({ description: "When the previous secret stops signing (Unix seconds)" }),
    authorization: WebhookAuthorizationOut,
  })
  .openapi("WebhookSecrets");

const DEFAULT_OVERLAP_S = 24 * 3600;
const MAX_OVERLAP_S = 7 * 24 * 3600;

const RotateIn = z
  .strictObject({
    secret: WebhookSecretIn.optional().openapi({ description: "The new secret; generated when left out" }),
    overlap_seconds: z
      .int({ error: "must be an integer (seconds)" })
      .min(0, { error: `must be between 0 and ${MAX_OVERLAP_S}` })
      .max(MAX_OVERLAP_S, { error: `must be between 0 and ${MAX_OVERLAP_S}` })
      .default(DEFAULT_OVERLAP_S)
      .openapi({
        description:
          "How long the old secret keeps signing beside the new one (Standard Webhooks carries both signatures); 0 retires it at once",
      }),
  })
  .openapi("WebhookSecretRotation");

export function webhookSecretRoutes(s: Services) {
  const app = newRouter();
  const admin = requireRole(s.auth);
  const tags = ["Webhooks"];

  app.openapi(
    createRoute({
      method: "post",
      path: "/v1/webhooks/{uid}/secret/reveal",
      tags,
      summary: "Reveal the webhook's secrets; recorded as audit.webhook.secret_revealed",
      security,
      middleware: [admin] as const,
      request: { params: WebhookUidParam },
      responses: { 200: jsonResponse(SecretsOut, "The secrets"), ...errorResponses },
    }),
    async (c) => {
      const webhook = await findWebhookOr400(s, c.req.param("uid"));
      const actor = actorOf(c.get("apiKey"));
      const { value } = await s.ingest.apply([null], async ({ trx }) => {
        const current = await getWebhook(trx, webhook.uid);
        if (!current) throw errors.wrongWebhookUid();
        const event = auditEvent({
          resource: "webhook",
          action: "secret_revealed",
          id: current.uid,
          actor,
          site: null,
          changes: {},
        });
        return { value: current, events: [event] };
      });
      const overlapping =
        value.previous_secret !== null && (value.previous_secret_expires_at ?? 0) > s.clock.now();
      return c.json(
        {
          secret: value.secret,
          previous_secret: overlapping ? value.previous_secret : null,
          previous_secret_expires_at: overlapping ? toSeconds(value.previous_secret_expires_at) : null,
          authorization: value.authorization,
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/v1/webhooks/{uid}/secret/rotate",
      tags,
      summary: "Replace the secret; the old one keeps signing beside it for the overlap window",
      security,
      middleware: [admin] as const,
      request: {
        params: WebhookUidParam,
        body: { ...jsonBody(RotateIn, "Optional: the new secret and the overlap"), required: false },
      },
      responses: {
        200: jsonResponse(SecretsOut, "The new secret and the old one's window"),
        ...errorResponses,
      },
    }),
    async (c) => {
      const webhook = await findWebhookOr400(s, c.req.param("uid"));
      const input = c.req.valid("json") ?? { overlap_seconds: DEFAULT_OVERLAP_S };
      const actor = actorOf(c.get("apiKey"));
      const now = s.clock.now();
      const secret = input.secret ?? newWebhookSecret();
      const overlapMs = (input.overlap_seconds ?? DEFAULT_OVERLAP_S) * 1000;
      const { value: updated } = await s.ingest.apply([null], async ({ trx }) => {
        const current = await getWebhook(trx, webhook.uid);
        if (!current) throw errors.wrongWebhookUid();
        if (secret === current.secret) throw errors.invalid("secret: must differ from the current secret");
        const after = await updateWebhook(
          trx,
          current.uid,
          {
            secret,
            previous_secret: overlapMs > 0 ? current.secret : null,
            previous_secret_expires_at: overlapMs > 0 ? now + overlapMs : null,
          },
          now,
        );
        if (!after) throw errors.wrongWebhookUid();
        const event = auditEvent({
          resource: "webhook",
          action: "secret_rotated",
          id: current.uid,
          actor,
          site: null,
          changes: {
            secret: { before: "****", after: "****" },
            previous_secret_expires_at: { after: toSeconds(after.previous_secret_expires_at) },
          },
        });
        return { value: after, events: [event] };
      });
      s.webhooks.put(updated);
      s.cluster.announce("webhooks");
      return c.json(
        {
          secret: updated.secret,
          previous_secret: updated.previous_secret,
          previous_secret_expires_at: toSeconds(updated.previous_secret_expires_at),
          authorization: updated.authorization,
        },
        200,
      );
    },
  );

  return app;
}
