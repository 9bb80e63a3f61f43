// How validation problems read: the field and the rule, e.g. `timeout: must be between 1000 and 30000`.
import type { z } from "@hono/zod-openapi";

/** `events[2].data: expected an object` — the field and the rule, from the first problem found. */
export function describeZodError(error: z.ZodError): string {
  const first = error.issues[0];
  if (!first) return "invalid request";
  const issue = fittingBranch(first);
  if (issue.code === "unrecognized_keys") {
    const where = formatPath(issue.path);
    return `${where ? `${where}: ` : ""}unknown field${issue.keys.length > 1 ? "s" : ""}: ${issue.keys.join(", ")}`;
  }
  const where = formatPath(issue.path);
  return where ? `${where}: ${issue.message}` : issue.message;
}

type Issue = z.ZodError["issues"][number];

/**
 * A union only says "Invalid input"; the branch whose shape fits the input (an object where an object was
 * expected, an array where an array was) knows which field is wrong, so its first problem is reported.
 */
function fittingBranch(issue: Issue): Issue {
  if (issue.code !== "invalid_union") return issue;
  const fits = issue.errors.find((b) => !b.some((i) => i.code === "invalid_type" && i.path.length === 0));
  const inner = fits?.[0];
  return inner ? fittingBranch({ ...inner, path: [...issue.path, ...inner.path] }) : issue;
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
