// Audit events: every change through the API as `audit.<resource>.<action>`, with who made it and what changed.
import type { WEBHOOK_SECRET_ACTIONS } from "../events/catalog-data.js";
import type { EventIn } from "../events/ingest.js";
import type { ApiKey } from "../store/api-keys.js";
import type { AuditResource, ChangeAction } from "./resource.js";

export interface Actor {
  type: "api_key";
  id: number | null;
  name: string;
}

export const actorOf = (key: ApiKey): Actor => ({ type: "api_key", id: key.id, name: key.name });

type Fields = Record<string, unknown>;
export type Changes = Record<string, { before?: unknown; after?: unknown }>;

/** Bookkeeping fields a change always touches; they say nothing about what changed. */
const UNTRACKED = new Set(["id", "created_at", "updated_at"]);
const MASK = "****";

/** The fields that differ between before and after (all of them on create and delete), secrets masked. */
export function changedFields(
  before: Fields | null,
  after: Fields | null,
  secret: readonly string[] = [],
): Changes {
  const names = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  const changes: Changes = {};
  for (const name of names) {
    if (UNTRACKED.has(name)) continue;
    const was = before?.[name];
    const is = after?.[name];
    if (before && after && JSON.stringify(was) === JSON.stringify(is)) continue;
    const show = (v: unknown) => (secret.includes(name) && v !== undefined && v !== null ? MASK : v);
    changes[name] = {
      ...(before ? { before: show(was) } : {}),
      ...(after ? { after: show(is) } : {}),
    };
  }
  return changes;
}

/** What an audit event can say happened: a change, or something done to a webhook's secret. */
export type AuditAction = ChangeAction | (typeof WEBHOOK_SECRET_ACTIONS)[number];

export function auditEvent(input: {
  resource: AuditResource;
  action: AuditAction;
  id: number | string;
  actor: Actor;
  site: number | null;
  changes: Changes;
}): EventIn {
  return {
    type: `audit.${input.resource}.${input.action}`,
    site_id: input.site,
    data: {
      actor: input.actor,
      resource: { type: input.resource, id: input.id },
      changes: input.changes,
    },
  };
}

/** The audit event for one change of a resource: the fields that differ between before and after. */
export function auditChange(input: {
  resource: AuditResource;
  action: ChangeAction;
  id: number | string;
  actor: Actor;
  site: number | null;
  before: object | null;
  after: object | null;
  secret?: readonly string[];
}): EventIn {
  const { before, after, secret, ...rest } = input;
  return auditEvent({
    ...rest,
    changes: changedFields(before as Fields | null, after as Fields | null, secret),
  });
}
