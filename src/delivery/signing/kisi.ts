// Kisi: `X-Signature` is the lowercase hex HMAC-SHA256 of the raw JSON body, keyed with the secret's UTF-8 bytes.
// The sender signs; verifyKisi is the receiver's side of the same formula.
import { createHmac } from "node:crypto";
import type { SignInput } from "./index.js";
import {
  anyMatches,
  hexSignature,
  hmac,
  isFailure,
  mismatch,
  secretList,
  VERIFIED,
  type VerifyResult,
  type WebhookBody,
  type WebhookHeaders,
  type WebhookSecrets,
} from "./verification.js";

export function signKisi(secret: string, body: string): string {
  return createHmac("sha256", secret).update(body).digest("hex");
}

/** One header holds one signature, so only the current secret signs. */
export function kisiHeaders({ body, secrets }: SignInput): Record<string, string> {
  return { "x-signature": signKisi(secrets[0] ?? "", body) };
}

const HEX_SHA256 = /^[0-9a-f]{64}$/;

/**
 * Checks `X-Signature` against the raw body. Kisi signs no timestamp, so a replayed request verifies
 * again: de-duplicate on the event's id.
 */
export function verifyKisi(
  body: WebhookBody,
  headers: WebhookHeaders,
  secrets: WebhookSecrets,
): VerifyResult {
  const keys = secretList(secrets);
  if (isFailure(keys)) return keys;
  const read = hexSignature(headers, "X-Signature", HEX_SHA256, "a hex HMAC-SHA256 (64 hex digits)");
  if (!("signature" in read)) return read;
  const sign = (secret: string) => hmac("sha256", secret, body).toString("hex");
  return anyMatches(keys, sign, [read.signature]) ? VERIFIED : mismatch("X-Signature", keys);
}
