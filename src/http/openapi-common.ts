// Shapes every route shares: the error body, the bearer security scheme, and the standard error responses.
import { z } from "@hono/zod-openapi";

export const ErrorBody = z
  .object({
    error: z.string().openapi({ example: "timeout: must be between 1000 and 30000" }),
    code: z.string().optional(),
  })
  .openapi("Error");

const json = (description: string) => ({
  description,
  content: { "application/json": { schema: ErrorBody } },
});

export const errorResponses = {
  400: json("Invalid request; the message names the field and the rule"),
  401: json("No or unknown API key: `Log In`"),
  403: json("The key's role may not do this, e.g. `Administrator rights required`"),
};

export const notFoundResponse = { 404: json("Not found") };
export const conflictResponse = { 409: json("Conflicts with the resource's current state") };

export const security = [{ bearerAuth: [] }];

export function jsonBody<T extends z.ZodType>(schema: T, description?: string) {
  return { required: true, description, content: { "application/json": { schema } } };
}

export function jsonResponse<T extends z.ZodType>(schema: T, description: string) {
  return { description, content: { "application/json": { schema } } };
}
