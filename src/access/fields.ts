// Field rules the access-control resources share, declared once so every resource words its errors alike.
import { z } from "@hono/zod-openapi";
import { typeError } from "../lib/validation.js";

export const resourceId = z
  .int({ error: typeError("an integer ≥ 1") })
  .min(1, { error: "must be an integer ≥ 1" })
  .max(Number.MAX_SAFE_INTEGER, { error: "must be an integer ≥ 1" });

export const idList = z
  .array(resourceId, { error: typeError("a list of ids") })
  .max(10_000, { error: "must list at most 10000 ids" })
  .transform((ids) => [...new Set(ids)]);

export const label = (max = 200) =>
  z
    .string({ error: typeError("a string") })
    .trim()
    .min(1, { error: `must be between 1 and ${max} characters` })
    .max(max, { error: `must be between 1 and ${max} characters` });

export const activity = z.enum(["active", "suspended"], { error: "must be one of: active, suspended" });

const OFFSET_ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * A validity bound: an ISO 8601 time with an explicit offset, so it never depends on the server's zone.
 * Stored as epoch milliseconds; null clears it.
 */
export const instant = z
  .string({ error: typeError("an ISO 8601 time with an offset, or null") })
  .refine((s) => OFFSET_ISO.test(s) && !Number.isNaN(Date.parse(s)), {
    error: 'must be an ISO 8601 time with an offset, e.g. "2026-03-01T08:00:00Z"',
  })
  .transform((s) => Date.parse(s))
  .nullable()
  .openapi({ type: ["string", "null"], example: "2026-03-01T08:00:00Z" });

/** Local wall-clock time "HH:MM"; "24:00" ends a day. */
export const localTime = z
  .string({ error: typeError('a time "HH:MM"') })
  .regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, { error: 'must be a time "HH:MM" between 00:00 and 24:00' });

/** Local calendar date "YYYY-MM-DD" that exists. */
export const localDate = z
  .string({ error: typeError('a date "YYYY-MM-DD"') })
  .refine((s) => /^\d{4}-\d{2}-\d{2}$/.test(s) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), {
    error: 'must be a date "YYYY-MM-DD"',
  });

export const seconds = (min: number, max: number) =>
  z
    .int({ error: typeError("an integer (seconds)") })
    .min(min, { error: `must be between ${min} and ${max}` })
    .max(max, { error: `must be between ${min} and ${max}` });

/** Output helpers: Unix seconds as webhooks show them, ISO text for validity bounds. */
export const unixSeconds = (ms: number): number => Math.floor(ms / 1000);
export const isoOrNull = (ms: number | null): string | null =>
  ms === null ? null : new Date(ms).toISOString();

export const stampsOut = {
  created_at: z.int().openapi({ description: "Unix timestamp (seconds)", example: 1540819272 }),
  updated_at: z.int().openapi({ description: "Unix timestamp (seconds)", example: 1540819272 }),
};
