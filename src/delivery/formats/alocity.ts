// The alocity body format: `{id, eventCode, timestamp, payload}`, each payload object as seed 003 defines it.
import { vendorEventName } from "../../events/vendor-names.js";
import { EMPTY_GUID, resourceGuid } from "../../lib/ids.js";
import {
  camelCase,
  credentialOf,
  type Fields,
  integerOr,
  isoMillis,
  objectOr,
  pascalCase,
  refOf,
  stringOr,
} from "./event-refs.js";
import type { EventView } from "./event-view.js";

/** Alocity's DoorStateType, as Gatehouse's door events give it. */
export const DOOR_STATES: Record<string, string> = {
  "door.opened": "Open",
  "door.closed": "Closed",
  "door.forced_open": "ForcedOpen",
  "door.held_open": "HeldOpen",
  "door.secured": "Secured",
};

/** Alocity's LockStateType. */
export const LOCK_STATES: Record<string, string> = {
  "lock.unlocked": "Unlocked",
  "lock.locked": "Locked",
  "lock.emergency_unlocked": "EmergencyUnlocked",
};

/** user.card's and user.face's `action`; the seed lists Created (cards) and Enrolled/Updated/Removed (faces). */
const ACTIONS: Record<string, string> = {
  "credential.created": "Created",
  "credential.updated": "Updated",
  "credential.deleted": "Deleted",
  "credential.face_enrolled": "Enrolled",
  "credential.face_updated": "Updated",
  "credential.face_removed": "Removed",
};

const CREDENTIAL_TYPES: Record<string, string> = {
  card: "Card",
  pin: "Pin",
  qr: "QrCode",
  mobile: "Mobile",
  face: "Face",
};

/** A user's GUID; Guid.Empty when the event has no user, since the seed's fields are plain Guids. */
const userGuid = (data: Fields): string => {
  const id = refOf(data, "user")?.id;
  return id == null ? EMPTY_GUID : resourceGuid("user", id);
};

/**
 * Alocity knows a door by its device's serial number: the one the event carries (what a device's input
 * caused), else `gatehouse-door-<id>` (what followed from time alone comes from the door, not one device).
 */
function serialNumberOf(data: Fields): string {
  const serial = stringOr(data.serial_number);
  if (serial) return serial;
  const door = refOf(data, "door");
  return door?.id == null ? "" : `gatehouse-door-${door.id}`;
}

/** A card number as Alocity's long: decimal digits as printed, hex when it has a letter; 0 if it cannot fit. */
export function cardNumberLong(cardNumber: unknown): number {
  if (typeof cardNumber !== "string") return 0;
  const radix = /^\d+$/.test(cardNumber) ? 10 : /^[0-9a-f]+$/i.test(cardNumber) ? 16 : 0;
  const value = radix === 0 ? 0 : Number.parseInt(cardNumber, radix);
  return Number.isSafeInteger(value) ? value : 0;
}

/** accesslog.created: the seed points to its models; this is Gatehouse's, in Alocity's camelCase. */
function accessLog(event: EventView): Fields {
  const { data } = event;
  const door = refOf(data, "door");
  const user = refOf(data, "user");
  const credential = credentialOf(data);
  const granted = event.type === "access.granted";
  return {
    id: event.id,
    serialNumber: serialNumberOf(data),
    doorId: door?.id == null ? null : resourceGuid("door", door.id),
    doorName: door?.name ?? null,
    readerName: refOf(data, "reader")?.name ?? null,
    userId: user?.id == null ? null : resourceGuid("user", user.id),
    userName: user?.name ?? null,
    credentialType: CREDENTIAL_TYPES[credential?.kind ?? ""] ?? null,
    credentialHint: credential?.masked ?? null,
    accessGranted: granted,
    accessMethod: granted ? pascalCase(String(data.method)) : null,
    denyReason: granted ? null : pascalCase(String(data.reason)),
    detail: stringOr(data.detail),
    occurredAt: isoMillis(event.timestamp),
  };
}

function healthcheck(event: EventView): Fields {
  const { data } = event;
  const health = event.type === "device.healthcheck";
  return {
    serialNumber: stringOr(data.serial_number) ?? "",
    firmwareVersion: stringOr(data.firmware_version) ?? "",
    databaseActive: data.database_active === true,
    isConnected: health ? data.connected === true : event.type === "device.connected",
    // The seed: empty when the message is about a change of connection.
    ipAddress: health ? (stringOr(data.ip_address) ?? "") : "",
  };
}

function userCard(event: EventView): Fields {
  const card = objectOr(event.data.card);
  return {
    userId: userGuid(event.data),
    action: ACTIONS[event.type],
    facilityCode: integerOr(card?.facility_code) ?? 0,
    cardNumber: cardNumberLong(card?.card_number),
  };
}

const PAYLOADS: Record<string, (event: EventView) => Fields> = {
  "accesslog.created": accessLog,
  "door.healthcheck": healthcheck,
  "door.state": (e) => ({ serialNumber: serialNumberOf(e.data), doorState: DOOR_STATES[e.type] }),
  "lock.state": (e) => ({ serialNumber: serialNumberOf(e.data), lockState: LOCK_STATES[e.type] }),
  "user.card": userCard,
  "user.face": (e) => ({ id: userGuid(e.data), action: ACTIONS[e.type] }),
};

/** An event Alocity has no code for keeps its canonical data, keys in camelCase. */
function camelKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(camelKeys);
  const object = objectOr(value);
  if (!object) return value;
  return Object.fromEntries(Object.entries(object).map(([k, v]) => [camelCase(k), camelKeys(v)]));
}

export function renderAlocity(event: EventView): Record<string, unknown> {
  const code = vendorEventName("alocity", event.type, event.data);
  const payload = code && PAYLOADS[code];
  return {
    id: event.id,
    eventCode: code ?? event.type,
    timestamp: isoMillis(event.timestamp),
    payload: payload ? payload(event) : camelKeys(event.data),
  };
}
