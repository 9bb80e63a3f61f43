// The `data` of access.*, door.* and lock.* events: what happened at a door, its contact and its lock.
import { z } from "zod";
import { LOCK_CAUSES } from "../../core/door-state.js";
import { DOOR_MODES } from "../../core/model.js";
import { DENY_REASONS } from "../../core/rules.js";
import { AccessGroupRef, CredentialRef, DoorRef, PartRef, SerialNumber, UserRef } from "./refs.js";

// A superset of the core's GrantMethod (checked in test/unit/event-data.test.ts): other paths grant too.
export const GRANT_METHODS = [
  "credential",
  "face",
  "pin",
  "qr",
  "mobile",
  "remote_api",
  "remote_server",
  "master_code",
  "call_host",
  "exit_button",
  "free_access_button",
  "shared_credential",
  "multi_credential",
] as const;

const detail = z.string().optional().describe("More for people, e.g. which validity check failed");
const reader = PartRef.nullable().describe(
  "The reader that saw the request; null when none did (remote, button)",
);
const groups = z
  .array(AccessGroupRef)
  .optional()
  .describe("The user's access groups that cover this door (webhooks can filter on them)");
/** Set when a device's input (its door contact, its exit button) caused the event. */
const reportedBy = SerialNumber.optional().describe("The device whose input caused it, when one did");
const seconds = (what: string) => z.number().min(0).describe(what);

export const AccessGrantedData = z
  .looseObject({
    door: DoorRef,
    reader,
    user: UserRef.nullable().describe("Who was let through; null when unknown (exit button, shared link)"),
    groups,
    credential: CredentialRef.nullable().describe("The credential presented; null when none was"),
    method: z.enum(GRANT_METHODS).describe("How access was granted; BAS-IP's vendor name follows it"),
    detail,
  })
  .describe("Who passed which door, how");
export type AccessGrantedData = z.infer<typeof AccessGrantedData>;

export const AccessDeniedData = z
  .looseObject({
    door: DoorRef,
    reader,
    credential: CredentialRef.nullable().describe("The credential presented; null when none was"),
    user: UserRef.nullable().describe("The credential's user, when known"),
    groups,
    reason: z.enum(DENY_REASONS).describe("Why access was refused; BAS-IP's vendor name follows it"),
    detail,
  })
  .describe("Who was refused at which door, and why");
export type AccessDeniedData = z.infer<typeof AccessDeniedData>;

/** door.opened and door.closed: the contact changed. */
export const DoorContactData = z
  .looseObject({
    door: DoorRef,
    sensor: PartRef.describe("The door contact that reported it"),
    serial_number: reportedBy,
  })
  .describe("A door contact's new state");
export type DoorContactData = z.infer<typeof DoorContactData>;
export type DoorOpenedData = DoorContactData;
export type DoorClosedData = DoorContactData;

/** door.forced_open and lock.emergency_unlocked: the door is all there is to say. */
export const DoorOnlyData = z
  .looseObject({ door: DoorRef, serial_number: reportedBy })
  .describe("The door it happened at");
export type DoorOnlyData = z.infer<typeof DoorOnlyData>;
export type DoorForcedOpenData = DoorOnlyData;
export type LockEmergencyUnlockedData = DoorOnlyData;

export const DoorHeldOpenData = z
  .looseObject({ door: DoorRef, open_for_s: seconds("How long the door has been open, in seconds") })
  .describe("A door left open too long");
export type DoorHeldOpenData = z.infer<typeof DoorHeldOpenData>;

export const DoorSecuredData = z
  .looseObject({
    door: DoorRef,
    previous: z.enum(["forced", "held"]).describe("What the door was before it closed: forced or held open"),
    serial_number: reportedBy,
  })
  .describe("A forced or held-open door closed again");
export type DoorSecuredData = z.infer<typeof DoorSecuredData>;

const doorMode = z.enum(DOOR_MODES);

export const DoorModeChangedData = z
  .looseObject({
    door: DoorRef,
    mode: doorMode.describe("The door's new mode"),
    previous_mode: doorMode.optional().describe("The mode it left"),
  })
  .describe("A door's new mode");
export type DoorModeChangedData = z.infer<typeof DoorModeChangedData>;

/** lock.unlocked and lock.locked. */
export const LockStateData = z
  .looseObject({
    door: DoorRef,
    lock: PartRef.describe("The lock that moved"),
    cause: z.enum(LOCK_CAUSES).describe("What moved it"),
    serial_number: reportedBy,
  })
  .describe("A lock's new state and why");
export type LockStateData = z.infer<typeof LockStateData>;
export type LockUnlockedData = LockStateData;
export type LockLockedData = LockStateData;

export const LockUnlockedTooLongData = z
  .looseObject({ door: DoorRef, unlocked_for_s: seconds("How long the lock has been released, in seconds") })
  .describe("A lock left released too long");
export type LockUnlockedTooLongData = z.infer<typeof LockUnlockedTooLongData>;
