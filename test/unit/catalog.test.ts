import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  EVENT_TYPES,
  eventTypeGroup,
  eventTypeGroups,
  isKnownEventType,
  isValidSubscription,
  matchesSubscription,
  vendorEventNames,
  vendorOfEventName,
} from "../../src/events/catalog.js";
import { typesOfVendorName, vendorOfName } from "../../src/events/vendor-names.js";

// Copied from seed 004 (BAS-IP webhook entity, event_types).
const BASIP_SEED_NAMES = [
  "log.access_denied_by_not_valid_identifier",
  "log.access_denied_by_not_valid_face_identifier",
  "log.access_denied_by_not_valid_input_code",
  "log.access_denied_by_remote_server_api_call",
  "log.access_denied_by_unknown_card",
  "log.access_granted_by_api_call",
  "log.access_granted_by_call_host",
  "log.access_granted_by_master_code",
  "log.access_granted_by_remote_server_api_call",
  "log.access_granted_by_valid_identifier",
  "log.door_was_closed",
  "log.door_sensor_was_closed",
  "log.door_was_opened",
  "log.door_sensor_was_opened",
  "log.emergency_lock_is_opened",
  "log.lock_is_opened_to_long",
  "log.lock_was_opened_by_exit_btn",
  "log.lock_was_opened_by_free_access_button",
  "log.incoming_call",
  "log.outgoing_call",
  "log.outgoing_call_missed",
  "log.device_booted",
  "log.sip_registration_lost",
  "log.outgoing_call_web",
  "log.incorrect_login_api_call",
  "log.incorrect_login_gui_settings",
  "log.successful_login_api_call",
  "log.successful_login_gui_settings",
  "log.door_was_not_closed_too_long",
  "log.tamper_event",
  "log.multi_access_granted",
  "log.identifiers_without_linkage_to_user_access_denied",
  "log.multi_access_denied",
  "log.access_denied_by_unknown_qr",
  "log.access_denied_unknown_identifier",
  "log.lift_call_success",
  "log.lift_call_error",
  "log.lift_module_access_error",
  "log.access_granted_by_shared_identifier",
  "log.access_denied_by_not_valid_shared_identifier",
  "log.bond_lift_request",
];

const EVENTS_MD_TYPES = [
  "access.granted",
  "access.denied",
  "door.opened",
  "door.closed",
  "door.forced_open",
  "door.held_open",
  "door.secured",
  "door.mode_changed",
  "lock.unlocked",
  "lock.locked",
  "lock.emergency_unlocked",
  "lock.unlocked_too_long",
  "device.healthcheck",
  "device.connected",
  "device.disconnected",
  "device.booted",
  "device.tamper",
  "device.sip_registration_lost",
  "device.input_changed",
  "device.output_changed",
  "call.incoming",
  "call.outgoing",
  "call.missed",
  "call.outgoing_web",
  "lift.call_succeeded",
  "lift.call_failed",
  "lift.access_denied",
  "lift.bond_requested",
  "login.succeeded",
  "login.failed",
  "credential.created",
  "credential.updated",
  "credential.deleted",
  "credential.face_enrolled",
  "credential.face_updated",
  "credential.face_removed",
  "alarm.triggered",
  "alarm.acknowledged",
  "alarm.cleared",
  "schedule.activated",
  "schedule.deactivated",
  "webhook.test",
  "webhook.disabled",
];

const basipTypeOf = (name: string): string[] =>
  vendorOfName(name) === "basip" ? [...typesOfVendorName(name)] : [];

describe("BAS-IP aliases", () => {
  it("lists all 41 seed names", () => {
    expect(new Set(BASIP_SEED_NAMES).size).toBe(41);
  });

  it.each(BASIP_SEED_NAMES)("%s maps to exactly one canonical type", (name) => {
    expect(basipTypeOf(name)).toHaveLength(1);
  });

  it("uses no BAS-IP name outside the seed", () => {
    const all = EVENT_TYPES.flatMap((info) => info.aliases.basip ?? []);
    expect([...all].sort()).toEqual([...BASIP_SEED_NAMES].sort());
  });

  it.each([
    ["log.access_denied_by_unknown_card", "access.denied"],
    ["log.identifiers_without_linkage_to_user_access_denied", "access.denied"],
    ["log.lock_was_opened_by_exit_btn", "access.granted"],
    ["log.multi_access_granted", "access.granted"],
    ["log.door_sensor_was_opened", "door.opened"],
    ["log.door_was_closed", "door.closed"],
    ["log.door_was_not_closed_too_long", "door.held_open"],
    ["log.lock_is_opened_to_long", "lock.unlocked_too_long"],
    ["log.tamper_event", "device.tamper"],
    ["log.outgoing_call_missed", "call.missed"],
    ["log.lift_module_access_error", "lift.access_denied"],
    ["log.bond_lift_request", "lift.bond_requested"],
    ["log.incorrect_login_gui_settings", "login.failed"],
  ])("%s → %s", (name, type) => {
    expect(basipTypeOf(name)).toEqual([type]);
  });
});

describe("catalog contents", () => {
  it("contains every type in EVENTS.md", () => {
    for (const type of EVENTS_MD_TYPES) expect(isKnownEventType(type)).toBe(true);
  });

  it("contains all 55 audit combinations and the 2 webhook secret actions in the audit group", () => {
    const audit = EVENT_TYPES.filter((info) => info.group === "audit");
    expect(audit).toHaveLength(57);
    expect(isKnownEventType("audit.webhook.secret_revealed")).toBe(true);
    expect(isKnownEventType("audit.user.secret_revealed")).toBe(false);
    expect(isKnownEventType("audit.api_key.uninstalled")).toBe(true);
    expect(isKnownEventType("audit.access_group.created")).toBe(true);
    expect(isKnownEventType("audit.nope.created")).toBe(false);
  });

  it("has unique types, a matching group and a description for each", () => {
    const types = EVENT_TYPES.map((info) => info.type);
    expect(new Set(types).size).toBe(types.length);
    for (const info of EVENT_TYPES) {
      expect(info.group).toBe(eventTypeGroup(info.type));
      expect(info.description.length).toBeGreaterThan(0);
    }
  });

  it("groups types in console order, covering every type once", () => {
    const groups = eventTypeGroups();
    expect(groups.map((g) => g.group)).toEqual([
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
    ]);
    expect(groups.flatMap((g) => g.types)).toHaveLength(EVENT_TYPES.length);
  });
});

describe("custom event types", () => {
  it.each(["custom.x", "custom.door_bell", "custom.a.b_2.c"])("accepts %s", (type) =>
    expect(isKnownEventType(type)).toBe(true),
  );

  it.each([
    "custom.",
    "custom",
    "CUSTOM.X",
    "custom.X",
    "custom.a..b",
    "custom.a.",
    "custom.a-b",
    "custom.a b",
    `custom.${"a".repeat(94)}`,
  ])("rejects %s", (type) => expect(isKnownEventType(type)).toBe(false));

  it("allows exactly 100 characters", () => {
    expect(isKnownEventType(`custom.${"a".repeat(93)}`)).toBe(true);
  });
});

describe("subscriptions", () => {
  it.each([
    "*",
    "door.*",
    "access.granted",
    "audit.*",
    "audit.user.*",
    "audit.api_key.*",
    "custom.*",
    "custom.door_bell",
    "webhook.*",
  ])("accepts %s", (pattern) => expect(isValidSubscription(pattern)).toBe(true));

  it.each([
    "nope",
    "nope.*",
    "door.",
    "door.*.x",
    "door.nope",
    "custom.",
    "CUSTOM.X",
    "audit.nope.*",
    "audit.user.created.*",
    "access.granted.*",
    "**",
    "",
  ])("rejects %s", (pattern) => expect(isValidSubscription(pattern)).toBe(false));

  it.each([
    ["*", "door.opened", true],
    ["door.opened", "door.opened", true],
    ["door.opened", "door.closed", false],
    ["door.*", "door.opened", true],
    ["door.*", "door", false],
    ["door.*", "doorbell.rang", false],
    ["door.*", "access.granted", false],
    ["audit.*", "audit.user.created", true],
    ["audit.user.*", "audit.user.created", true],
    ["audit.user.*", "audit.door.created", false],
    ["custom.*", "custom.a.b", true],
    ["lock.*", "lock.unlocked", true],
  ] as const)("%s matches %s: %s", (pattern, type, expected) => {
    expect(matchesSubscription(pattern, type)).toBe(expected);
  });

  it("any known type matches * and its own group wildcard", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...EVENT_TYPES.map((info) => info.type)),
        (type) => matchesSubscription("*", type) && matchesSubscription(`${eventTypeGroup(type)}.*`, type),
      ),
    );
  });
});

describe("vendor names as subscriptions", () => {
  it("never share a name with a canonical type, and each belongs to one vendor", () => {
    for (const name of vendorEventNames()) {
      expect(isKnownEventType(name), name).toBe(false);
      const owners = EVENT_TYPES.flatMap((info) =>
        Object.entries(info.aliases)
          .filter(([, names]) => names.includes(name))
          .map(([vendor]) => vendor),
      );
      expect(new Set(owners).size, name).toBe(1);
      expect(vendorOfEventName(name)).toBe(owners[0]);
    }
  });

  it("accepts every vendor name and log.*, and still refuses near misses", () => {
    for (const name of ["lock.unlock", "accesslog.created", "log.tamper_event", "Access Granted", "log.*"]) {
      expect(isValidSubscription(name), name).toBe(true);
    }
    for (const name of ["lock.unlocks", "log.nope", "kisi.*", "accesslog.*"]) {
      expect(isValidSubscription(name), name).toBe(false);
    }
  });
});
