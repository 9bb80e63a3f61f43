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

export function buildRequest(webhook: Webhook, event: StoredEvent, now: number): OutgoingRequest {
  const body = renderGatehouseV1(event);
  const custom = parseCustomHeaders(webhook.headers);
  const headers: Record<string, string> = {
    ...(custom.ok ? custom.headers : {}),
    "content-type": "application/json",
    "user-agent": `Gatehouse/${VERSION}`,
    ...standardHeaders(webhook.secret, event.id, Math.floor(now / 1000), body),
  };
  return { url: webhook.url, headers, body };
}
