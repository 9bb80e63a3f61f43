// Valid `data` for every catalog type, so tests post what real devices would; the unit tests check each one.
import { AUDIT_ACTIONS, AUDIT_RESOURCES } from "../../src/events/catalog.js";
import type {
  AccessDeniedData,
  AccessGrantedData,
  AlarmData,
  AuditData,
  CallData,
  CredentialChangeData,
  DeviceHealthcheckData,
  DoorContactData,
  DoorModeChangedData,
  FaceCredentialData,
  LiftData,
  LockStateData,
  LoginData,
  ScheduleData,
  WebhookDisabledData,
  WebhookTestData,
} from "../../src/events/data-schemas.js";

const door = { id: 3, name: "Main Entrance" };
const user = { id: 42, name: "Dana Smith" };
const card = { id: 77, kind: "card" as const, masked: "****1234" };
const serial_number = "GH-CTRL-0001";

const granted: AccessGrantedData = {
  door,
  reader: { name: "Main Entrance, outside" },
  user,
  credential: card,
  method: "credential",
};
const denied: AccessDeniedData = {
  door,
  reader: { name: "Main Entrance, outside" },
  credential: { id: null, kind: "card", masked: "****9999" },
  user: null,
  reason: "unknown_credential",
};
const contact: DoorContactData = { door, sensor: { name: "Main Entrance contact" } };
const mode: DoorModeChangedData = { door, mode: "locked_down", previous_mode: "normal" };
const lock: LockStateData = { door, lock: { name: "Main Entrance strike" }, cause: "access_granted" };
const health: DeviceHealthcheckData = {
  serial_number,
  firmware_version: "4.2.1",
  database_active: true,
  connected: true,
  ip_address: "10.0.0.20",
};
const call: CallData = { serial_number, from: "sip:panel@lobby", to: "sip:101@apartments", apartment: "101" };
const lift: LiftData = { serial_number, floor: "5", user };
const login: LoginData = { channel: "api", principal: "admin", serial_number };
const credential: CredentialChangeData = {
  user,
  credential: card,
  card: { facility_code: 117, card_number: "12345678" },
};
const face: FaceCredentialData = { user, credential: { id: 78, kind: "face", masked: "****a9f0" } };
const alarm: AlarmData = {
  alarm_group: "Server room",
  sensor: "Temperature 1",
  severity: "critical",
  value: 41.5,
};
const schedule: ScheduleData = { schedule: { id: 5, name: "Office hours" }, doors: [door] };
const webhookTest: WebhookTestData = { webhook: { uid: 1, name: "CRM" }, message: "Test from Gatehouse" };
const webhookDisabled: WebhookDisabledData = {
  webhook: { uid: 1, name: "CRM", url: "https://crm.example.com/hook" },
  reason: "the receiver answered 410 Gone",
};

const EXAMPLES: Record<string, object> = {
  "access.granted": granted,
  "access.denied": denied,
  "door.opened": contact,
  "door.closed": contact,
  "door.forced_open": { door },
  "door.held_open": { door, open_for_s: 45 },
  "door.secured": { door, previous: "held" },
  "door.mode_changed": mode,
  "lock.unlocked": lock,
  "lock.locked": { ...lock, cause: "relock_timer" },
  "lock.emergency_unlocked": { door },
  "lock.unlocked_too_long": { door, unlocked_for_s: 120 },
  "device.healthcheck": health,
  "device.connected": { serial_number },
  "device.disconnected": { serial_number },
  "device.booted": { serial_number, firmware_version: "4.2.1" },
  "device.tamper": { serial_number, input: "case" },
  "device.sip_registration_lost": { serial_number },
  "device.input_changed": { serial_number, point: "IN1", state: "active" },
  "device.output_changed": { point: "Relay 2", state: "inactive" },
  "call.incoming": call,
  "call.outgoing": call,
  "call.missed": call,
  "call.outgoing_web": { serial_number },
  "lift.call_succeeded": lift,
  "lift.call_failed": { ...lift, reason: "lift module offline" },
  "lift.access_denied": { ...lift, reason: "floor not allowed" },
  "lift.bond_requested": { serial_number },
  "login.succeeded": login,
  "login.failed": { ...login, channel: "gui" },
  "credential.created": credential,
  "credential.updated": credential,
  "credential.deleted": credential,
  "credential.face_enrolled": face,
  "credential.face_updated": face,
  "credential.face_removed": { user: null, credential: face.credential },
  "alarm.triggered": alarm,
  "alarm.acknowledged": { ...alarm, value: undefined },
  "alarm.cleared": { ...alarm, value: "normal" },
  "schedule.activated": schedule,
  "schedule.deactivated": { ...schedule, doors: [] },
  "webhook.test": webhookTest,
  "webhook.disabled": webhookDisabled,
};

function auditExample(resource: (typeof AUDIT_RESOURCES)[number]): AuditData {
  return {
    actor: { type: "api_key", id: 1, name: "console" },
    resource: { type: resource, id: resource === "webhook" ? 7 : "7" },
    changes: { name: { before: "Old", after: "New" }, secret: { after: "whsec_****" } },
  };
}
for (const resource of AUDIT_RESOURCES) {
  for (const action of AUDIT_ACTIONS) EXAMPLES[`audit.${resource}.${action}`] = auditExample(resource);
}
EXAMPLES["audit.webhook.secret_revealed"] = { ...auditExample("webhook"), changes: {} };
EXAMPLES["audit.webhook.secret_rotated"] = {
  ...auditExample("webhook"),
  changes: { secret: { before: "****", after: "****" }, previous_secret_expires_at: { after: 1767225600 } },
};

/** Valid data for a catalog type (any object for custom.*), with `extra` fields added: data is open to more. */
export function validData(type: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const example = EXAMPLES[type] ?? (type.startsWith("custom.") ? {} : undefined);
  if (!example) throw new Error(`no example data for ${type}`);
  return JSON.parse(JSON.stringify({ ...example, ...extra }));
}
