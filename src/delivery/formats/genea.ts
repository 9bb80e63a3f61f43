// The genea body format, versions v1, v2 and v3 (seed 002's table): Genea's ACCESS and AUDIT event payloads.
import { eventTypeGroup } from "../../events/catalog.js";
import { vendorEventName } from "../../events/vendor-names.js";
import { resourceGuid } from "../../lib/ids.js";
import { credentialOf, type Fields, integerOr, isoMillis, objectOr, refOf, stringOr } from "./event-refs.js";
import type { EventView } from "./event-view.js";

export const GENEA_VERSIONS = ["v1", "v2", "v3"] as const;
export type GeneaVersion = (typeof GENEA_VERSIONS)[number];

/**
 * The payload an event gets. v1 is the VertX payload, v2 the Mercury payload, v3 the updated Mercury payload;
 * under v3, an event from VertX hardware (its data says `hardware: "vertx"`) keeps v1's payload, except the
 * user-related AUDIT events (user, site = Genea's Location, credential), which take the updated one.
 * Gatehouse's own controllers count as Mercury-class.
 */
export function geneaPayloadVersion(event: EventView, version: GeneaVersion): GeneaVersion {
  if (version !== "v3" || event.data.hardware !== "vertx") return version;
  return isUserRelated(event.type) ? "v3" : "v1";
}

const isUserRelated = (type: string) => /^(credential\.|audit\.(user|site|credential)\.)/.test(type);

/** Genea's two kinds of events: AUDIT for changes to records (audit.*, credential.*), ACCESS for the rest. */
const isAudit = (type: string) => ["audit", "credential"].includes(eventTypeGroup(type));

const upperSnake = (text: string) => text.replace(/[^A-Za-z0-9]+/g, "_").toUpperCase();

/** ACCESS actions are Genea's SEQUR_ constants: the canonical type, or the split's own where it splits. */
function accessAction(event: EventView, name: string | undefined): string {
  if (name === "Anti-Passback Violation" || name === "Forced and Held Open")
    return `SEQUR_${upperSnake(name)}`;
  return `SEQUR_${upperSnake(event.type)}`;
}

/** AUDIT actions: the verb of the change; a face enrolled or removed is a credential created or deleted. */
const AUDIT_ACTIONS: Record<string, string> = {
  created: "CREATED",
  updated: "UPDATED",
  deleted: "DELETED",
  installed: "INSTALLED",
  uninstalled: "UNINSTALLED",
  face_enrolled: "CREATED",
  face_updated: "UPDATED",
  face_removed: "DELETED",
};

const guidOf = (kind: string, id: number | null) => (id === null ? null : resourceGuid(kind, id));

function location(event: EventView): Fields | null {
  return event.site_id === null ? null : { uuid: resourceGuid("site", event.site_id), id: event.site_id };
}

/** The person or key behind the event; v1 and v2 say null for nobody, v3 names the system instead. */
function actor(event: EventView, version: GeneaVersion): Fields | null {
  const { data } = event;
  const user = refOf(data, "user");
  const key = objectOr(data.actor);
  if (key && isAudit(event.type)) {
    return { type: "API_KEY", api_key_id: integerOr(key.id), api_key_name: stringOr(key.name) };
  }
  if (user && !isAudit(event.type)) {
    return { type: "USER", user_uuid: guidOf("user", user.id), user_id: user.id, user_name: user.name };
  }
  return version === "v3" ? { type: "SYSTEM" } : null;
}

/** Mercury reports where on the panel it happened: the device, the reader and the input or output point. */
function hardwareInfo(data: Fields): Fields {
  const point = stringOr(data.point) ?? stringOr(data.input) ?? refOf(data, "sensor")?.name ?? null;
  return {
    serial_number: stringOr(data.serial_number),
    reader: refOf(data, "reader")?.name ?? null,
    point: point ?? refOf(data, "lock")?.name ?? null,
  };
}

/** v1 and v2 carry a card only (VertX and Mercury readers read cards); v3 carries any credential. */
function credentialField(data: Fields, version: GeneaVersion): Fields {
  const credential = credentialOf(data);
  const uuid = guidOf("credential", credential?.id ?? null);
  if (version === "v3") {
    const value = credential && {
      uuid,
      id: credential.id,
      type: upperSnake(credential.kind ?? ""),
      masked: credential.masked,
    };
    return { credential: value };
  }
  const card =
    credential?.kind === "card"
      ? { uuid, id: credential.id, type: "KEYCARD", card_number: credential.masked }
      : null;
  return { card };
}

function accessBody(event: EventView, name: string | undefined, version: GeneaVersion): Fields {
  const { data } = event;
  const door = refOf(data, "door");
  const serial = stringOr(data.serial_number);
  const mercury = version !== "v1";
  return {
    ...head(event, "ACCESS", accessAction(event, name), name ?? event.type),
    ...(mercury ? { event_hw_info: hardwareInfo(data) } : {}),
    actor: actor(event, version),
    location: location(event),
    door: door && { uuid: guidOf("door", door.id), id: door.id, name: door.name },
    ...(mercury
      ? { controller: serial && { uuid: resourceGuid("device_serial", serial), serial_number: serial } }
      : {}),
    ...credentialField(data, version),
    data,
    created_at: isoMillis(event.recorded_at),
  };
}

/** The record an AUDIT event is about: the audited resource, or the credential of a credential.* event. */
function auditResource(event: EventView, label: string, version: GeneaVersion): Fields {
  const { data } = event;
  const resource = objectOr(data.resource);
  const credential = credentialOf(data);
  const id = (resource ? resource.id : credential?.id) ?? null;
  const kind = resource ? String(resource.type) : "credential";
  return {
    id,
    uuid: id === null ? null : resourceGuid(kind, id as number | string),
    name: credential?.masked ?? null,
    type: upperSnake(label),
    ...(version === "v3" ? { changes: objectOr(data.changes) } : {}),
  };
}

const SECRET_VERBS: Record<string, string> = {
  SECRET_REVEALED: "Revealed the secret of",
  SECRET_ROTATED: "Rotated the secret of",
};

/** "Created Card ****5678 for Dana Smith", "Updated User 42": the verb, the record, and whose it is. */
function auditMessage(event: EventView, action: string, label: string): string {
  const { data } = event;
  const resource = objectOr(data.resource);
  const what = resource ? String(resource.id) : credentialOf(data)?.masked;
  const owner = refOf(data, "user")?.name;
  const verb = SECRET_VERBS[action] ?? `${action.charAt(0)}${action.slice(1).toLowerCase()}`;
  return [verb, label, what, owner && `for ${owner}`].filter(Boolean).join(" ");
}

function auditBody(event: EventView, name: string | undefined, version: GeneaVersion): Fields {
  const verb = event.type.startsWith("credential.") ? event.type.slice(11) : event.type.split(".")[2];
  const action = AUDIT_ACTIONS[verb ?? ""] ?? upperSnake(verb ?? "");
  // Only faces have no Genea name among the credential events; call them what they are.
  const label = name ?? (credentialOf(event.data)?.kind === "face" ? "Face" : event.type);
  return {
    ...head(event, "AUDIT", action, auditMessage(event, action, label)),
    ...(version === "v1" ? {} : { event_hw_info: null }),
    actor: actor(event, version),
    location: location(event),
    audit_resource: auditResource(event, label, version),
    data: event.data,
    created_at: isoMillis(event.recorded_at),
  };
}

function head(event: EventView, kind: "ACCESS" | "AUDIT", action: string, message: string): Fields {
  return {
    uuid: event.id,
    event_time: isoMillis(event.timestamp),
    event_type: kind,
    event_action: action,
    event_message: message,
    event_note: stringOr(event.data.detail),
  };
}

/**
 * Every body ends with the canonical `data` before `created_at`, so what Genea's fields have no room for (a
 * door's new mode, a device's firmware) still arrives. A type Genea has no name for keeps its canonical name
 * in `event_message`.
 */
export function renderGenea(event: EventView, version: GeneaVersion): Record<string, unknown> {
  const name = vendorEventName("genea", event.type, event.data);
  const payload = geneaPayloadVersion(event, version);
  return isAudit(event.type) ? auditBody(event, name, payload) : accessBody(event, name, payload);
}
