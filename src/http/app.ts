// The HTTP application: routes, auth, error mapping, health, metrics and the OpenAPI document.
import type { OpenAPIHono } from "@hono/zod-openapi";
import { HTTPException } from "hono/http-exception";
import { VERSION } from "../lib/version.js";
import { isConnectionError } from "../store/health.js";
import type { AuthEnv } from "./auth.js";
import { nodeBody } from "./body.js";
import { ApiError, errorResponse, errors } from "./errors.js";
import { newRouter } from "./router.js";
import { accessResourceRoutes } from "./routes/access-resources.js";
import { apiKeyRoutes } from "./routes/api-keys.js";
import { deliveryRoutes } from "./routes/deliveries.js";
import { deviceReportRoutes } from "./routes/device-reports.js";
import { doorOperationRoutes } from "./routes/door-operations.js";
import { eventTypeRoutes } from "./routes/event-types.js";
import { eventRoutes } from "./routes/events.js";
import { templateVariableRoutes } from "./routes/template-variables.js";
import { webhookPreviewRoutes } from "./routes/webhook-preview.js";
import { webhookSecretRoutes } from "./routes/webhook-secrets.js";
import { webhookRoutes } from "./routes/webhooks.js";
import type { Services } from "./services.js";

export const OPENAPI_INFO = {
  openapi: "3.1.0",
  info: {
    title: "Gatehouse API",
    version: VERSION,
    description:
      "Durable, signed webhooks for physical access control events. Every request needs `Authorization: Bearer <api key>`.",
  },
};

function storeUnavailable(cause: string | null): ApiError {
  return new ApiError(
    503,
    `database unavailable (${cause ?? "unreachable"}); nothing was stored, try again shortly`,
    "unavailable",
  );
}

export function createApp(s: Services): OpenAPIHono<AuthEnv> {
  const app = newRouter();

  app.use("/v1/*", nodeBody(16 * 1024 * 1024));

  app.get("/healthz", (c) => {
    if (s.ready()) return c.json({ status: "ok", version: VERSION, store: s.store.adapter.name }, 200);
    const error = s.health.ok ? "starting or stopping" : `database unreachable: ${s.health.error}`;
    return c.json({ status: "unavailable", error }, 503);
  });

  // While the database is unreachable nothing can be committed, so nothing is accepted: a clear 503, not a hang.
  app.use("/v1/*", async (_c, next) => {
    if (!s.health.ok) throw storeUnavailable(s.health.error);
    await next();
  });

  app.get("/metrics", async (c) => {
    c.header("content-type", s.metrics.registry.contentType);
    return c.body(await s.metrics.registry.metrics(), 200);
  });

  const routeGroups = [
    webhookPreviewRoutes(s),
    templateVariableRoutes(s),
    webhookRoutes(s),
    webhookSecretRoutes(s),
    deliveryRoutes(s),
    eventRoutes(s),
    eventTypeRoutes(s),
    apiKeyRoutes(s),
    ...accessResourceRoutes(s),
    doorOperationRoutes(s),
    deviceReportRoutes(s),
  ];
  for (const group of routeGroups) app.route("/", group);

  app.openAPIRegistry.registerComponent("securitySchemes", "bearerAuth", {
    type: "http",
    scheme: "bearer",
    description: "An API key with the role the operation needs (admin, viewer or ingest)",
  });
  app.doc31("/openapi.json", OPENAPI_INFO);

  app.notFound((c) =>
    c.json({ error: `no route for ${c.req.method} ${c.req.path}`, code: "not_found" }, 404),
  );

  app.onError((error, c) => {
    if (error instanceof ApiError) return errorResponse(c, error);
    if (isConnectionError(error)) {
      s.health.reportFailure(error);
      return errorResponse(c, storeUnavailable(error instanceof Error ? error.message : String(error)));
    }
    if (error instanceof HTTPException) {
      if (error.status === 400 && /JSON/i.test(error.message)) return errorResponse(c, errors.wrongJson());
      return c.json({ error: error.message }, error.status);
    }
    s.logger.error({ err: error, path: c.req.path }, "request failed");
    return c.json({ error: "internal error; see the server log", code: "internal" }, 500);
  });

  return app;
}
