// BAS-IP-style: `X-Webhook-Signature` is the lowercase hex HMAC-SHA256 of the raw body alone, keyed with the
// secret's UTF-8 bytes (seed 004: "secret key used to sign payload using HMAC, SHA256"). `X-Webhook-Timestamp`
// (epoch seconds) and `X-Webhook-Attempt` (1 for the first attempt) travel beside it and are not signed.
// The sender signs; verifyBasip is the receiver's side of the same formula.
import { createHmac } from "node:crypto";
import type { SignInput } from "./index.js";
import {
  anyMatches,
  checkTimestamp,
  failure,
  headerValue,
  hexSignature,
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

export function signBasip(secret: string, body: string): string {
  return createHmac("sha256", secret).update(body).digest("hex");
}

export function basipHeaders({ timestampSec, attempt, body, secrets }: SignInput): Record<string, string> {
  return {
    "x-webhook-signature": signBasip(secrets[0] ?? "", body),
    "x-webhook-timestamp": String(timestampSec),
    "x-webhook-attempt": String(attempt),
  };
}

const HEX_SHA256 = /^[0-9a-f]{64}$/;

/**
 * Checks `X-Webhook-Signature` against the raw body. `X-Webhook-Timestamp` is not signed, so anyone replaying
 * a request can change it; it is checked only when `toleranceSec` is given, as a guard against stale resends.
 */
export function verifyBasip(
  body: WebhookBody,
  headers: WebhookHeaders,
  secrets: WebhookSecrets,
  options: VerifyOptions = {},
): VerifyResult {
  const keys = secretList(secrets);
  if (isFailure(keys)) return keys;
  const read = hexSignature(headers, "X-Webhook-Signature", HEX_SHA256, "a hex HMAC-SHA256 (64 hex digits)");
  if (!("signature" in read)) return read;
  if (options.toleranceSec !== undefined) {
    const timestamp = headerValue(headers, "x-webhook-timestamp");
    if (timestamp === undefined) return missingHeader("X-Webhook-Timestamp");
    const timestampSec = parseEpochSeconds(timestamp);
    if (timestampSec === undefined) {
      return failure("malformed_header", "X-Webhook-Timestamp is not a time in epoch seconds");
    }
    const late = checkTimestamp("X-Webhook-Timestamp", timestampSec, options);
    if (late) return late;
  }
  const sign = (secret: string) => hmac("sha256", secret, body).toString("hex");
  return anyMatches(keys, sign, [read.signature]) ? VERIFIED : mismatch("X-Webhook-Signature", keys);
}
