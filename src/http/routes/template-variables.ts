// GET /v1/template-variables: what a `template` body can print, so a template can be written without the docs.
import { createRoute, z } from "@hono/zod-openapi";
import { TEMPLATE_LIMITS } from "../../delivery/formats/template.js";
import { TEMPLATE_VARIABLES } from "../../delivery/formats/template-variables.js";
import { requireRole } from "../auth.js";
import { errorResponses, jsonResponse, security } from "../openapi-common.js";
import { newRouter } from "../router.js";
import type { Services } from "../services.js";

const TemplateVariables = z
  .object({
    variables: z.array(
      z.object({
        name: z.string().openapi({ example: "user.name" }),
        description: z.string(),
      }),
    ),
    limits: z.object({
      template_bytes: z.int().openapi({ description: "The largest template, in UTF-8 bytes" }),
      body_bytes: z.int().openapi({ description: "The largest body a template may render" }),
    }),
  })
  .openapi("TemplateVariables");

export function templateVariableRoutes(s: Services) {
  const app = newRouter();
  app.openapi(
    createRoute({
      method: "get",
      path: "/v1/template-variables",
      tags: ["Webhooks"],
      summary: "The system variables a template body can use (any path under `data.` too)",
      security,
      middleware: [requireRole(s.auth, "viewer")] as const,
      responses: { 200: jsonResponse(TemplateVariables, "The variables"), ...errorResponses },
    }),
    (c) =>
      c.json(
        {
          variables: TEMPLATE_VARIABLES.map(({ name, description }) => ({ name, description })),
          limits: { template_bytes: TEMPLATE_LIMITS.templateBytes, body_bytes: TEMPLATE_LIMITS.bodyBytes },
        },
        200,
      ),
  );
  return app;
}
