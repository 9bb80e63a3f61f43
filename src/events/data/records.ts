// The `data` of credential.*, alarm.* and schedule.* events: credentials issued, alarms, schedules.
import { z } from "zod";
import { typeError } from "../../lib/validation.js";
import { CredentialRef, DoorRef, ScheduleRef, UserRef } from "./refs.js";

const owner = UserRef.nullable().describe("The credential's user; null when it has none");

/** credential.created, credential.updated and credential.deleted. */
export const CredentialChangeData = z
  .looseObject({
    user: owner,
    credential: CredentialRef,
    card: z
      .looseObject({
        facility_code: z.int().min(0).describe("The card's facility (site) code"),
        card_number: z.string().describe("The card number as printed or encoded"),
      })
      .optional()
      .describe("The card's numbers, for a credential of kind card"),
  })
  .describe("A credential issued, changed or revoked");
export type CredentialChangeData = z.infer<typeof CredentialChangeData>;
export type CredentialCreatedData = CredentialChangeData;
export type CredentialUpdatedData = CredentialChangeData;
export type CredentialDeletedData = CredentialChangeData;

/** credential.face_enrolled, credential.face_updated and credential.face_removed. */
export const FaceCredentialData = z
  .looseObject({ user: owner, credential: CredentialRef })
  .describe("A face enrolled, replaced or removed");
export type FaceCredentialData = z.infer<typeof FaceCredentialData>;
export type CredentialFaceEnrolledData = FaceCredentialData;
export type CredentialFaceUpdatedData = FaceCredentialData;
export type CredentialFaceRemovedData = FaceCredentialData;

export const ALARM_SEVERITIES = ["info", "warning", "critical"] as const;

/** alarm.triggered, alarm.acknowledged and alarm.cleared (Kentix-style event handlers). */
export const AlarmData = z
  .looseObject({
    alarm_group: z.string().describe("The alarm group the sensor belongs to"),
    sensor: z.string().describe("The sensor that raised it"),
    severity: z.enum(ALARM_SEVERITIES).describe("How urgent it is"),
    value: z
      .union([z.number(), z.string(), z.boolean()], { error: typeError("a number, a string or a boolean") })
      .optional()
      .describe("The reading that crossed the threshold"),
  })
  .describe("An alarm and the reading behind it");
export type AlarmData = z.infer<typeof AlarmData>;
export type AlarmTriggeredData = AlarmData;
export type AlarmAcknowledgedData = AlarmData;
export type AlarmClearedData = AlarmData;

/** schedule.activated and schedule.deactivated. */
export const ScheduleData = z
  .looseObject({
    schedule: ScheduleRef,
    doors: z.array(DoorRef).describe("The doors it applies to"),
  })
  .describe("A schedule starting or ending, and the doors it affects");
export type ScheduleData = z.infer<typeof ScheduleData>;
export type ScheduleActivatedData = ScheduleData;
export type ScheduleDeactivatedData = ScheduleData;
