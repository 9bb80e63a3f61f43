// Standard Webhooks signatures: `v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">`.
import { createHmac } from "node:crypto";

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

/** The headers a Standard Webhooks receiver checks. */
export function standardHeaders(
  secret: string,
  msgId: string,
  timestampSec: number,
  body: string,
): Record<string, string> {
  return {
    "webhook-id": msgId,
    "webhook-timestamp": String(timestampSec),
    "webhook-signature": signStandard(secret, msgId, timestampSec, body),
  };
}
