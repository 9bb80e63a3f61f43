// Genea: `X-Sequr-Signature: sha1=<lowercase hex HMAC-SHA1 of the raw body>`, keyed with the secret's UTF-8 bytes.
import { createHmac } from "node:crypto";
import type { SignInput } from "./index.js";

export function signGenea(secret: string, body: string): string {
  return `sha1=${createHmac("sha1", secret).update(body).digest("hex")}`;
}

export function geneaHeaders({ body, secrets }: SignInput): Record<string, string> {
  return { "x-sequr-signature": signGenea(secrets[0] ?? "", body) };
}
