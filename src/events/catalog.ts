// The canonical event catalog: which event types exist, their groups, and how subscriptions match them.
import { AUDIT_ACTIONS, AUDIT_RESOURCES, EVENT_TYPE_ENTRIES } from "./catalog-data.js";

export { AUDIT_ACTIONS, AUDIT_RESOURCES };

export interface EventTypeInfo {
  type: string;
  group: string;
  description: string;
  aliases: {
    kisi?: string[];
    alocity?: string[];
    basip?: string[];
    genea?: string[];
  };
}

export type Vendor = keyof EventTypeInfo["aliases"];

/** Groups in the order the console lists them. */
export const EVENT_GROUPS = [
  "access",
  "door",
  "lock",
  "device",
  "call",
  "lift",
  "login",
  "credential",
  "alarm",
  "schedule",
  "audit",
  "webhook",
] as const;

export const CUSTOM_GROUP = "custom";

const MAX_TYPE_LENGTH = 100;
const CUSTOM_NAME = /^[a-z0-9_]+(\.[a-z0-9_]+)*$/;

/** The group of a type is the text before its first dot. */
export function eventTypeGroup(type: string): string {
  const dot = type.indexOf(".");
  return dot === -1 ? type : type.slice(0, dot);
}

export const EVENT_TYPES: readonly EventTypeInfo[] = EVENT_TYPE_ENTRIES.map((entry) => ({
  ...entry,
  group: eventTypeGroup(entry.type),
}));

export const EVENT_TYPES_BY_NAME: ReadonlyMap<string, EventTypeInfo> = new Map(
  EVENT_TYPES.map((info) => [info.type, info]),
);

const KNOWN_GROUPS: ReadonlySet<string> = new Set([...EVENT_GROUPS, CUSTOM_GROUP]);
const AUDIT_RESOURCE_SET: ReadonlySet<string> = new Set(AUDIT_RESOURCES);

export function eventTypeInfo(type: string): EventTypeInfo | undefined {
  return EVENT_TYPES_BY_NAME.get(type);
}

export function isCustomEventType(type: string): boolean {
  const prefix = `${CUSTOM_GROUP}.`;
  return (
    type.length <= MAX_TYPE_LENGTH && type.startsWith(prefix) && CUSTOM_NAME.test(type.slice(prefix.length))
  );
}

export function isKnownEventType(type: string): boolean {
  return EVENT_TYPES_BY_NAME.has(type) || isCustomEventType(type);
}

const VENDORS: readonly Vendor[] = ["kisi", "alocity", "basip", "genea"];

/** Every vendor event name, and whose it is. Canonical names and vendor names never clash (unit-tested). */
const VENDOR_OF_NAME: ReadonlyMap<string, Vendor> = new Map(
  EVENT_TYPES.flatMap((info) =>
    VENDORS.flatMap((vendor) => (info.aliases[vendor] ?? []).map((name) => [name, vendor] as const)),
  ),
);

/** The vendor whose event name this is, if it is one (`lock.unlock` is Kisi's, `log.tamper_event` BAS-IP's). */
export function vendorOfEventName(name: string): Vendor | undefined {
  return VENDOR_OF_NAME.get(name);
}

export function vendorEventNames(): string[] {
  return [...VENDOR_OF_NAME.keys()];
}

/** BAS-IP's names share one prefix, so `log.*` subscribes to every event BAS-IP has a name for. */
export const BASIP_WILDCARD = "log.*";

export function isValidSubscription(pattern: string): boolean {
  if (pattern === "*" || isKnownEventType(pattern)) return true;
  if (pattern === BASIP_WILDCARD || VENDOR_OF_NAME.has(pattern)) return true;
  if (!pattern.endsWith(".*")) return false;
  const parts = pattern.slice(0, -2).split(".");
  if (parts.length === 1) return KNOWN_GROUPS.has(parts[0] ?? "");
  return parts.length === 2 && parts[0] === "audit" && AUDIT_RESOURCE_SET.has(parts[1] ?? "");
}

/** Canonical patterns only: exact match; `*` matches everything; `x.*` every type starting with `x.`. */
export function matchesSubscription(pattern: string, type: string): boolean {
  if (pattern === "*") return true;
  if (pattern.endsWith(".*")) return type.startsWith(pattern.slice(0, -1));
  return pattern === type;
}

export function eventTypeGroups(): { group: string; types: EventTypeInfo[] }[] {
  return EVENT_GROUPS.map((group) => ({
    group,
    types: EVENT_TYPES.filter((info) => info.group === group),
  }));
}

/**
 * The types a search finds: every word (case-insensitive) must appear in the type's name, group,
 * description or one of its vendor names, so "unlock" finds access.granted through Kisi's lock.unlock.
 */
export function searchEventTypes(query: string): EventTypeInfo[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  return EVENT_TYPES.filter((info) => {
    const text = [info.type, info.group, info.description, ...Object.values(info.aliases).flat()]
      .join("\n")
      .toLowerCase();
    return words.every((word) => text.includes(word));
  });
}
