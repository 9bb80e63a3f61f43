// Kisi: `X-Signature` is the lowercase hex HMAC-SHA256 of the raw JSON body, keyed with the secret's UTF-8 bytes.
import { createHmac } from "node:crypto";
import type { SignInput } from "./index.js";

export function signKisi(secret: string, body: string): string {
  return createHmac("sha256", secret).update(body).digest("hex");
}

/** One header holds one signature, so only the current secret signs. */
export function kisiHeaders({ body, secrets }: SignInput): Record<string, string> {
  return { "x-signature": signKisi(secrets[0] ?? "", body) };
}
