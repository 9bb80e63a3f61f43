// The name an event goes by in each vendor's vocabulary. One canonical type can split into several vendor
// names by its data (BAS-IP's log.access_denied_by_*), and several types can share one (Kisi's lock.unlock).
import type { DenyReason } from "../core/rules.js";
import { EVENT_TYPES, eventTypeInfo, type Vendor, vendorOfEventName } from "./catalog.js";
import type { AccessGrantedData } from "./data/access.js";
import type { CredentialKind } from "./data/refs.js";
import type { AuditResource } from "./data/system.js";

export const VENDORS: readonly Vendor[] = ["kisi", "alocity", "basip", "genea"];

type Data = Record<string, unknown>;
/** Picks one of a type's vendor names from its data; undefined when the vendor has no name for this case. */
type Namer = (data: Data) => string | undefined;

const field = (value: unknown, key: string): unknown =>
  value !== null && typeof value === "object" ? (value as Data)[key] : undefined;

/** A table's entry for a key from event data, which may be anything (never an inherited `toString`). */
const own = (table: Record<string, string>, key: unknown): string | undefined =>
  typeof key === "string" && Object.hasOwn(table, key) ? table[key] : undefined;

const BASIP_GRANTED: Record<AccessGrantedData["method"], string> = {
  credential: "log.access_granted_by_valid_identifier",
  face: "log.access_granted_by_valid_identifier",
  pin: "log.access_granted_by_valid_identifier",
  qr: "log.access_granted_by_valid_identifier",
  mobile: "log.access_granted_by_valid_identifier",
  remote_api: "log.access_granted_by_api_call",
  remote_server: "log.access_granted_by_remote_server_api_call",
  master_code: "log.access_granted_by_master_code",
  call_host: "log.access_granted_by_call_host",
  shared_credential: "log.access_granted_by_shared_identifier",
  multi_credential: "log.multi_access_granted",
  exit_button: "log.lock_was_opened_by_exit_btn",
  free_access_button: "log.lock_was_opened_by_free_access_button",
};

// A known identifier refused by the rules (group, schedule, holiday, lockdown, anti-passback) is "not valid"
// here and now, in BAS-IP's words: it has no name for those reasons of its own.
const BASIP_DENIED: Record<DenyReason, string> = {
  unknown_credential: "log.access_denied_unknown_identifier",
  unknown_qr: "log.access_denied_by_unknown_qr",
  invalid_credential: "log.access_denied_by_not_valid_identifier",
  invalid_face: "log.access_denied_by_not_valid_face_identifier",
  invalid_pin: "log.access_denied_by_not_valid_input_code",
  not_linked_to_user: "log.identifiers_without_linkage_to_user_access_denied",
  not_in_group: "log.access_denied_by_not_valid_identifier",
  outside_schedule: "log.access_denied_by_not_valid_identifier",
  holiday: "log.access_denied_by_not_valid_identifier",
  lockdown: "log.access_denied_by_not_valid_identifier",
  anti_passback: "log.access_denied_by_not_valid_identifier",
  remote_server_denied: "log.access_denied_by_remote_server_api_call",
  multi_credential_incomplete: "log.multi_access_denied",
  shared_credential_invalid: "log.access_denied_by_not_valid_shared_identifier",
};

/** An unknown credential is named by its kind; a mobile key (or none) is BAS-IP's generic unknown identifier. */
const BASIP_UNKNOWN_KIND: Partial<Record<CredentialKind, string>> = {
  card: "log.access_denied_by_unknown_card",
  qr: "log.access_denied_by_unknown_qr",
  pin: "log.access_denied_by_not_valid_input_code",
  face: "log.access_denied_by_not_valid_face_identifier",
};

// Data that does not say which (an old row, a method added later) gets BAS-IP's general name, never none:
// the type is one BAS-IP names, so `log.*` subscribers still get it.
const basipGranted: Namer = (data) =>
  own(BASIP_GRANTED, data.method) ?? "log.access_granted_by_valid_identifier";

function basipDenied(data: Data): string {
  if (data.reason === "unknown_credential") {
    return own(BASIP_UNKNOWN_KIND, field(data.credential, "kind")) ?? BASIP_DENIED.unknown_credential;
  }
  return own(BASIP_DENIED, data.reason) ?? "log.access_denied_by_not_valid_identifier";
}

/**
 * BAS-IP tells a door that reports its own state from a separate sensor on a device's input. Gatehouse's
 * door.opened/closed come from the door (its state machine, fed by the door contact) unless the event
 * carries the `serial_number` of a device that reported its sensor directly: then it is the sensor.
 */
const doorName =
  (what: "opened" | "closed"): Namer =>
  (data) =>
    typeof data.serial_number === "string" ? `log.door_sensor_was_${what}` : `log.door_was_${what}`;

const loginName =
  (outcome: "successful" | "incorrect"): Namer =>
  (data) =>
    data.channel === "gui" ? `log.${outcome}_login_gui_settings` : `log.${outcome}_login_api_call`;

// Alocity's user.card is about cards only; other credential kinds have no Alocity name.
const alocityCard: Namer = (data) => (field(data.credential, "kind") === "card" ? "user.card" : undefined);

/** Genea names its AUDIT events by the resource changed; Gatehouse's credentials are Genea's cards. */
export const GENEA_AUDIT_NAMES: Record<AuditResource, string> = {
  user: "User",
  credential: "Card",
  access_group: "Access Group",
  door: "Door",
  reader: "Reader",
  controller: "Controller",
  site: "Location",
  schedule: "Schedule",
  holiday: "Holiday",
  webhook: "Webhook",
  api_key: "API Key",
};

/** The types whose vendor name depends on the data; every other type has at most one name per vendor. */
const SPLITS: Partial<Record<Vendor, Record<string, Namer>>> = {
  basip: {
    "access.granted": basipGranted,
    "access.denied": basipDenied,
    "door.opened": doorName("opened"),
    "door.closed": doorName("closed"),
    "login.succeeded": loginName("successful"),
    "login.failed": loginName("incorrect"),
  },
  alocity: {
    "credential.created": alocityCard,
    "credential.updated": alocityCard,
    "credential.deleted": alocityCard,
  },
  genea: {
    "access.denied": (data) =>
      data.reason === "anti_passback" ? "Anti-Passback Violation" : "Access Denied",
    // Gatehouse's own doors report forced and held-open apart; a device may say both with `forced: true`.
    "door.held_open": (data) => (data.forced === true ? "Forced and Held Open" : "Door Contact – Held Open"),
    // Gatehouse changes a door's mode on an operator's request; a schedule that did says so in `schedule`.
    "door.mode_changed": (data) => (data.schedule ? "Schedule Events" : "Remote Operations"),
  },
};

const AUDIT_TYPE = /^audit\.([a-z_]+)\.[a-z_]+$/;

function geneaAuditName(type: string): string | undefined {
  return own(GENEA_AUDIT_NAMES, AUDIT_TYPE.exec(type)?.[1]);
}

/** The vendor's name for this event, or undefined when the vendor has none. */
export function vendorEventName(vendor: Vendor, type: string, data: Data): string | undefined {
  const split = SPLITS[vendor]?.[type];
  if (split) return split(data);
  if (vendor === "genea" && type.startsWith("audit.")) return geneaAuditName(type);
  return eventTypeInfo(type)?.aliases[vendor]?.[0];
}

const GENEA_AUDIT_NAME_SET: ReadonlySet<string> = new Set(Object.values(GENEA_AUDIT_NAMES));

/** The canonical types each vendor name can be given to, Genea's audit names included. */
function collectTypes(): Map<string, string[]> {
  const types = new Map<string, string[]>();
  const add = (name: string, type: string) => types.set(name, [...(types.get(name) ?? []), type]);
  for (const info of EVENT_TYPES) {
    for (const vendor of VENDORS) for (const name of info.aliases[vendor] ?? []) add(name, info.type);
    const audit = geneaAuditName(info.type);
    if (audit) add(audit, info.type);
  }
  return types;
}

const TYPES_OF_NAME = collectTypes();

/** All vendor names: the catalog's aliases and Genea's audit names. Names never repeat across vendors. */
export const VENDOR_EVENT_NAMES: readonly string[] = [...TYPES_OF_NAME.keys()];

/** Which vendor a name belongs to, e.g. `log.door_was_opened` → basip; undefined for any other string. */
export function vendorOfName(name: string): Vendor | undefined {
  return vendorOfEventName(name) ?? (GENEA_AUDIT_NAME_SET.has(name) ? "genea" : undefined);
}

/** The canonical types that can go by this vendor name (an event of one of them may still take another). */
export function typesOfVendorName(name: string): readonly string[] {
  return TYPES_OF_NAME.get(name) ?? [];
}

/** Whether an event goes by this vendor name: the test a subscription to a vendor name makes. */
export function matchesVendorName(name: string, type: string, data: Data): boolean {
  const vendor = vendorOfName(name);
  return vendor !== undefined && vendorEventName(vendor, type, data) === name;
}
