// Alocity: `Alocity-Signature: t:<epoch seconds>,sig:<base64 HMAC-SHA256 of "<t>.<body>">`.
import { createHmac } from "node:crypto";
import type { SignInput } from "./index.js";

export function signAlocity(secret: string, timestampSec: number, body: string): string {
  const sig = createHmac("sha256", secret).update(`${timestampSec}.${body}`).digest("base64");
  return `t:${timestampSec},sig:${sig}`;
}

export function alocityHeaders({ timestampSec, body, secrets }: SignInput): Record<string, string> {
  return { "alocity-signature": signAlocity(secrets[0] ?? "", timestampSec, body) };
}
