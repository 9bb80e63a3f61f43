// The references event data carries to what an event is about: doors, users, credentials, door parts.
import { z } from "zod";

/** Resource ids are integers ≥ 1, as in seed 004 and the Kisi payload. */
const resourceId = z.int().min(1);

export const CREDENTIAL_KINDS = ["card", "pin", "qr", "mobile", "face"] as const;
export const CredentialKind = z.enum(CREDENTIAL_KINDS).describe("What kind of credential it is");
export type CredentialKind = z.infer<typeof CredentialKind>;

export const DoorRef = z
  .looseObject({
    id: resourceId.describe("The door's id"),
    name: z.string().describe("The door's name, as people know it"),
  })
  .describe("The door");
export type DoorRef = z.infer<typeof DoorRef>;

export const UserRef = z
  .looseObject({
    id: resourceId.describe("The user's id"),
    name: z.string().describe("The user's display name"),
  })
  .describe("The user");
export type UserRef = z.infer<typeof UserRef>;

export const AccessGroupRef = z
  .looseObject({
    id: resourceId.describe("The access group's id"),
    name: z.string().describe("The access group's name"),
  })
  .describe("An access group");
export type AccessGroupRef = z.infer<typeof AccessGroupRef>;

export const CredentialRef = z
  .looseObject({
    id: resourceId.nullable().describe("The stored credential's id; null when nothing stored matched"),
    kind: CredentialKind,
    // The secret never appears in an event: only what a person needs to recognise the credential.
    masked: z.string().describe('A hint for people, never the secret: "****" and the last 4 characters'),
  })
  .describe("The credential, masked");
export type CredentialRef = z.infer<typeof CredentialRef>;

/** A reader, lock or sensor: a part of a door, named rather than numbered. */
export const PartRef = z
  .looseObject({ name: z.string().describe("The part's name") })
  .describe("A part of the door");
export type PartRef = z.infer<typeof PartRef>;

export const ScheduleRef = z
  .looseObject({
    id: resourceId.describe("The schedule's id"),
    name: z.string().describe("The schedule's name"),
  })
  .describe("The schedule");
export type ScheduleRef = z.infer<typeof ScheduleRef>;

export const SerialNumber = z.string().describe("The device's serial number");
