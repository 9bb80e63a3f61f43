// The API's closed set of errors and how they, and validation failures, become `{"error": "..."}` bodies.
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";

export type ErrorCode =
  | "unauthenticated"
  | "forbidden"
  | "invalid_json"
  | "invalid_request"
  | "wrong_uid"
  | "not_found"
  | "conflict"
  | "payload_too_large"
  | "unavailable"
  | "internal";

export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    message: string,
    readonly code: ErrorCode,
  ) {
    super(message);
  }
}

export const errors = {
  logIn: () => new ApiError(401, "Log In", "unauthenticated"),
  forbidden: (message: string) => new ApiError(403, message, "forbidden"),
  wrongJson: () => new ApiError(400, "Wrong JSON body", "invalid_json"),
  wrongWebhookUid: () => new ApiError(400, "Wrong webhook uid", "wrong_uid"),
  invalid: (message: string) => new ApiError(400, message, "invalid_request"),
  notFound: (what: string) => new ApiError(404, `${what} not found`, "not_found"),
  conflict: (message: string) => new ApiError(409, message, "conflict"),
};

export function errorResponse(c: Context, error: ApiError): Response {
  return c.json({ error: error.message, code: error.code }, error.status);
}
