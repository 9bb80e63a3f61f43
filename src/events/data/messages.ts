// How problems in an event's `data` read: the rule in the API's own words ("must be ≥ 1"), not zod's.
import type { z } from "zod";

const TYPE_NAMES: Record<string, string> = {
  int: "an integer",
  number: "a number",
  string: "a string",
  boolean: "true or false",
  object: "an object",
  array: "an array",
  null: "null",
};

/** An error map for parsing `data`; anything it does not word falls back to zod's message. */
export const dataMessage: z.core.$ZodErrorMap = (issue) => {
  // A missing field fails its type or enum check; "is required" says which of the two the sender got wrong.
  if (issue.input === undefined && (issue.code === "invalid_type" || issue.code === "invalid_value")) {
    return "is required";
  }
  switch (issue.code) {
    case "invalid_type":
      return `must be ${TYPE_NAMES[issue.expected] ?? issue.expected}`;
    case "too_small":
      return bound(issue.origin, issue.inclusive ? "≥" : ">", issue.minimum, "at least");
    case "too_big":
      return bound(issue.origin, issue.inclusive ? "≤" : "<", issue.maximum, "at most");
    case "invalid_value":
      return issue.values.length === 1
        ? `must be ${JSON.stringify(issue.values[0])}`
        : `must be one of: ${issue.values.map(String).join(", ")}`;
    default:
      return undefined;
  }
};

function bound(origin: string, op: string, limit: number | bigint, words: string): string {
  if (origin === "string") return `must be ${words} ${limit} characters`;
  if (origin === "array") return `must hold ${words} ${limit} items`;
  return `must be ${op} ${limit}`;
}
