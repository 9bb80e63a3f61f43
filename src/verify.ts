// `gatehouse/verify`, the receiver's side: check a delivery's signature under any scheme, and type its event.
//
// At run time this module needs node:crypto and the signing modules only: every event type below is
// `import type`, so a receiver loads neither zod nor the server (test/unit/verify-sdk.test.ts holds that).
import type { z } from "zod";
import { verifyAlocity } from "./delivery/signing/alocity.js";
import { verifyBasip } from "./delivery/signing/basip.js";
import { verifyGenea } from "./delivery/signing/genea.js";
import { SIGNATURE_SCHEMES, type SignatureScheme } from "./delivery/signing/index.js";
import { verifyKisi } from "./delivery/signing/kisi.js";
import { verifyStandard } from "./delivery/signing/standard.js";
import {
  assertVerified,
  VERIFIED,
  type VerifyOptions,
  type VerifyResult,
  type WebhookBody,
  type WebhookHeaders,
  type WebhookSecrets,
} from "./delivery/signing/verification.js";
import type { AUDIT_ACTIONS, AUDIT_RESOURCES } from "./events/catalog-data.js";
import type {
  AccessDeniedData,
  AccessGrantedData,
  DoorContactData,
  DoorHeldOpenData,
  DoorModeChangedData,
  DoorOnlyData,
  DoorSecuredData,
  LockStateData,
  LockUnlockedTooLongData,
} from "./events/data/access.js";
import type {
  CallData,
  DeviceBootedData,
  DeviceHealthcheckData,
  DeviceOnlyData,
  DevicePointData,
  DeviceTamperData,
  LiftData,
  LoginData,
} from "./events/data/device.js";
import type {
  AlarmData,
  CredentialChangeData,
  FaceCredentialData,
  ScheduleData,
} from "./events/data/records.js";
import type { auditData, WebhookDisabledData, WebhookTestData } from "./events/data/system.js";

export {
  assertVerified,
  DEFAULT_TOLERANCE_SEC,
  type HeaderLookup,
  VERIFY_FAILURES,
  type VerifyFailure,
  type VerifyOptions,
  type VerifyResult,
  type WebhookBody,
  type WebhookHeaders,
  type WebhookSecrets,
  WebhookVerificationError,
} from "./delivery/signing/verification.js";
export {
  SIGNATURE_SCHEMES,
  type SignatureScheme,
  verifyAlocity,
  verifyBasip,
  verifyGenea,
  verifyKisi,
  verifyStandard,
};

export interface VerifyWebhookInput extends VerifyOptions {
  /** The webhook's `signature_scheme`. `none` checks nothing and always succeeds. */
  scheme: SignatureScheme;
  /** The raw body, exactly as received: never a re-serialised parse of it. */
  body: WebhookBody;
  headers: WebhookHeaders;
  /** The webhook's secret; during a rotation, the new and the old one. */
  secret: WebhookSecrets;
}

/**
 * Checks a delivery under its webhook's scheme. `toleranceSec` (default 300) bounds the signed timestamp of
 * `standard` and `alocity`; for `basip`, whose timestamp is not signed, it is checked only when given.
 */
export function verifyWebhook(input: VerifyWebhookInput): VerifyResult {
  const { scheme, body, headers, secret } = input;
  const options: VerifyOptions = { toleranceSec: input.toleranceSec, now: input.now };
  switch (scheme) {
    case "standard":
      return verifyStandard(body, headers, secret, options);
    case "kisi":
      return verifyKisi(body, headers, secret);
    case "genea":
      return verifyGenea(body, headers, secret);
    case "alocity":
      return verifyAlocity(body, headers, secret, options);
    case "basip":
      return verifyBasip(body, headers, secret, options);
    case "none":
      return VERIFIED;
  }
}

/** verifyWebhook that throws WebhookVerificationError (with `code` and the reason) instead of answering. */
export function verifyWebhookOrThrow(input: VerifyWebhookInput): void {
  assertVerified(verifyWebhook(input));
}

// ---- The events: the gatehouse v1 envelope, its `data` typed by event type ----

type AuditResource = (typeof AUDIT_RESOURCES)[number];
type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** The data of every `audit.<resource>.<action>`, with `resource.type` fixed to that resource. */
export type AuditDataOf<R extends AuditResource> = z.infer<ReturnType<typeof auditData<R>>>;

type AuditEvents = {
  [K in `audit.${AuditResource}.${AuditAction}`]: K extends `audit.${infer R extends AuditResource}.${string}`
    ? AuditDataOf<R>
    : never;
};

/** Each catalog event type and the shape of its `data` (see docs/events.md). */
export interface EventDataByType extends AuditEvents {
  "access.granted": AccessGrantedData;
  "access.denied": AccessDeniedData;
  "door.opened": DoorContactData;
  "door.closed": DoorContactData;
  "door.forced_open": DoorOnlyData;
  "door.held_open": DoorHeldOpenData;
  "door.secured": DoorSecuredData;
  "door.mode_changed": DoorModeChangedData;
  "lock.unlocked": LockStateData;
  "lock.locked": LockStateData;
  "lock.emergency_unlocked": DoorOnlyData;
  "lock.unlocked_too_long": LockUnlockedTooLongData;
  "device.healthcheck": DeviceHealthcheckData;
  "device.connected": DeviceOnlyData;
  "device.disconnected": DeviceOnlyData;
  "device.booted": DeviceBootedData;
  "device.tamper": DeviceTamperData;
  "device.sip_registration_lost": DeviceOnlyData;
  "device.input_changed": DevicePointData;
  "device.output_changed": DevicePointData;
  "call.incoming": CallData;
  "call.outgoing": CallData;
  "call.missed": CallData;
  "call.outgoing_web": CallData;
  "lift.call_succeeded": LiftData;
  "lift.call_failed": LiftData;
  "lift.access_denied": LiftData;
  "lift.bond_requested": LiftData;
  "login.succeeded": LoginData;
  "login.failed": LoginData;
  "credential.created": CredentialChangeData;
  "credential.updated": CredentialChangeData;
  "credential.deleted": CredentialChangeData;
  "credential.face_enrolled": FaceCredentialData;
  "credential.face_updated": FaceCredentialData;
  "credential.face_removed": FaceCredentialData;
  "alarm.triggered": AlarmData;
  "alarm.acknowledged": AlarmData;
  "alarm.cleared": AlarmData;
  "schedule.activated": ScheduleData;
  "schedule.deactivated": ScheduleData;
  "webhook.test": WebhookTestData;
  "webhook.disabled": WebhookDisabledData;
}

/** The catalog's event types this version of the SDK knows. */
export type EventType = keyof EventDataByType;

/** `custom.<name>` events carry whatever object the integration sent. */
export type CustomEventType = `custom.${string}`;

/** The `data` of an event of type T. */
export type EventData<T extends string> = T extends EventType ? EventDataByType[T] : Record<string, unknown>;

/** The gatehouse v1 body, fields in this order. */
export interface GatehouseEnvelope<T extends string, D> {
  /** The event id: the same on every retry, so de-duplicate on it (it is also `webhook-id`). */
  id: string;
  type: T;
  /** When it happened (ISO 8601), as the source reported it. */
  timestamp: string;
  /** When Gatehouse stored it (ISO 8601). */
  recorded_at: string;
  site_id: number | null;
  /** Per site, only grows: a gap means an event not (yet) received. */
  sequence: number;
  data: D;
}

/** Any event: a union on `type`, so `switch (event.type)` narrows `data`. */
export type AnyGatehouseEvent =
  | { [K in EventType]: GatehouseEnvelope<K, EventDataByType[K]> }[EventType]
  | GatehouseEnvelope<CustomEventType, Record<string, unknown>>;

/**
 * A gatehouse v1 event. `GatehouseEvent<"access.granted">` has `data: AccessGrantedData`; plain
 * `GatehouseEvent` is the union of every type, narrowed by checking `type`.
 */
export type GatehouseEvent<T extends string = string> = string extends T
  ? AnyGatehouseEvent
  : T extends string
    ? GatehouseEnvelope<T, EventData<T>>
    : never;

/**
 * The body of a `gatehouse`-format delivery as an event. It parses JSON and checks nothing more: verify the
 * signature first, and treat fields of types newer than this SDK as unknown.
 */
export function parseGatehouseEvent(body: WebhookBody): GatehouseEvent {
  const text = typeof body === "string" ? body : new TextDecoder().decode(body);
  return JSON.parse(text) as GatehouseEvent;
}
