// How validation problems read: the field and the rule, e.g. `timeout: must be between 1000 and 30000`.
import type { z } from "@hono/zod-openapi";

/** `events[2].data: expected an object` — the field and the rule, from the first problem found. */
export function describeZodError(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return "invalid request";
  if (issue.code === "unrecognized_keys") {
    const where = formatPath(issue.path);
    return `${where ? `${where}: ` : ""}unknown field${issue.keys.length > 1 ? "s" : ""}: ${issue.keys.join(", ")}`;
  }
  const where = formatPath(issue.path);
  return where ? `${where}: ${issue.message}` : issue.message;
}

function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out;
}

/** The error text for a value of the wrong type, or a missing one. */
export function typeError(expected: string): (issue: { input?: unknown }) => string {
  return (issue) => (issue.input === undefined ? "is required" : `must be ${expected}`);
}
