// Vendor names: the catalog's aliases and the data-driven split never drift apart, and names never clash.
import { describe, expect, it } from "vitest";
import {
  EVENT_TYPES,
  isKnownEventType,
  matchesSubscription,
  type Vendor,
  vendorEventNames,
  vendorOfEventName,
} from "../../src/events/catalog.js";
import { sampleEvents } from "../../src/events/samples.js";
import {
  GENEA_AUDIT_NAMES,
  matchesVendorName,
  typesOfVendorName,
  VENDOR_EVENT_NAMES,
  VENDORS,
  vendorEventName,
  vendorOfName,
} from "../../src/events/vendor-names.js";

const samples = sampleEvents().map(({ name, event }) => ({
  name,
  type: event.type,
  data: JSON.parse(event.data_json) as Record<string, unknown>,
}));

const nameOf = (vendor: Vendor, sample: string) => {
  const s = samples.find((x) => x.name === sample);
  if (!s) throw new Error(`no sample ${sample}`);
  return vendorEventName(vendor, s.type, s.data);
};

const isAudit = (type: string) => type.startsWith("audit.");

describe("vendorEventName against the catalog", () => {
  it.each(VENDORS)("%s: every alias in the catalog is the name of some sample of its type", (vendor) => {
    for (const info of EVENT_TYPES) {
      const produced = new Set(
        samples.filter((s) => s.type === info.type).map((s) => vendorEventName(vendor, s.type, s.data)),
      );
      for (const alias of info.aliases[vendor] ?? [])
        expect(produced, `${info.type}: ${alias}`).toContain(alias);
    }
  });

  it.each(VENDORS)(
    "%s: every name a sample gets is an alias of its type (Genea's audit names aside)",
    (vendor) => {
      for (const s of samples) {
        const name = vendorEventName(vendor, s.type, s.data);
        if (name === undefined) continue;
        const aliases = EVENT_TYPES.find((info) => info.type === s.type)?.aliases[vendor] ?? [];
        if (vendor === "genea" && isAudit(s.type)) expect(Object.values(GENEA_AUDIT_NAMES)).toContain(name);
        else expect(aliases, `${s.name} → ${name}`).toContain(name);
        expect(typesOfVendorName(name)).toContain(s.type);
        expect(vendorOfName(name)).toBe(vendor);
      }
    },
  );

  it("names every audit event in Genea by its resource, and no audit event elsewhere", () => {
    for (const s of samples.filter((x) => isAudit(x.type))) {
      const resource = s.type.split(".")[1] as keyof typeof GENEA_AUDIT_NAMES;
      expect(vendorEventName("genea", s.type, s.data)).toBe(GENEA_AUDIT_NAMES[resource]);
      for (const vendor of VENDORS.filter((v) => v !== "genea")) {
        expect(vendorEventName(vendor, s.type, s.data)).toBeUndefined();
      }
    }
  });

  it("has no name for custom events", () => {
    for (const vendor of VENDORS) expect(vendorEventName(vendor, "custom.example", {})).toBeUndefined();
  });
});

describe("the splits", () => {
  it.each([
    ["basip", "access.granted", "log.access_granted_by_valid_identifier"],
    ["basip", "access.granted.face", "log.access_granted_by_valid_identifier"],
    ["basip", "access.granted.remote_api", "log.access_granted_by_api_call"],
    ["basip", "access.granted.remote_server", "log.access_granted_by_remote_server_api_call"],
    ["basip", "access.granted.master_code", "log.access_granted_by_master_code"],
    ["basip", "access.granted.call_host", "log.access_granted_by_call_host"],
    ["basip", "access.granted.shared_credential", "log.access_granted_by_shared_identifier"],
    ["basip", "access.granted.multi_credential", "log.multi_access_granted"],
    ["basip", "access.granted.exit_button", "log.lock_was_opened_by_exit_btn"],
    ["basip", "access.granted.free_access_button", "log.lock_was_opened_by_free_access_button"],
    ["basip", "access.denied", "log.access_denied_by_unknown_card"],
    ["basip", "access.denied.unknown_qr", "log.access_denied_by_unknown_qr"],
    ["basip", "access.denied.unknown_credential.mobile", "log.access_denied_unknown_identifier"],
    ["basip", "access.denied.unknown_credential.pin", "log.access_denied_by_not_valid_input_code"],
    ["basip", "access.denied.unknown_credential.face", "log.access_denied_by_not_valid_face_identifier"],
    ["basip", "access.denied.invalid_credential", "log.access_denied_by_not_valid_identifier"],
    ["basip", "access.denied.outside_schedule", "log.access_denied_by_not_valid_identifier"],
    ["basip", "access.denied.anti_passback", "log.access_denied_by_not_valid_identifier"],
    ["basip", "access.denied.invalid_face", "log.access_denied_by_not_valid_face_identifier"],
    ["basip", "access.denied.invalid_pin", "log.access_denied_by_not_valid_input_code"],
    ["basip", "access.denied.not_linked_to_user", "log.identifiers_without_linkage_to_user_access_denied"],
    ["basip", "access.denied.remote_server_denied", "log.access_denied_by_remote_server_api_call"],
    ["basip", "access.denied.multi_credential_incomplete", "log.multi_access_denied"],
    ["basip", "access.denied.shared_credential_invalid", "log.access_denied_by_not_valid_shared_identifier"],
    ["basip", "door.opened", "log.door_was_opened"],
    ["basip", "door.opened.sensor", "log.door_sensor_was_opened"],
    ["basip", "door.closed", "log.door_was_closed"],
    ["basip", "door.closed.sensor", "log.door_sensor_was_closed"],
    ["basip", "login.succeeded", "log.successful_login_api_call"],
    ["basip", "login.succeeded.gui", "log.successful_login_gui_settings"],
    ["basip", "login.failed", "log.incorrect_login_gui_settings"],
    ["basip", "login.failed.api", "log.incorrect_login_api_call"],
    ["basip", "door.forced_open", undefined],
    ["kisi", "access.granted.exit_button", "lock.unlock"],
    ["kisi", "access.denied.lockdown", "lock.unlock"],
    ["kisi", "door.opened", "lock.opened"],
    ["kisi", "door.closed", undefined],
    ["kisi", "login.succeeded", "login.create"],
    ["kisi", "login.failed", undefined],
    ["alocity", "access.denied.holiday", "accesslog.created"],
    ["alocity", "door.secured", "door.state"],
    ["alocity", "lock.emergency_unlocked", "lock.state"],
    ["alocity", "device.disconnected", "door.healthcheck"],
    ["alocity", "credential.created", "user.card"],
    ["alocity", "credential.created.pin", undefined],
    ["alocity", "credential.face_removed", "user.face"],
    ["genea", "access.denied", "Access Denied"],
    ["genea", "access.denied.anti_passback", "Anti-Passback Violation"],
    ["genea", "door.held_open", "Door Contact – Held Open"],
    ["genea", "door.held_open.forced", "Forced and Held Open"],
    ["genea", "door.mode_changed", "Remote Operations"],
    ["genea", "door.mode_changed.schedule", "Schedule Events"],
    ["genea", "credential.updated", "Card"],
    ["genea", "audit.site.created", "Location"],
    ["genea", "audit.access_group.deleted", "Access Group"],
  ] as const)("%s names %s %s", (vendor, sample, expected) => {
    expect(nameOf(vendor, sample)).toBe(expected);
  });

  it("falls back to BAS-IP's general name when the data does not say which", () => {
    const general = "log.access_granted_by_valid_identifier";
    expect(vendorEventName("basip", "access.granted", { method: "telepathy" })).toBe(general);
    expect(vendorEventName("basip", "access.granted", { method: "toString" })).toBe(general);
    expect(vendorEventName("basip", "access.granted", {})).toBe(general);
    const denied = "log.access_denied_by_not_valid_identifier";
    expect(vendorEventName("basip", "access.denied", { reason: "toString" })).toBe(denied);
    expect(vendorEventName("basip", "access.denied", { reason: "unknown_credential" })).toBe(
      "log.access_denied_unknown_identifier",
    );
  });

  it("answers undefined where the vendor has no name for the case, never an inherited property", () => {
    expect(vendorEventName("alocity", "credential.created", {})).toBeUndefined();
    expect(vendorEventName("genea", "audit.constructor.created", {})).toBeUndefined();
    expect(vendorEventName("kisi", "toString", {})).toBeUndefined();
  });
});

describe("vendor names as subscriptions", () => {
  it("belong to one vendor each: no name is shared between vendors", () => {
    const owners = new Map<string, Set<Vendor>>();
    const own = (name: string, vendor: Vendor) =>
      owners.set(name, (owners.get(name) ?? new Set()).add(vendor));
    for (const info of EVENT_TYPES) {
      for (const vendor of VENDORS) for (const name of info.aliases[vendor] ?? []) own(name, vendor);
    }
    for (const name of Object.values(GENEA_AUDIT_NAMES)) own(name, "genea");
    for (const [name, vendors] of owners) expect([...vendors], name).toHaveLength(1);
    expect([...owners.keys()].sort()).toEqual([...VENDOR_EVENT_NAMES].sort());
  });

  it("never clash with a canonical type, a custom type or a canonical subscription pattern", () => {
    for (const name of VENDOR_EVENT_NAMES) {
      expect(isKnownEventType(name), name).toBe(false);
      expect(EVENT_TYPES.some((info) => info.type === name || matchesSubscription(name, info.type))).toBe(
        false,
      );
    }
  });

  it("agree with the catalog on every alias, and add only Genea's audit names", () => {
    for (const name of vendorEventNames()) expect(vendorOfName(name)).toBe(vendorOfEventName(name));
    const added = VENDOR_EVENT_NAMES.filter((name) => !vendorEventNames().includes(name));
    expect(added.sort()).toEqual(
      Object.values(GENEA_AUDIT_NAMES)
        .filter((n) => n !== "Card")
        .sort(),
    );
  });

  it("list BAS-IP's 41 names, Kisi's 3 and Alocity's 6", () => {
    const count = (vendor: Vendor) => VENDOR_EVENT_NAMES.filter((n) => vendorOfName(n) === vendor).length;
    expect(count("basip")).toBe(41);
    expect(count("kisi")).toBe(3);
    expect(count("alocity")).toBe(6);
  });

  it("know no vendor for canonical names or strangers", () => {
    expect(vendorOfName("access.granted")).toBeUndefined();
    expect(vendorOfName("log.nope")).toBeUndefined();
    expect(vendorOfName("toString")).toBeUndefined();
    expect(typesOfVendorName("nope")).toEqual([]);
  });

  it("match an event by the name it goes by, not by the names its type could take", () => {
    const pin = { ...samples.find((s) => s.name === "access.denied.unknown_credential.pin") };
    expect(
      matchesVendorName("log.access_denied_by_not_valid_input_code", "access.denied", pin.data ?? {}),
    ).toBe(true);
    expect(matchesVendorName("log.access_denied_by_unknown_card", "access.denied", pin.data ?? {})).toBe(
      false,
    );
    expect(matchesVendorName("lock.unlock", "access.denied", pin.data ?? {})).toBe(true);
    expect(matchesVendorName("access.denied", "access.denied", pin.data ?? {})).toBe(false);
    expect(typesOfVendorName("lock.unlock")).toEqual(["access.granted", "access.denied"]);
    expect(typesOfVendorName("Card")).toEqual([
      "credential.created",
      "credential.updated",
      "credential.deleted",
      ...["created", "updated", "deleted", "installed", "uninstalled"].map((a) => `audit.credential.${a}`),
    ]);
  });
});
