// A router for one resource, with the validation hook every route shares.
import { OpenAPIHono } from "@hono/zod-openapi";
import { describeZodError } from "../lib/validation.js";
import type { AuthEnv } from "./auth.js";
import { errorResponse, errors } from "./errors.js";

export function newRouter(): OpenAPIHono<AuthEnv> {
  return new OpenAPIHono<AuthEnv>({
    defaultHook: (result, c) => {
      if (result.success) return;
      // A webhook uid that is not an integer ≥ 1 answers exactly as the BAS-IP entity does.
      if (result.target === "param" && result.error.issues.some((i) => i.path[0] === "uid")) {
        return errorResponse(c, errors.wrongWebhookUid());
      }
      return errorResponse(c, errors.invalid(describeZodError(result.error)));
    },
  });
}
