// BAS-IP-style: `X-Webhook-Signature` is the lowercase hex HMAC-SHA256 of the raw body alone, keyed with the
// secret's UTF-8 bytes (seed 004: "secret key used to sign payload using HMAC, SHA256"). `X-Webhook-Timestamp`
// (epoch seconds) and `X-Webhook-Attempt` (1 for the first attempt) travel beside it and are not signed.
import { createHmac } from "node:crypto";
import type { SignInput } from "./index.js";

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
