// Builds the exact HTTP request one attempt sends: body (the webhook's format), signature (its scheme) and headers.
import { VERSION } from "../lib/version.js";
import type { StoredEvent } from "../store/events.js";
import type { Webhook } from "../store/webhooks.js";
import { authorizationHeader, maskedAuthorizationHeader } from "../webhooks/authorization.js";
import { parseCustomHeaders } from "../webhooks/custom-headers.js";
import { renderBody } from "./formats/index.js";
import { signatureHeaders } from "./signing/index.js";

export interface OutgoingRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
  /** The body is the event's gatehouse v1 rendering, which the store can render again instead of keeping it. */
  bodyIsEnvelope: boolean;
  /** The headers as the attempt record keeps them: a static Authorization credential masked. */
  recordedHeaders: Record<string, string>;
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

/** The secrets that sign now: the current one, and a rotated-out one until its overlap window ends. */
export function signingSecrets(webhook: Webhook, now: number): string[] {
  const { secret, previous_secret, previous_secret_expires_at } = webhook;
  const overlapping = previous_secret !== null && (previous_secret_expires_at ?? 0) > now;
  return overlapping ? [secret, previous_secret] : [secret];
}

/** `attempt` is 1 for the first attempt of the delivery. */
export function buildRequest(
  webhook: Webhook,
  event: StoredEvent,
  now: number,
  attempt = 1,
): OutgoingRequest {
  const { body, contentType, isEnvelope } = renderBody(webhook, event);
  const signed = signatureHeaders(webhook.signature_scheme, {
    msgId: event.id,
    timestampSec: Math.floor(now / 1000),
    attempt,
    body,
    secrets: signingSecrets(webhook, now),
  });
  const headers: Record<string, string> = {
    ...customHeadersOf(webhook),
    "content-type": contentType,
    "user-agent": `Gatehouse/${VERSION}`,
    ...signed,
  };
  let recordedHeaders = headers;
  if (webhook.authorization) {
    headers.authorization = authorizationHeader(webhook.authorization);
    recordedHeaders = { ...headers, authorization: maskedAuthorizationHeader(webhook.authorization) };
  }
  return { url: webhook.url, headers, body, bodyIsEnvelope: isEnvelope, recordedHeaders };
}
