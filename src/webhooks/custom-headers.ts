// Rules for a webhook's custom headers: RFC 7230 names and values, and no overriding what Gatehouse sets itself.

/** RFC 7230 `token`: the characters a header name may use. */
const NAME = /^[A-Za-z0-9!#$%&'*+\-.^_`|~]+$/;
/** Visible ASCII plus space and tab: no control characters, no extended ASCII. */
const VALUE = /^[\t\x20-\x7E]*$/;

/** Headers a webhook may not set (from the BAS-IP entity), plus the ones signatures use. */
export const RESERVED_HEADERS: ReadonlySet<string> = new Set([
  "host",
  "connection",
  "keep-alive",
  "transfer-encoding",
  "upgrade",
  "via",
  "te",
  "trailer",
  "content-length",
  "content-type",
  "authorization",
  "origin",
  "permissions-policy",
  "user-agent",
  "accept",
  "accept-encoding",
  "accept-language",
  "x-forwarded-for",
  "x-forwarded-host",
  "x-forwarded-proto",
  "x-real-ip",
  "forwarded",
  "date",
  "expires",
  "last-modified",
  "cache-control",
  "etag",
  "if-match",
  "if-none-match",
  "access-control-allow-origin",
  "access-control-allow-methods",
  "access-control-allow-headers",
  "access-control-expose-headers",
  "webhook-id",
  "webhook-timestamp",
  "webhook-signature",
]);

export const MAX_CUSTOM_HEADERS = 50;

/** Parses the `headers` JSON string; answers the headers, or what is wrong with them. */
export function parseCustomHeaders(
  raw: string,
): { ok: true; headers: Record<string, string> } | { ok: false; error: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return {
      ok: false,
      error: 'must be a JSON object encoded as a string, e.g. "{\\"X-Api-Key\\": \\"…\\"}"',
    };
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    return { ok: false, error: "must be a JSON object of header names to string values" };
  }
  const entries = Object.entries(parsed);
  if (entries.length > MAX_CUSTOM_HEADERS)
    return { ok: false, error: `at most ${MAX_CUSTOM_HEADERS} headers` };
  const seen = new Set<string>();
  const pairs: Array<[string, string]> = [];
  for (const [name, value] of entries) {
    if (!NAME.test(name)) return { ok: false, error: `header name "${name}" is not an RFC 7230 token` };
    const lower = name.toLowerCase();
    if (RESERVED_HEADERS.has(lower))
      return { ok: false, error: `header "${name}" is a system header and cannot be set` };
    if (seen.has(lower)) return { ok: false, error: `header "${name}" is given twice` };
    seen.add(lower);
    if (typeof value !== "string") return { ok: false, error: `header "${name}" must have a string value` };
    if (value.length > 8192)
      return { ok: false, error: `header "${name}" value is longer than 8192 characters` };
    if (!VALUE.test(value)) {
      return { ok: false, error: `header "${name}" value may hold only visible ASCII, space and tab` };
    }
    pairs.push([name, value]);
  }
  // fromEntries defines own properties, so even a header named __proto__ is kept as a header.
  return { ok: true, headers: Object.fromEntries(pairs) };
}
