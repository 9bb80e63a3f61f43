// The five routes every access-control resource has (list, create, get, patch, delete), each change
// committed together with its audit event and any domain events.
import { createRoute, z } from "@hono/zod-openapi";
import { actorOf, auditChange } from "../../access/audit.js";
import type { ChangeAction, ResourceOut, ResourceSpec } from "../../access/resource.js";
import type { EventIn } from "../../events/ingest.js";
import type { ApiKey } from "../../store/api-keys.js";
import type { BatchContext } from "../../store/group-commit.js";

import { requireRole } from "../auth.js";
import { errors } from "../errors.js";
import {
  conflictResponse,
  errorResponses,
  jsonBody,
  jsonResponse,
  notFoundResponse,
  security,
} from "../openapi-common.js";
import { newRouter } from "../router.js";
import type { Services } from "../services.js";

export const IdParam = z.object({
  id: z
    .string()
    .regex(/^[1-9][0-9]{0,15}$/, { error: "must be an integer ≥ 1" })
    .openapi({ param: { name: "id", in: "path" }, example: "1" }),
});

const pageField = (max: number, fallback?: number) => {
  const rule = { error: `must be an integer between ${fallback === undefined ? 0 : 1} and ${max}` };
  const n = z.coerce
    .number(rule)
    .int(rule)
    .min(fallback === undefined ? 0 : 1, rule)
    .max(max, rule);
  return fallback === undefined ? n.default(0) : n.default(fallback);
};

const ListQuery = z.object({
  after: pageField(Number.MAX_SAFE_INTEGER).openapi({
    param: { name: "after", in: "query" },
    description: "Answer ids greater than this (the previous page's next_after)",
  }),
  limit: pageField(1000, 100).openapi({ param: { name: "limit", in: "query" } }),
  site_id: z.coerce
    .number({ error: "must be an integer ≥ 1" })
    .int({ error: "must be an integer ≥ 1" })
    .min(1, { error: "must be an integer ≥ 1" })
    .optional()
    .openapi({ param: { name: "site_id", in: "query" }, description: "Only this site's (sited resources)" }),
});

/**
 * Hono types each handler's answer against its route's response schema; here that schema is a type
 * parameter it cannot resolve, so generic answers are passed through unchecked. The zod schemas still
 * document them, and the resource tests check the bodies.
 */
const untyped = (response: Response): never => response as never;

export function resourceRoutes<In, Patch, Out extends ResourceOut>(
  s: Services,
  spec: ResourceSpec<In, Patch, Out>,
) {
  const app = newRouter();
  const admin = requireRole(s.auth);
  const viewer = requireRole(s.auth, "viewer");
  const tags = [spec.tag];
  const path = `/v1/${spec.plural}`;
  const one = `${path}/{id}`;
  const Page = z.object({ [spec.plural]: z.array(spec.Out), next_after: z.int().nullable() });

  const find = async (raw: string): Promise<Out> => {
    const found = await spec.get(s.store.db, Number(raw));
    if (!found) throw errors.notFound(`${spec.noun} ${raw}`);
    return found;
  };

  /** Runs one change with its audit and domain events in one transaction. */
  const change = (
    key: ApiKey,
    action: ChangeAction,
    site: number | null,
    write: (ctx: BatchContext) => Promise<{ before: Out | null; after: Out | null }>,
  ) =>
    s.ingest.apply([site], async (ctx) => {
      const { before, after } = await write(ctx);
      const subject = (after ?? before) as Out;
      const events: EventIn[] = [
        auditChange({
          resource: spec.auditResource(subject),
          action,
          id: subject.id,
          actor: actorOf(key),
          site,
          before,
          after,
          ...(spec.secretFields ? { secret: spec.secretFields } : {}),
        }),
        ...((await spec.domainEvents?.(ctx, action, before, after)) ?? []).map((e) => ({
          ...e,
          site_id: site,
        })),
      ];
      return { value: after, events };
    });

  app.openapi(
    createRoute({
      method: "get",
      path,
      tags,
      summary: `List ${spec.plural.replace("-", " ")}`,
      security,
      middleware: [viewer] as const,
      request: { query: ListQuery },
      responses: { 200: jsonResponse(Page, "One page, in id order"), ...errorResponses },
    }),
    async (c) => {
      const { after, limit, site_id } = c.req.valid("query");
      const items = await spec.list(s.store.db, { after, limit, ...(spec.sited ? { site_id } : {}) });
      const last = items.at(-1);
      return untyped(
        c.json({ [spec.plural]: items, next_after: items.length === limit && last ? last.id : null }, 200),
      );
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path,
      tags,
      summary: `Create a ${spec.noun}`,
      security,
      middleware: [admin] as const,
      request: { body: jsonBody(spec.In) },
      responses: { 201: jsonResponse(spec.Out, "Created"), ...errorResponses, ...conflictResponse },
    }),
    async (c) => {
      const input = c.req.valid("json") as In;
      const site = spec.sited ? ((input as { site_id?: number }).site_id ?? null) : null;
      const { value } = await change(c.get("apiKey"), "created", site, async (ctx) => ({
        before: null,
        after: await spec.create(ctx, input, s.clock.now()),
      }));
      return untyped(c.json(value, 201));
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: one,
      tags,
      summary: `Get a ${spec.noun}`,
      security,
      middleware: [viewer] as const,
      request: { params: IdParam },
      responses: { 200: jsonResponse(spec.Out, `The ${spec.noun}`), ...errorResponses, ...notFoundResponse },
    }),
    async (c) => untyped(c.json(await find(c.req.valid("param").id), 200)),
  );

  app.openapi(
    createRoute({
      method: "patch",
      path: one,
      tags,
      summary: `Change some of a ${spec.noun}'s fields`,
      security,
      middleware: [admin] as const,
      request: { params: IdParam, body: jsonBody(spec.Patch) },
      responses: {
        200: jsonResponse(spec.Out, "After the change"),
        ...errorResponses,
        ...notFoundResponse,
        ...conflictResponse,
      },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const patch = c.req.valid("json") as Patch;
      const seen = await find(id);
      const { value } = await change(c.get("apiKey"), "updated", seen.site_id ?? null, async (ctx) => {
        // Read again inside the transaction: the change applies to what is stored now.
        const before = await spec.get(ctx.trx, seen.id);
        if (!before) throw errors.notFound(`${spec.noun} ${id}`);
        return { before, after: await spec.update(ctx, before, patch, s.clock.now()) };
      });
      return untyped(c.json(value, 200));
    },
  );

  app.openapi(
    createRoute({
      method: "delete",
      path: one,
      tags,
      summary: `Delete a ${spec.noun}`,
      security,
      middleware: [admin] as const,
      request: { params: IdParam },
      responses: {
        204: { description: "Deleted" },
        ...errorResponses,
        ...notFoundResponse,
        ...conflictResponse,
      },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const seen = await find(id);
      await change(c.get("apiKey"), "deleted", seen.site_id ?? null, async (ctx) => {
        const before = await spec.get(ctx.trx, seen.id);
        if (!before) throw errors.notFound(`${spec.noun} ${id}`);
        await spec.remove(ctx, before);
        return { before, after: null };
      });
      return c.body(null, 204);
    },
  );

  return app;
}
