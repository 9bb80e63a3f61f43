// How a presented credential may appear in an event: a hint for a human, never the secret itself.

import type { CredentialKind } from "./model.js";

/**
 * The credential as events show it: a fixed "****" (so the length is not told) and the last 4
 * characters of card numbers, QR tokens, mobile and face references; null for a PIN, which never
 * appears at all. A value of 4 characters or fewer is hidden entirely, since its last 4 are all of it.
 */
export function maskCredential(kind: CredentialKind, value: string): string | null {
  if (kind === "pin") return null;
  return value.length > 4 ? `****${value.slice(-4)}` : "****";
}
