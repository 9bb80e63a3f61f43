// Builds the exact HTTP request one attempt sends: body, signature and headers.
import { VERSION } from "../lib/version.js";
import type { StoredEvent } from "../store/events.js";
import type { Webhook } from "../store/webhooks.js";
import { parseCustomHeaders } from "../webhooks/custom-headers.js";
import { renderGatehouseV1 } from "./formats/gatehouse.js";
import { standardHeaders } from "./signing/standard.js";

export interface OutgoingRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/**
 * A webhook's custom headers, parsed once per webhook object: the webhook cache replaces the object when
 * the webhook changes, so a changed `headers` string is always parsed afresh.
 */
const customHeaders = new WeakMap<Webhook, Record<string, string>>();

function customHeadersOf(webhook: Webhook): Record<string, string> {
  let headers = customHeaders.get(webhook);
  if (!headers) {
    const parsed = parseCustomHeaders(webhook.headers);
    headers = parsed.ok ? parsed.headers : {};
    customHeaders.set(webhook, headers);
  }
  return headers;
}

export function buildRequest(webhook: Webhook, event: StoredEvent, now: number): OutgoingRequest {
  const body = renderGatehouseV1(event);
  const headers: Record<string, string> = {
    ...customHeadersOf(webhook),
    "content-type": "application/json",
    "user-agent": `Gatehouse/${VERSION}`,
    ...standardHeaders(webhook.secret, event.id, Math.floor(now / 1000), body),
  };
  return { url: webhook.url, headers, body };
}
