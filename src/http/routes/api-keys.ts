// /v1/api-keys: administrators create, list and delete keys. A key is shown once, when created.
import { createRoute, z } from "@hono/zod-openapi";
import { type Actor, actorOf, auditChange } from "../../access/audit.js";
import { hashApiKey, newApiKey } from "../../lib/ids.js";
import { typeError } from "../../lib/validation.js";
import { type ApiKey, deleteApiKey, insertApiKey, listApiKeys } from "../../store/api-keys.js";
import { requireRole } from "../auth.js";
import { errors } from "../errors.js";
import { errorResponses, jsonBody, jsonResponse, notFoundResponse, security } from "../openapi-common.js";
import { newRouter } from "../router.js";
import type { Services } from "../services.js";

const Role = z.enum(["admin", "viewer", "ingest"], { error: "must be one of: admin, viewer, ingest" });

const ApiKeyIn = z
  .strictObject({
    name: z
      .string({ error: typeError("a string") })
      .min(1, { error: "must not be empty" })
      .max(200, { error: "must be at most 200 characters" }),
    role: Role,
  })
  .openapi("ApiKeyIn");

const ApiKeyOut = z
  .object({
    id: z.int(),
    name: z.string(),
    role: Role,
    key_prefix: z.string().openapi({ description: "The first characters of the key, to recognise it" }),
    created_at: z.string(),
    last_used_at: z.string().nullable(),
  })
  .openapi("ApiKey");

const ApiKeyCreated = ApiKeyOut.extend({
  key: z.string().openapi({ description: "The key itself: shown only now, stored only as a digest" }),
}).openapi("ApiKeyCreated");

function apiKeyOut(k: ApiKey): z.infer<typeof ApiKeyOut> {
  return {
    ...k,
    created_at: new Date(k.created_at).toISOString(),
    last_used_at: k.last_used_at === null ? null : new Date(k.last_used_at).toISOString(),
  };
}

/** Audits a key's change with what identifies it (name, role, prefix); the key and its digest never. */
function keyAudit(action: "created" | "deleted", actor: Actor, before: ApiKey | null, after: ApiKey | null) {
  const shown = (k: ApiKey | null) => k && { name: k.name, role: k.role, key_prefix: k.key_prefix };
  const subject = (after ?? before) as ApiKey;
  return auditChange({
    resource: "api_key",
    action,
    id: subject.id,
    actor,
    site: null,
    before: shown(before),
    after: shown(after),
  });
}

export function apiKeyRoutes(s: Services) {
  const app = newRouter();
  const admin = requireRole(s.auth);
  const tags = ["API keys"];

  app.openapi(
    createRoute({
      method: "post",
      path: "/v1/api-keys",
      tags,
      summary: "Create an API key with a role",
      security,
      middleware: [admin] as const,
      request: { body: jsonBody(ApiKeyIn) },
      responses: {
        201: jsonResponse(ApiKeyCreated, "Created; keep the key, it is not shown again"),
        ...errorResponses,
      },
    }),
    async (c) => {
      const input = c.req.valid("json");
      const key = newApiKey();
      const actor = actorOf(c.get("apiKey"));
      const { value: stored } = await s.ingest.apply([null], async ({ trx }) => {
        const fields = {
          name: input.name,
          role: input.role,
          key_hash: hashApiKey(key),
          key_prefix: key.slice(0, 10),
        };
        const created = await insertApiKey(trx, fields, s.clock.now());
        return { value: created, events: [keyAudit("created", actor, null, created)] };
      });
      return c.json({ ...apiKeyOut(stored), key }, 201);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/v1/api-keys",
      tags,
      summary: "List API keys (never the keys themselves)",
      security,
      middleware: [admin] as const,
      responses: {
        200: jsonResponse(z.object({ api_keys: z.array(ApiKeyOut) }), "All keys"),
        ...errorResponses,
      },
    }),
    async (c) => c.json({ api_keys: (await listApiKeys(s.store.db)).map(apiKeyOut) }, 200),
  );

  app.openapi(
    createRoute({
      method: "delete",
      path: "/v1/api-keys/{id}",
      tags,
      summary: "Delete an API key; it stops working at once",
      security,
      middleware: [admin] as const,
      request: { params: z.object({ id: z.string().openapi({ param: { name: "id", in: "path" } }) }) },
      responses: { 204: { description: "Deleted" }, ...errorResponses, ...notFoundResponse },
    }),
    async (c) => {
      const raw = c.req.param("id");
      const id = Number(raw);
      if (!/^[1-9]\d{0,15}$/.test(raw)) throw errors.notFound("API key");
      const actor = actorOf(c.get("apiKey"));
      await s.ingest.apply([null], async ({ trx }) => {
        const before = (await listApiKeys(trx)).find((k) => k.id === id);
        if (!before || !(await deleteApiKey(trx, id))) throw errors.notFound("API key");
        return { value: undefined, events: [keyAudit("deleted", actor, before, null)] };
      });
      s.auth.forget();
      // Other nodes cache keys for a few seconds; tell them to forget now.
      s.cluster.announce("api_keys");
      return c.body(null, 204);
    },
  );

  return app;
}
