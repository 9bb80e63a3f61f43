// Standard Webhooks signatures: `v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">`.
import { createHmac } from "node:crypto";
import type { SignInput } from "./index.js";

/** A `whsec_` secret's key is the base64 after the prefix; any other secret's key is its UTF-8 bytes. */
export function standardSigningKey(secret: string): Buffer {
  return secret.startsWith("whsec_") ? Buffer.from(secret.slice(6), "base64") : Buffer.from(secret, "utf8");
}

export function signStandard(secret: string, msgId: string, timestampSec: number, body: string): string {
  const mac = createHmac("sha256", standardSigningKey(secret))
    .update(`${msgId}.${timestampSec}.${body}`)
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
