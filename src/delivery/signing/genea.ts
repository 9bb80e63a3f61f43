// Genea: `X-Sequr-Signature: sha1=<lowercase hex HMAC-SHA1 of the raw body>`, keyed with the secret's UTF-8 bytes.
// The sender signs; verifyGenea is the receiver's side of the same formula.
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

export function signGenea(secret: string, body: string): string {
  return `sha1=${createHmac("sha1", secret).update(body).digest("hex")}`;
}

export function geneaHeaders({ body, secrets }: SignInput): Record<string, string> {
  return { "x-sequr-signature": signGenea(secrets[0] ?? "", body) };
}

const SHA1_SIGNATURE = /^sha1=[0-9a-f]{40}$/;

/** Checks `X-Sequr-Signature` against the raw body. No timestamp is signed: de-duplicate on the event id. */
export function verifyGenea(
  body: WebhookBody,
  headers: WebhookHeaders,
  secrets: WebhookSecrets,
): VerifyResult {
  const keys = secretList(secrets);
  if (isFailure(keys)) return keys;
  const read = hexSignature(headers, "X-Sequr-Signature", SHA1_SIGNATURE, '"sha1=" and 40 hex digits');
  if (!("signature" in read)) return read;
  const sign = (secret: string) => `sha1=${hmac("sha1", secret, body).toString("hex")}`;
  return anyMatches(keys, sign, [read.signature]) ? VERIFIED : mismatch("X-Sequr-Signature", keys);
}
