// Identifiers: every id Gatehouse mints comes from here.
import { createHash, randomBytes } from "node:crypto";
import { NIL as NIL_UUID, v5 as uuidv5, v7 as uuidv7 } from "uuid";

/** A time-ordered UUID (v7) for events: stable across retries, sortable by creation. */
export function newEventId(): string {
  return uuidv7();
}

/** A UUID v7 at `at` whose random bits come from `seed`: the same seed always gives the same id (samples). */
export function fixedEventId(at: number, seed: string): string {
  const random = createHash("sha256").update(seed).digest().subarray(0, 16);
  return uuidv7({ msecs: at, random });
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

/** Gatehouse's own UUID namespace: a fixed v4 chosen once, so derived GUIDs never change between releases. */
export const GATEHOUSE_GUID_NAMESPACE = "0851318f-c11b-47fc-8381-1df66030b5f0";

/** The all-zero GUID (.NET's Guid.Empty), for a GUID field whose resource does not exist. */
export const EMPTY_GUID = NIL_UUID;

/**
 * A stable GUID for a resource that Gatehouse numbers with integers, for formats that need one (Alocity,
 * Genea): UUID v5 of `<kind>:<id>` in Gatehouse's namespace, so the same door is the same GUID everywhere.
 */
export function resourceGuid(kind: string, id: number | string): string {
  return uuidv5(`${kind}:${id}`, GATEHOUSE_GUID_NAMESPACE);
}
