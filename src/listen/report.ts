// How `gatehouse listen` shows a request: a readable block for people, or one JSON line for scripts.
import type { ForwardResult } from "./forward.js";

/** What the listener made of one request. */
export interface HeardRequest {
  /** 1 for the first request since the listener started. */
  number: number;
  receivedAt: number;
  method: string;
  path: string;
  /** The headers worth showing (signature, content type, user agent), as received. */
  headers: Record<string, string>;
  body: Buffer;
  /** From a JSON body that carries them. */
  event: { type?: string; id?: string };
  /** null: the scheme is `none`, so there was nothing to check. */
  verified: boolean | null;
  /** Why it did not verify, or what was checked when it did. */
  reason: string;
  /** The status the listener answered. */
  status: number;
  forward?: ForwardResult;
}

/** The headers every scheme signs with, and what helps tell which sender it was. */
export const SHOWN_HEADERS = [
  "content-type",
  "user-agent",
  "webhook-id",
  "webhook-timestamp",
  "webhook-signature",
  "x-signature",
  "x-sequr-signature",
  "alocity-signature",
  "x-webhook-signature",
  "x-webhook-timestamp",
  "x-webhook-attempt",
] as const;

/** Bodies are shown up to this many characters; the JSON line carries them whole. */
export const SHOWN_BODY_CHARS = 4096;

const ID_FIELDS = ["id", "uuid", "event_id"];
const TYPE_FIELDS = ["type", "event_type", "event"];

/** The event type and id of a JSON body that has them (gatehouse `id`, Kisi `uuid`). */
export function eventOf(body: Buffer): HeardRequest["event"] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString("utf8"));
  } catch {
    return {};
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return {};
  const fields = parsed as Record<string, unknown>;
  const first = (names: string[]) => {
    const value = names.map((n) => fields[n]).find((v) => typeof v === "string" || typeof v === "number");
    return value === undefined ? undefined : String(value);
  };
  const event: HeardRequest["event"] = {};
  const type = first(TYPE_FIELDS);
  const id = first(ID_FIELDS);
  if (type !== undefined) event.type = type;
  if (id !== undefined) event.id = id;
  return event;
}

/** The body as text: indented JSON when it parses, cut after `limit` characters. */
export function bodyText(body: Buffer, limit = SHOWN_BODY_CHARS): string {
  const raw = body.toString("utf8");
  let text = raw;
  try {
    text = JSON.stringify(JSON.parse(raw), null, 2);
  } catch {
    // Not JSON: shown as it came.
  }
  if (text.length <= limit) return text;
  return `${text.slice(0, limit)}\n… ${text.length - limit} more characters`;
}

const paint = (code: number) => (text: string, color: boolean) =>
  color ? `\x1b[${code}m${text}\x1b[0m` : text;
const bold = paint(1);
const dim = paint(2);
const red = paint(31);
const green = paint(32);
const yellow = paint(33);

function verdictLine(heard: HeardRequest, color: boolean): string {
  if (heard.verified === null) return yellow(`– not verified: ${heard.reason}`, color);
  if (heard.verified) return green(`✔ verified (${heard.reason})`, color);
  return red(`✘ NOT verified: ${heard.reason}`, color);
}

function forwardLine({ url, status, error, durationMs }: ForwardResult, color: boolean): string {
  if (error !== undefined)
    return yellow(`↪ forward to ${url} failed after ${durationMs} ms: ${error}`, color);
  return `↪ forwarded to ${url}: ${status} in ${durationMs} ms`;
}

/** The readable block for one request. */
export function formatHeard(heard: HeardRequest, { color = false } = {}): string {
  const time = new Date(heard.receivedAt).toISOString();
  const lines = [
    bold(`#${heard.number}  ${time}  ${heard.method} ${heard.path}  (${heard.body.length} bytes)`, color),
  ];
  for (const [name, value] of Object.entries(heard.headers)) lines.push(dim(`${name}: ${value}`, color));
  if (heard.event.type !== undefined || heard.event.id !== undefined) {
    lines.push(`event: ${heard.event.type ?? "(no type)"}   id: ${heard.event.id ?? "(none)"}`);
  }
  if (heard.body.length > 0) lines.push(...bodyText(heard.body).split("\n"));
  lines.push(verdictLine(heard, color));
  if (heard.forward) lines.push(forwardLine(heard.forward, color));
  lines.push(dim(`← answered ${heard.status}`, color));
  const [title, ...rest] = lines;
  return `${title}\n${rest.map((line) => `   ${line}`).join("\n")}\n\n`;
}

/** One JSON line per request, for scripts. */
export function heardAsJson(heard: HeardRequest): string {
  return `${JSON.stringify({
    number: heard.number,
    received_at: new Date(heard.receivedAt).toISOString(),
    method: heard.method,
    path: heard.path,
    headers: heard.headers,
    event_type: heard.event.type ?? null,
    event_id: heard.event.id ?? null,
    verified: heard.verified,
    reason: heard.reason,
    status: heard.status,
    forward: heard.forward
      ? {
          url: heard.forward.url,
          status: heard.forward.status ?? null,
          error: heard.forward.error ?? null,
          duration_ms: heard.forward.durationMs,
        }
      : null,
    body: heard.body.toString("utf8"),
  })}\n`;
}
