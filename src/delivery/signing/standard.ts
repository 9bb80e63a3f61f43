// Standard Webhooks signatures: `v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">`.
// The sender signs; verifyStandard is the receiver's side, checking what standardwebhooks libraries check.
import { createHmac } from "node:crypto";
import type { SignInput } from "./index.js";
import {
  anyMatches,
  checkTimestamp,
  failure,
  headerValue,
  hmac,
  isFailure,
  mismatch,
  missingHeader,
  parseEpochSeconds,
  secretList,
  VERIFIED,
  type VerifyOptions,
  type VerifyResult,
  type WebhookBody,
  type WebhookHeaders,
  type WebhookSecrets,
} from "./verification.js";

/** A `whsec_` secret's key is the base64 after the prefix; any other secret's key is its UTF-8 bytes. */
export function standardSigningKey(secret: string): Buffer {
  return secret.startsWith("whsec_") ? Buffer.from(secret.slice(6), "base64") : Buffer.from(secret, "utf8");
}

export function signStandard(secret: string, msgId: string, timestampSec: number, body: string): string {
  // Fed in two parts: joining them would copy the whole body into a new string for every delivery.
  const mac = createHmac("sha256", standardSigningKey(secret))
    .update(`${msgId}.${timestampSec}.`)
    .update(body)
    .digest("base64");
  return `v1,${mac}`;
}

/**
 * The headers a Standard Webhooks receiver checks. During a secret's overlap window the signature header
 * carries one signature per secret, space-separated, so receivers holding either secret verify.
 */
export function standardHeaders({ msgId, timestampSec, body, secrets }: SignInput): Record<string, string> {
  return {
    "webhook-id": msgId,
    "webhook-timestamp": String(timestampSec),
    "webhook-signature": secrets.map((s) => signStandard(s, msgId, timestampSec, body)).join(" "),
  };
}

/**
 * Checks a Standard Webhooks request: the three headers are present, `webhook-timestamp` is within the
 * tolerance of now, and one of the space-separated `v1,` signatures is the body's under one of the secrets.
 */
export function verifyStandard(
  body: WebhookBody,
  headers: WebhookHeaders,
  secrets: WebhookSecrets,
  options: VerifyOptions = {},
): VerifyResult {
  const keys = secretList(secrets);
  if (isFailure(keys)) return keys;
  const msgId = headerValue(headers, "webhook-id");
  if (msgId === undefined) return missingHeader("webhook-id");
  const timestamp = headerValue(headers, "webhook-timestamp");
  if (timestamp === undefined) return missingHeader("webhook-timestamp");
  const signature = headerValue(headers, "webhook-signature");
  if (signature === undefined) return missingHeader("webhook-signature");
  const timestampSec = parseEpochSeconds(timestamp);
  if (timestampSec === undefined) {
    return failure("malformed_header", "webhook-timestamp is not a time in epoch seconds");
  }
  const late = checkTimestamp("webhook-timestamp", timestampSec, options);
  if (late) return late;
  const received = signature
    .split(" ")
    .filter((s) => s.startsWith("v1,"))
    .map((s) => s.slice(3));
  if (received.length === 0) {
    return failure("malformed_header", 'webhook-signature holds no "v1,<base64>" signature');
  }
  // The signed text uses the headers as sent, so nothing is lost by re-printing the number.
  const prefix = `${msgId}.${timestamp}.`;
  const sign = (secret: string) =>
    hmac("sha256", standardSigningKey(secret), body, prefix).toString("base64");
  return anyMatches(keys, sign, received)
    ? VERIFIED
    : mismatch("webhook-signature", keys, "the id, timestamp and body");
}
