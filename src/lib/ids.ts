// Identifiers: every id Gatehouse mints comes from here.
import { createHash, randomBytes } from "node:crypto";
import { v7 as uuidv7 } from "uuid";

/** A time-ordered UUID (v7) for events: stable across retries, sortable by creation. */
export function newEventId(): string {
  return uuidv7();
}

/** A generated webhook signing secret in the Standard Webhooks form. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString("base64")}`;
}

/** A new API key: the prefix makes leaked keys easy to recognise in logs and scanners. */
export function newApiKey(): string {
  return `gh_${randomBytes(24).toString("base64url")}`;
}

/** API keys are stored only as this digest; a high-entropy key needs no slow hash. */
export function hashApiKey(key: string): string {
  return createHash("sha256").update(key).digest("hex");
}

/** A short random name for this process, used as the owner of delivery leases. */
export function newNodeId(): string {
  return `node-${randomBytes(4).toString("hex")}`;
}
