// The canonical event types and the vendor names each one is rendered as (see EVENTS.md).
import type { EventTypeInfo } from "./catalog.js";

export type EventTypeEntry = Omit<EventTypeInfo, "group">;

export const AUDIT_RESOURCES = [
  "user",
  "credential",
  "access_group",
  "door",
  "reader",
  "controller",
  "site",
  "schedule",
  "holiday",
  "webhook",
  "api_key",
] as const;

export const AUDIT_ACTIONS = ["created", "updated", "deleted", "installed", "uninstalled"] as const;

// BAS-IP splits access events by method or reason; the split follows data.method / data.reason.
const ACCESS_AND_DOOR: EventTypeEntry[] = [
  {
    type: "access.granted",
    description: "A person was let through a door.",
    aliases: {
      kisi: ["lock.unlock"],
      alocity: ["accesslog.created"],
      basip: [
        "log.access_granted_by_valid_identifier",
        "log.access_granted_by_api_call",
        "log.access_granted_by_remote_server_api_call",
        "log.access_granted_by_master_code",
        "log.access_granted_by_call_host",
        "log.access_granted_by_shared_identifier",
        "log.multi_access_granted",
        "log.lock_was_opened_by_exit_btn",
        "log.lock_was_opened_by_free_access_button",
      ],
      genea: ["Access Granted"],
    },
  },
  {
    type: "access.denied",
    description: "A request to pass through a door was refused.",
    aliases: {
      kisi: ["lock.unlock"],
      alocity: ["accesslog.created"],
      basip: [
        "log.access_denied_by_not_valid_identifier",
        "log.access_denied_by_not_valid_face_identifier",
        "log.access_denied_by_not_valid_input_code",
        "log.access_denied_by_remote_server_api_call",
        "log.access_denied_by_unknown_card",
        "log.access_denied_unknown_identifier",
        "log.access_denied_by_unknown_qr",
        "log.identifiers_without_linkage_to_user_access_denied",
        "log.multi_access_denied",
        "log.access_denied_by_not_valid_shared_identifier",
      ],
      genea: ["Access Denied", "Anti-Passback Violation"],
    },
  },
  {
    type: "door.opened",
    description: "A door's contact reported it open.",
    aliases: {
      kisi: ["lock.opened"],
      alocity: ["door.state"],
      basip: ["log.door_was_opened", "log.door_sensor_was_opened"],
      genea: ["Door Contact"],
    },
  },
  {
    type: "door.closed",
    description: "A door's contact reported it closed.",
    aliases: {
      alocity: ["door.state"],
      basip: ["log.door_was_closed", "log.door_sensor_was_closed"],
      genea: ["Door Contact"],
    },
  },
  {
    type: "door.forced_open",
    description: "A door was opened without a grant or exit request.",
    aliases: {
      alocity: ["door.state"],
      genea: ["Door Contact – Forced Open"],
    },
  },
  {
    type: "door.held_open",
    description: "A door stayed open longer than allowed.",
    aliases: {
      alocity: ["door.state"],
      basip: ["log.door_was_not_closed_too_long"],
      genea: ["Door Contact – Held Open", "Forced and Held Open"],
    },
  },
  {
    type: "door.secured",
    description: "A forced or held-open door is closed again.",
    aliases: {
      alocity: ["door.state"],
      genea: ["Door Contact – Secured"],
    },
  },
  {
    type: "door.mode_changed",
    description: "A door switched between normal, unlocked and locked-down mode.",
    aliases: { genea: ["Remote Operations", "Schedule Events"] },
  },
];

const LOCK_AND_DEVICE: EventTypeEntry[] = [
  {
    type: "lock.unlocked",
    description: "A lock was released.",
    aliases: { alocity: ["lock.state"] },
  },
  {
    type: "lock.locked",
    description: "A lock was engaged.",
    aliases: { alocity: ["lock.state"] },
  },
  {
    type: "lock.emergency_unlocked",
    description: "A lock was released by an emergency override.",
    aliases: {
      alocity: ["lock.state"],
      basip: ["log.emergency_lock_is_opened"],
    },
  },
  {
    type: "lock.unlocked_too_long",
    description: "A lock has stayed released longer than allowed.",
    aliases: { basip: ["log.lock_is_opened_to_long"] },
  },
  {
    type: "device.healthcheck",
    description: "A controller or reader reported its health.",
    aliases: {
      alocity: ["door.healthcheck"],
      genea: ["Interface Panel Events"],
    },
  },
  {
    type: "device.connected",
    description: "A device came online.",
    aliases: {
      alocity: ["door.healthcheck"],
      genea: ["Interface Panel Events"],
    },
  },
  {
    type: "device.disconnected",
    description: "A device went offline.",
    aliases: {
      alocity: ["door.healthcheck"],
      genea: ["Interface Panel Events"],
    },
  },
  {
    type: "device.booted",
    description: "A device started up.",
    aliases: { basip: ["log.device_booted"] },
  },
  {
    type: "device.tamper",
    description: "A device's tamper input was triggered.",
    aliases: {
      basip: ["log.tamper_event"],
      genea: ["Monitor Point Events"],
    },
  },
  {
    type: "device.sip_registration_lost",
    description: "An intercom lost its SIP registration.",
    aliases: { basip: ["log.sip_registration_lost"] },
  },
  {
    type: "device.input_changed",
    description: "A monitored input point changed state.",
    aliases: { genea: ["Monitor Point Events"] },
  },
  {
    type: "device.output_changed",
    description: "A control output point changed state.",
    aliases: { genea: ["Control Point Events"] },
  },
];

const CALL_LIFT_LOGIN: EventTypeEntry[] = [
  {
    type: "call.incoming",
    description: "An intercom received a call.",
    aliases: { basip: ["log.incoming_call"] },
  },
  {
    type: "call.outgoing",
    description: "An intercom placed a call.",
    aliases: { basip: ["log.outgoing_call"] },
  },
  {
    type: "call.missed",
    description: "A call from an intercom was not answered.",
    aliases: { basip: ["log.outgoing_call_missed"] },
  },
  {
    type: "call.outgoing_web",
    description: "An intercom placed a call to a web client.",
    aliases: { basip: ["log.outgoing_call_web"] },
  },
  {
    type: "lift.call_succeeded",
    description: "A lift was called successfully.",
    aliases: { basip: ["log.lift_call_success"] },
  },
  {
    type: "lift.call_failed",
    description: "A lift call could not be completed.",
    aliases: { basip: ["log.lift_call_error"] },
  },
  {
    type: "lift.access_denied",
    description: "The lift module refused access to a floor.",
    aliases: { basip: ["log.lift_module_access_error"] },
  },
  {
    type: "lift.bond_requested",
    description: "A device asked to be bonded to a lift module.",
    aliases: { basip: ["log.bond_lift_request"] },
  },
  {
    type: "login.succeeded",
    description: "Someone logged in to a device or the system.",
    aliases: {
      kisi: ["login.create"],
      basip: ["log.successful_login_api_call", "log.successful_login_gui_settings"],
    },
  },
  {
    type: "login.failed",
    description: "A login to a device or the system was rejected.",
    aliases: {
      basip: ["log.incorrect_login_api_call", "log.incorrect_login_gui_settings"],
    },
  },
];

const CREDENTIAL_ALARM_SCHEDULE: EventTypeEntry[] = [
  {
    type: "credential.created",
    description: "A credential was issued to a user.",
    aliases: { alocity: ["user.card"], genea: ["Card"] },
  },
  {
    type: "credential.updated",
    description: "A user's credential was changed.",
    aliases: { alocity: ["user.card"], genea: ["Card"] },
  },
  {
    type: "credential.deleted",
    description: "A user's credential was revoked.",
    aliases: { alocity: ["user.card"], genea: ["Card"] },
  },
  {
    type: "credential.face_enrolled",
    description: "A user's face was enrolled for recognition.",
    aliases: { alocity: ["user.face"] },
  },
  {
    type: "credential.face_updated",
    description: "A user's enrolled face was replaced.",
    aliases: { alocity: ["user.face"] },
  },
  {
    type: "credential.face_removed",
    description: "A user's enrolled face was removed.",
    aliases: { alocity: ["user.face"] },
  },
  {
    type: "alarm.triggered",
    description: "A sensor raised an alarm.",
    aliases: {},
  },
  {
    type: "alarm.acknowledged",
    description: "An operator acknowledged an alarm.",
    aliases: {},
  },
  {
    type: "alarm.cleared",
    description: "An alarm condition ended.",
    aliases: {},
  },
  {
    type: "schedule.activated",
    description: "A schedule started and applied to its doors.",
    aliases: { genea: ["Schedule Events"] },
  },
  {
    type: "schedule.deactivated",
    description: "A schedule ended for its doors.",
    aliases: { genea: ["Schedule Events"] },
  },
];

const RESOURCE_LABELS: Record<(typeof AUDIT_RESOURCES)[number], string> = {
  user: "user",
  credential: "credential",
  access_group: "access group",
  door: "door",
  reader: "reader",
  controller: "controller",
  site: "site",
  schedule: "schedule",
  holiday: "holiday",
  webhook: "webhook",
  api_key: "API key",
};

// Every audit.<resource>.<action>; Genea sends these as its AUDIT events, which carry no fixed name.
const AUDIT: EventTypeEntry[] = AUDIT_RESOURCES.flatMap((resource) =>
  AUDIT_ACTIONS.map((action) => {
    const label = RESOURCE_LABELS[resource];
    const article = /^[aeiouAEIOU]/.test(label) ? "An" : "A";
    return {
      type: `audit.${resource}.${action}`,
      description: `${article} ${label} was ${action} through the API or console.`,
      aliases: {},
    };
  }),
);

/** Actions on a webhook's secret, audited like changes: who saw it, who replaced it. */
export const WEBHOOK_SECRET_ACTIONS = ["secret_revealed", "secret_rotated"] as const;

const WEBHOOK_SECRET_AUDIT: EventTypeEntry[] = [
  {
    type: "audit.webhook.secret_revealed",
    description: "A webhook's secret was revealed to an administrator.",
    aliases: {},
  },
  {
    type: "audit.webhook.secret_rotated",
    description: "A webhook's secret was replaced; the old one may still sign during an overlap window.",
    aliases: {},
  },
];

const WEBHOOK: EventTypeEntry[] = [
  {
    type: "webhook.test",
    description: "A test event sent only to the webhook that asked for it.",
    aliases: {},
  },
  {
    type: "webhook.disabled",
    description: "A webhook was disabled after a 410 Gone or failing for too long.",
    aliases: {},
  },
];

export const EVENT_TYPE_ENTRIES: readonly EventTypeEntry[] = [
  ...ACCESS_AND_DOOR,
  ...LOCK_AND_DEVICE,
  ...CALL_LIFT_LOGIN,
  ...CREDENTIAL_ALARM_SCHEDULE,
  ...AUDIT,
  ...WEBHOOK_SECRET_AUDIT,
  ...WEBHOOK,
];
