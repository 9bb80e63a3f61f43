// One zod schema per catalog type's `data`: the lookup ingest validates with and the JSON Schema served and documented.
import { z } from "zod";
import { AUDIT_ACTIONS, AUDIT_RESOURCES, isCustomEventType } from "./catalog.js";
import { WEBHOOK_SECRET_ACTIONS } from "./catalog-data.js";
import {
  AccessDeniedData,
  AccessGrantedData,
  DoorContactData,
  DoorHeldOpenData,
  DoorModeChangedData,
  DoorOnlyData,
  DoorSecuredData,
  LockStateData,
  LockUnlockedTooLongData,
} from "./data/access.js";
import {
  CallData,
  DeviceBootedData,
  DeviceHealthcheckData,
  DeviceOnlyData,
  DevicePointData,
  DeviceTamperData,
  LiftData,
  LoginData,
} from "./data/device.js";
import { dataMessage } from "./data/messages.js";
import { AlarmData, CredentialChangeData, FaceCredentialData, ScheduleData } from "./data/records.js";
import { auditData, WebhookDisabledData, WebhookTestData } from "./data/system.js";

export * from "./data/access.js";
export * from "./data/device.js";
export * from "./data/records.js";
export * from "./data/refs.js";
export * from "./data/system.js";

/** custom.<name>: any JSON object, since an integration defines its own events. */
export const CustomData = z
  .record(z.string(), z.unknown())
  .describe("Any JSON object: the integration's own data");

const BY_TYPE: ReadonlyMap<string, z.ZodType> = new Map<string, z.ZodType>([
  ["access.granted", AccessGrantedData],
  ["access.denied", AccessDeniedData],
  ["door.opened", DoorContactData],
  ["door.closed", DoorContactData],
  ["door.forced_open", DoorOnlyData],
  ["door.held_open", DoorHeldOpenData],
  ["door.secured", DoorSecuredData],
  ["door.mode_changed", DoorModeChangedData],
  ["lock.unlocked", LockStateData],
  ["lock.locked", LockStateData],
  ["lock.emergency_unlocked", DoorOnlyData],
  ["lock.unlocked_too_long", LockUnlockedTooLongData],
  ["device.healthcheck", DeviceHealthcheckData],
  ["device.connected", DeviceOnlyData],
  ["device.disconnected", DeviceOnlyData],
  ["device.booted", DeviceBootedData],
  ["device.tamper", DeviceTamperData],
  ["device.sip_registration_lost", DeviceOnlyData],
  ["device.input_changed", DevicePointData],
  ["device.output_changed", DevicePointData],
  ["call.incoming", CallData],
  ["call.outgoing", CallData],
  ["call.missed", CallData],
  ["call.outgoing_web", CallData],
  ["lift.call_succeeded", LiftData],
  ["lift.call_failed", LiftData],
  ["lift.access_denied", LiftData],
  ["lift.bond_requested", LiftData],
  ["login.succeeded", LoginData],
  ["login.failed", LoginData],
  ["credential.created", CredentialChangeData],
  ["credential.updated", CredentialChangeData],
  ["credential.deleted", CredentialChangeData],
  ["credential.face_enrolled", FaceCredentialData],
  ["credential.face_updated", FaceCredentialData],
  ["credential.face_removed", FaceCredentialData],
  ["alarm.triggered", AlarmData],
  ["alarm.acknowledged", AlarmData],
  ["alarm.cleared", AlarmData],
  ["schedule.activated", ScheduleData],
  ["schedule.deactivated", ScheduleData],
  ["webhook.test", WebhookTestData],
  ["webhook.disabled", WebhookDisabledData],
  // Every action on a resource shares that resource's schema.
  ...AUDIT_RESOURCES.flatMap((resource) => {
    const schema = auditData(resource);
    return AUDIT_ACTIONS.map((action): [string, z.ZodType] => [`audit.${resource}.${action}`, schema]);
  }),
  ...WEBHOOK_SECRET_ACTIONS.map((action): [string, z.ZodType] => [
    `audit.webhook.${action}`,
    auditData("webhook"),
  ]),
]);

/** The schema a type's `data` must match: the catalog's, CustomData for custom.*, undefined for unknown types. */
export function eventDataSchema(type: string): z.ZodType | undefined {
  return BY_TYPE.get(type) ?? (isCustomEventType(type) ? CustomData : undefined);
}

/**
 * The problems with an event's `data` for its type, worded like the API's other validation messages; empty
 * when it fits or the type has no schema. Paths are relative to `data`.
 */
export function eventDataIssues(type: string, data: unknown): z.core.$ZodIssue[] {
  const result = eventDataSchema(type)?.safeParse(data, { error: dataMessage });
  return result && !result.success ? result.error.issues : [];
}

export type JsonSchema = Record<string, unknown>;

// Converting is far slower than validating, and the answer never changes: one conversion per schema.
const jsonSchemas = new Map<z.ZodType, JsonSchema>();

/** The JSON Schema (draft 2020-12) of a type's `data`, or undefined for an unknown type. */
export function eventDataJsonSchema(type: string): JsonSchema | undefined {
  const schema = eventDataSchema(type);
  if (!schema) return undefined;
  let json = jsonSchemas.get(schema);
  if (!json) {
    // "input": the shape a sender must post (optional fields optional, no defaults filled in).
    json = z.toJSONSchema(schema, { target: "draft-2020-12", io: "input" }) as JsonSchema;
    jsonSchemas.set(schema, json);
  }
  return json;
}
