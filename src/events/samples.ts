// Realistic sample events with fixed ids and times, for every catalog type and each way a type splits:
// what format previews show and what the golden files of each format are rendered from.
import { fixedEventId } from "../lib/ids.js";
import type { StoredEvent } from "../store/events.js";
import { EVENT_TYPES, isCustomEventType } from "./catalog.js";
import type { AuditResource } from "./data/system.js";

export interface Sample {
  /** The type, or the type and what sets this variant apart: `access.denied.anti_passback`. */
  name: string;
  event: StoredEvent;
}

type Data = Record<string, unknown>;

/** Every sample happened at this moment and was stored 180 ms later. */
export const SAMPLE_TIME = "2025-03-04T08:15:30.250Z";
const AT = Date.parse(SAMPLE_TIME);
const SITE = 1;

const door = { id: 3, name: "Main Entrance" };
const reader = { name: "Main Entrance reader (outside)" };
const user = { id: 42, name: "Dana Smith" };
const card = { id: 77, kind: "card", masked: "****5678" };
const controller = "GH-CTRL-0001";
const intercom = "GH-ICOM-0007";
const liftModule = "GH-LIFT-0002";

const granted = { door, reader, user, credential: card, method: "credential" };
const denied = {
  door,
  reader,
  credential: { id: null, kind: "card", masked: "****9921" },
  user: null,
  reason: "unknown_credential",
};
const contact = { door, sensor: { name: "Main Entrance contact" } };
const lock = { door, lock: { name: "Main Entrance strike" } };
const health = {
  serial_number: controller,
  firmware_version: "4.2.1",
  database_active: true,
  connected: true,
  ip_address: "10.20.0.21",
};
const call = {
  serial_number: intercom,
  from: "sip:lobby@10.20.0.40",
  to: "sip:apt101@10.20.0.1",
  apartment: "101",
};
const login = { channel: "api", principal: "installer", serial_number: intercom };
const cardChange = { user, credential: card, card: { facility_code: 117, card_number: "40015678" } };
const face = { user, credential: { id: 78, kind: "face", masked: "****a9f0" } };
const alarm = { alarm_group: "Server room", sensor: "Temperature 1", severity: "critical", value: 41.5 };
const schedule = { schedule: { id: 5, name: "Office hours" }, doors: [door, { id: 4, name: "Side Door" }] };
const webhook = { uid: 2, name: "Front desk CRM" };

/** The usual case of each type: the first sample of its name. */
const DEFAULTS: Record<string, Data> = {
  "access.granted": granted,
  "access.denied": denied,
  "door.opened": contact,
  "door.closed": contact,
  "door.forced_open": { door },
  "door.held_open": { door, open_for_s: 45 },
  "door.secured": { door, previous: "held" },
  "door.mode_changed": { door, mode: "locked_down", previous_mode: "normal" },
  "lock.unlocked": { ...lock, cause: "access_granted" },
  "lock.locked": { ...lock, cause: "relock_timer" },
  "lock.emergency_unlocked": { door },
  "lock.unlocked_too_long": { door, unlocked_for_s: 600 },
  "device.healthcheck": health,
  "device.connected": { serial_number: controller },
  "device.disconnected": { serial_number: controller },
  "device.booted": { serial_number: intercom, firmware_version: "6.8.2" },
  "device.tamper": { serial_number: controller, input: "enclosure" },
  "device.sip_registration_lost": { serial_number: intercom },
  "device.input_changed": { serial_number: controller, point: "IN3 glass break", state: "active" },
  "device.output_changed": { serial_number: controller, point: "Relay 2 siren", state: "inactive" },
  "call.incoming": { ...call, from: "sip:apt101@10.20.0.1", to: "sip:lobby@10.20.0.40" },
  "call.outgoing": call,
  "call.missed": call,
  "call.outgoing_web": { serial_number: intercom, to: "web:concierge", apartment: "101" },
  "lift.call_succeeded": { serial_number: liftModule, floor: "5", user },
  "lift.call_failed": { serial_number: liftModule, floor: "5", user, reason: "lift module offline" },
  "lift.access_denied": { serial_number: liftModule, floor: "9", user, reason: "floor not allowed" },
  "lift.bond_requested": { serial_number: intercom },
  "login.succeeded": login,
  "login.failed": { ...login, channel: "gui", principal: "admin" },
  "credential.created": cardChange,
  "credential.updated": cardChange,
  "credential.deleted": cardChange,
  "credential.face_enrolled": face,
  "credential.face_updated": face,
  "credential.face_removed": face,
  "alarm.triggered": alarm,
  "alarm.acknowledged": { alarm_group: alarm.alarm_group, sensor: alarm.sensor, severity: "critical" },
  "alarm.cleared": { ...alarm, severity: "info", value: 23 },
  "schedule.activated": schedule,
  "schedule.deactivated": schedule,
  "webhook.test": { webhook, message: "Test from Gatehouse" },
  "webhook.disabled": {
    webhook: { ...webhook, url: "https://crm.example.com/hooks/gatehouse" },
    reason: "the receiver answered 410 Gone",
  },
};

const anonymous = { reader: null, user: null, credential: null };

/** How access.granted reads for each method besides a card. */
const GRANT_VARIANTS: Record<string, Data> = {
  face: { credential: { id: 78, kind: "face", masked: "****a9f0" } },
  pin: { credential: { id: 79, kind: "pin", masked: "****" } },
  qr: { credential: { id: 80, kind: "qr", masked: "****c41d" } },
  mobile: { credential: { id: 81, kind: "mobile", masked: "****7be2" } },
  remote_api: { ...anonymous, detail: "unlocked from the console" },
  remote_server: { detail: "approved by the visitor system" },
  master_code: { ...anonymous, credential: { id: null, kind: "pin", masked: "****" } },
  call_host: { ...anonymous, detail: "opened by apartment 101" },
  exit_button: anonymous,
  free_access_button: anonymous,
  shared_credential: { user: null, credential: { id: 82, kind: "qr", masked: "****e019" } },
  multi_credential: { detail: "card + PIN" },
};

/** How access.denied reads for each reason besides an unknown card, and unknown credentials of other kinds. */
const DENY_VARIANTS: Record<string, Data> = {
  "unknown_credential.pin": { credential: { id: null, kind: "pin", masked: "****" } },
  "unknown_credential.face": { credential: { id: null, kind: "face", masked: "****" } },
  "unknown_credential.mobile": { credential: { id: null, kind: "mobile", masked: "****31aa" } },
  unknown_qr: { credential: { id: null, kind: "qr", masked: "****0f3c" } },
  invalid_credential: { credential: card, user, detail: "expired" },
  invalid_face: { credential: { id: null, kind: "face", masked: "****" }, detail: "face not enrolled" },
  invalid_pin: { credential: card, user, detail: "wrong PIN after card" },
  not_linked_to_user: { credential: { id: 83, kind: "card", masked: "****4410" } },
  not_in_group: { credential: card, user },
  outside_schedule: { credential: card, user },
  holiday: { credential: card, user, detail: "Carnival Monday" },
  lockdown: { credential: card, user },
  anti_passback: { credential: card, user, detail: "already inside" },
  remote_server_denied: { credential: card, user, detail: "refused by the visitor system" },
  multi_credential_incomplete: { credential: card, user, detail: "PIN not entered" },
  shared_credential_invalid: {
    credential: { id: 82, kind: "qr", masked: "****e019" },
    detail: "link expired",
  },
};

/** The other variants: a sensor reporting on its own, a forced door held, a schedule, the other channel. */
const OTHER_VARIANTS: Array<[string, string, Data]> = [
  ["door.opened.sensor", "door.opened", { ...contact, serial_number: intercom }],
  ["door.closed.sensor", "door.closed", { ...contact, serial_number: intercom }],
  ["door.held_open.forced", "door.held_open", { door, open_for_s: 90, forced: true }],
  [
    "door.mode_changed.schedule",
    "door.mode_changed",
    { door, mode: "unlocked", previous_mode: "normal", schedule: schedule.schedule },
  ],
  ["login.succeeded.gui", "login.succeeded", { ...login, channel: "gui" }],
  ["login.failed.api", "login.failed", { ...login, principal: "admin" }],
  [
    "credential.created.pin",
    "credential.created",
    { user, credential: { id: 79, kind: "pin", masked: "****" } },
  ],
  ["credential.face_removed.no_user", "credential.face_removed", { ...face, user: null }],
];

/** A resource's id and the field its sample audit events change. */
const AUDITED: Record<AuditResource, { id: number; field: string; before: unknown; after: unknown }> = {
  user: { id: 42, field: "status", before: "active", after: "suspended" },
  credential: { id: 77, field: "status", before: "active", after: "suspended" },
  access_group: { id: 6, field: "door_ids", before: [3], after: [3, 4] },
  door: { id: 3, field: "held_open_threshold_s", before: 30, after: 45 },
  reader: { id: 9, field: "name", before: "Reader 1", after: "Main Entrance reader (outside)" },
  controller: { id: 12, field: "firmware_version", before: "4.1.0", after: "4.2.1" },
  site: { id: 1, field: "time_zone", before: "UTC", after: "Europe/Berlin" },
  schedule: { id: 5, field: "name", before: "Office", after: "Office hours" },
  holiday: { id: 8, field: "date", before: "2025-03-03", after: "2025-03-04" },
  webhook: {
    id: 2,
    field: "url",
    before: "https://crm.example.com/hooks",
    after: "https://crm.example.com/hooks/gatehouse",
  },
  api_key: { id: 4, field: "role", before: "viewer", after: "admin" },
};

/** What Gatehouse records when a webhook's secret is revealed or rotated: secrets stay masked. */
const SECRET_CHANGES: Record<string, Data> = {
  secret_revealed: {},
  secret_rotated: {
    secret: { before: "****", after: "****" },
    previous_secret_expires_at: { after: Math.floor(AT / 1000) + 86_400 },
  },
};

function auditData(resource: AuditResource, action: string): Data {
  const { id, field, before, after } = AUDITED[resource];
  const change = action === "created" ? { after } : action === "deleted" ? { before } : { before, after };
  return {
    actor: { type: "api_key", id: 1, name: "console" },
    resource: { type: resource, id },
    changes: SECRET_CHANGES[action] ?? { [field]: change },
  };
}

/** Events about webhooks and API keys belong to no site. */
const siteOf = (type: string): number | null =>
  /^(webhook\.|audit\.(webhook|api_key)\.)/.test(type) ? null : SITE;

function stored(name: string, type: string, data: Data): Sample {
  const event: StoredEvent = {
    position: 1,
    id: fixedEventId(AT, name),
    type,
    timestamp: SAMPLE_TIME,
    recorded_at: AT + 180,
    site_id: siteOf(type),
    sequence: 1,
    data_json: JSON.stringify(data),
  };
  return { name, event };
}

const dataFor = (type: string): Data | undefined => {
  if (DEFAULTS[type]) return DEFAULTS[type];
  const [, resource, action] = type.split(".");
  return type.startsWith("audit.") ? auditData(resource as AuditResource, action as string) : undefined;
};

/** A generic custom event: an integration's own data, as it posted it. */
const customData = (): Data => ({
  source: "visitor-system",
  visitor: { name: "Alex Doe", host: "Dana Smith" },
});

/** The usual sample of a catalog type, or a generic one for custom.*; throws for any other type. */
export function sampleEvent(type: string): StoredEvent {
  if (isCustomEventType(type)) return stored(type, type, customData()).event;
  const data = dataFor(type);
  if (!data) throw new RangeError(`no sample for unknown event type ${type}`);
  return stored(type, type, data).event;
}

/** Every catalog type's usual sample, then the variants of the types that split, then a custom event. */
export function sampleEvents(): Sample[] {
  const defaults = EVENT_TYPES.map(({ type }) => stored(type, type, dataFor(type) as Data));
  const grants = Object.entries(GRANT_VARIANTS).map(([method, change]) =>
    stored(`access.granted.${method}`, "access.granted", { ...granted, ...change, method }),
  );
  const denials = Object.entries(DENY_VARIANTS).map(([variant, change]) =>
    stored(`access.denied.${variant}`, "access.denied", {
      ...denied,
      ...change,
      reason: variant.split(".")[0],
    }),
  );
  const others = OTHER_VARIANTS.map(([name, type, data]) => stored(name, type, data));
  return [
    ...defaults,
    ...grants,
    ...denials,
    ...others,
    stored("custom.example", "custom.example", customData()),
  ];
}
