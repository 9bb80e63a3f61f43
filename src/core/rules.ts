// The access rules, one pure function each: given what a reader saw and what is stored, pass or decide.

import { wallClock } from "./local-time.js";
import type {
  AccessGroup,
  AntiPassbackState,
  Credential,
  CredentialKind,
  Door,
  Holiday,
  Instant,
  Schedule,
  Site,
  User,
} from "./model.js";
import { toEpochMs } from "./model.js";
import { holidayAt, wallClockInSchedule } from "./schedule.js";

/** Every `access.denied` reason in EVENTS.md: a closed list, extended there first. */
export const DENY_REASONS = [
  "unknown_credential",
  "unknown_qr",
  "invalid_credential",
  "invalid_face",
  "invalid_pin",
  "not_linked_to_user",
  "not_in_group",
  "outside_schedule",
  "holiday",
  "lockdown",
  "anti_passback",
  "remote_server_denied",
  "multi_credential_incomplete",
  "shared_credential_invalid",
] as const;
export type DenyReason = (typeof DENY_REASONS)[number];

/** The `access.granted` methods a presented credential can produce (EVENTS.md lists more, for other paths). */
export type GrantMethod = "credential" | "pin" | "qr" | "mobile" | "face";

export type Granted = { granted: true; method: GrantMethod; detail?: string };
/** `detail` narrows the reason for people (e.g. "user suspended"); the reason itself stays a catalog code. */
export type Denied = { granted: false; reason: DenyReason; detail?: string };
export type Decision = Granted | Denied;

/** Everything one decision needs, already loaded by the caller; `at` is epoch ms from the caller's clock. */
export interface AccessRequest {
  at: number;
  site: Site;
  door: Door;
  /** What the reader saw. For a PIN-only credential the caller looks it up by verifying hashes. */
  presented: { kind: CredentialKind; value: string };
  /** The stored credential matching `presented`, or null when none does. */
  credential: Credential | null;
  /** The credential's user, or null when it has none or it no longer exists. */
  user: User | null;
  /** The user's access groups (any door); the rules pick those that include this door. */
  groups: readonly AccessGroup[];
  /** At least the schedules those groups name; a group whose schedule is missing grants nothing. */
  schedules: readonly Schedule[];
  /** The site's holidays. */
  holidays: readonly Holiday[];
  /** The user's last granted direction per area. */
  antiPassback: AntiPassbackState;
  /** The caller's PIN verification: true/false when a PIN was entered and checked, undefined when none was. */
  pinOk: boolean | undefined;
}

/** A rule passes (undefined) or decides. Every rule fails closed on its own when its inputs are missing. */
export type Rule = (request: AccessRequest) => Decision | undefined;

const deny = (reason: DenyReason, detail?: string): Denied =>
  detail === undefined ? { granted: false, reason } : { granted: false, reason, detail };

/** The grant method for a credential kind: a card is the generic `credential`. */
export function grantMethod(kind: CredentialKind): GrantMethod {
  return kind === "card" ? "credential" : kind;
}

/** Why `at` is outside [valid_from, valid_until), or null when inside; an unreadable bound fails closed. */
export function validityProblem(
  item: { valid_from?: Instant; valid_until?: Instant },
  at: number,
): "not yet valid" | "expired" | "validity unreadable" | null {
  const from = item.valid_from === undefined ? Number.NEGATIVE_INFINITY : toEpochMs(item.valid_from);
  const until = item.valid_until === undefined ? Number.POSITIVE_INFINITY : toEpochMs(item.valid_until);
  if (Number.isNaN(from) || Number.isNaN(until)) return "validity unreadable";
  if (at < from) return "not yet valid";
  if (at >= until) return "expired";
  return null;
}

/** A door locked down opens for nobody, whatever they present. */
export const ruleLockdown: Rule = ({ door }) => (door.mode === "locked_down" ? deny("lockdown") : undefined);

/**
 * A door in `unlocked` mode is free access: the lock is already open, so every presentation is
 * granted, even an unknown card — a denial would record a refusal that did not happen.
 */
export const ruleUnlockedMode: Rule = ({ door, presented }) =>
  door.mode === "unlocked"
    ? { granted: true, method: grantMethod(presented.kind), detail: "door unlocked" }
    : undefined;

/** The presented value must match a stored credential of the same kind. QR has its own catalog code. */
export const ruleCredentialKnown: Rule = ({ presented, credential }) => {
  if (credential && credential.kind === presented.kind) return undefined;
  if (presented.kind === "qr") return deny("unknown_qr");
  // The catalog has no unknown_face: a face matching no enrolment is an invalid face.
  if (presented.kind === "face") return deny("invalid_face", "face not enrolled");
  return deny("unknown_credential");
};

/** The credential must be active and inside its validity window. Faces use the catalog's invalid_face. */
export const ruleCredentialValid: Rule = ({ credential, at }) => {
  if (!credential) return deny("invalid_credential", "no credential");
  const reason: DenyReason = credential.kind === "face" ? "invalid_face" : "invalid_credential";
  if (credential.status !== "active") return deny(reason, "credential suspended");
  const problem = validityProblem(credential, at);
  return problem ? deny(reason, `credential ${problem}`) : undefined;
};

/** The credential must belong to a user that still exists. */
export const ruleLinkedToUser: Rule = ({ credential, user }) => {
  if (!credential || credential.user_id === null) return deny("not_linked_to_user");
  if (!user || user.id !== credential.user_id) return deny("not_linked_to_user", "user not found");
  return undefined;
};

/**
 * The user must be active and inside their validity window. EVENTS.md has no user-level code, and
 * its reason list stays closed: a suspended or expired user makes every credential of theirs
 * invalid, so the reason is invalid_credential with a detail naming the user.
 */
export const ruleUserValid: Rule = ({ user, at }) => {
  if (!user) return deny("invalid_credential", "user not found");
  if (user.status !== "active") return deny("invalid_credential", "user suspended");
  const problem = validityProblem(user, at);
  return problem ? deny("invalid_credential", `user ${problem}`) : undefined;
};

/**
 * A PIN that was entered and failed always denies. A card+PIN door also denies when no PIN was
 * checked, unless the credential is itself a PIN (it was the PIN).
 */
export const rulePin: Rule = ({ door, credential, pinOk }) => {
  if (pinOk === false) return deny("invalid_pin");
  if (door.requires_pin && pinOk !== true && credential?.kind !== "pin") return deny("invalid_pin", "no PIN");
  return undefined;
};

/** The user's groups that include this door. */
export function groupsForDoor(groups: readonly AccessGroup[], doorId: string): AccessGroup[] {
  return groups.filter((g) => g.door_ids.includes(doorId));
}

/** Some group of the user must include the door. */
export const ruleInGroup: Rule = ({ groups, door }) =>
  groupsForDoor(groups, door.id).length > 0 ? undefined : deny("not_in_group");

/** Holidays override schedules: on a holiday of this site (local date) access is denied. */
export const ruleHoliday: Rule = ({ holidays, site, at }) => {
  const siteHolidays = holidays.filter((h) => h.site_id === site.id);
  if (siteHolidays.length === 0) return undefined;
  return holidayAt(siteHolidays, wallClock(at, site.time_zone)) ? deny("holiday") : undefined;
};

/** Some group including the door must have a schedule open now, in the site's local time. */
export const ruleSchedule: Rule = ({ groups, schedules, door, site, at }) => {
  const clock = wallClock(at, site.time_zone);
  const open = groupsForDoor(groups, door.id).some((g) => {
    const schedule = schedules.find((s) => s.id === g.schedule_id);
    return schedule !== undefined && wallClockInSchedule(schedule, clock);
  });
  return open ? undefined : deny("outside_schedule");
};

/**
 * Entering an area whose last recorded passage was an entry is denied (no re-entry without exit).
 * Exits are soft: always allowed, so someone who came in behind a colleague can still leave and
 * nobody is held in a building by a missed read.
 */
export const ruleAntiPassback: Rule = ({ door, antiPassback }) => {
  if (!door.area || door.area.direction === "exit") return undefined;
  return antiPassback[door.area.id] === "entry" ? deny("anti_passback") : undefined;
};

/** The anti-passback state after a granted passage through `door`; unchanged for a door with no area. */
export function nextAntiPassbackState(state: AntiPassbackState, door: Door): AntiPassbackState {
  if (!door.area) return state;
  return { ...state, [door.area.id]: door.area.direction };
}
