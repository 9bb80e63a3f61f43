// Alocity: `Alocity-Signature: t:<epoch seconds>,sig:<base64 HMAC-SHA256 of "<t>.<body>">`.
// The sender signs; verifyAlocity is the receiver's side, with the timestamp held to a tolerance.
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

export function signAlocity(secret: string, timestampSec: number, body: string): string {
  const sig = createHmac("sha256", secret).update(`${timestampSec}.${body}`).digest("base64");
  return `t:${timestampSec},sig:${sig}`;
}

export function alocityHeaders({ timestampSec, body, secrets }: SignInput): Record<string, string> {
  return { "alocity-signature": signAlocity(secrets[0] ?? "", timestampSec, body) };
}

/** `t:<seconds>,sig:<base64>` as its parts, or undefined when the header has another shape. */
function parseAlocityHeader(value: string): { t: string; sigs: string[] } | undefined {
  let t: string | undefined;
  const sigs: string[] = [];
  for (const part of value.split(",")) {
    const colon = part.indexOf(":");
    if (colon === -1) return undefined;
    const key = part.slice(0, colon).trim();
    const text = part.slice(colon + 1).trim();
    if (key === "t" && t === undefined) t = text;
    else if (key === "sig" && text) sigs.push(text);
    else return undefined;
  }
  return t === undefined || sigs.length === 0 ? undefined : { t, sigs };
}

/** Checks `Alocity-Signature`: `t` within the tolerance of now, `sig` the base64 HMAC of "<t>.<body>". */
export function verifyAlocity(
  body: WebhookBody,
  headers: WebhookHeaders,
  secrets: WebhookSecrets,
  options: VerifyOptions = {},
): VerifyResult {
  const keys = secretList(secrets);
  if (isFailure(keys)) return keys;
  const header = headerValue(headers, "alocity-signature");
  if (header === undefined) return missingHeader("Alocity-Signature");
  const parts = parseAlocityHeader(header);
  const timestampSec = parts && parseEpochSeconds(parts.t);
  if (!parts || timestampSec === undefined) {
    return failure("malformed_header", 'Alocity-Signature is not "t:<epoch seconds>,sig:<base64>"');
  }
  const late = checkTimestamp("Alocity-Signature's t", timestampSec, options);
  if (late) return late;
  const sign = (secret: string) => hmac("sha256", secret, body, `${parts.t}.`).toString("base64");
  return anyMatches(keys, sign, parts.sigs)
    ? VERIFIED
    : mismatch("Alocity-Signature", keys, "t and the body");
}
