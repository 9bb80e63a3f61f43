// The domain types the access decision reads: sites, doors, users, credentials, groups, schedules, holidays.

/**
 * A point in time as stored or sent: epoch milliseconds, or an ISO 8601 string with a time and an
 * explicit offset ("2026-03-01T08:00:00Z", "…+01:00"). A string without an offset would be read in
 * the server's own zone, so it is refused (see `toEpochMs`).
 */
export type Instant = number | string;

export interface Site {
  id: string;
  /** IANA zone ("Europe/Berlin"); schedules and holidays are read in this zone's wall-clock time. */
  time_zone: string;
}

export const DOOR_MODES = ["normal", "unlocked", "locked_down"] as const;
export type DoorMode = (typeof DOOR_MODES)[number];
export type Direction = "entry" | "exit";

export interface Door {
  id: string;
  site_id: string;
  mode: DoorMode;
  /** Card + PIN: a credential other than a PIN must be followed by a PIN that the caller verified. */
  requires_pin: boolean;
  /** For anti-passback: the area this door leads into (`entry`) or out of (`exit`). */
  area?: { id: string; direction: Direction };
}

export type ActivityStatus = "active" | "suspended";

export interface User {
  id: string;
  name: string;
  status: ActivityStatus;
  /** Inclusive. */
  valid_from?: Instant;
  /** Exclusive: at `valid_until` the user is already expired. */
  valid_until?: Instant;
}

export type CredentialKind = "card" | "pin" | "qr" | "mobile" | "face";

export interface Credential {
  id: string;
  user_id: string | null;
  kind: CredentialKind;
  status: ActivityStatus;
  /** Inclusive. */
  valid_from?: Instant;
  /** Exclusive. */
  valid_until?: Instant;
  /** Only for kind `card`. */
  card?: { facility_code: number; card_number: string };
  /** Only for kind `pin`; never leaves the store and never appears in an event. */
  pin_hash?: string;
}

export interface AccessGroup {
  id: string;
  door_ids: readonly string[];
  schedule_id: string;
}

/** 0 = Sunday … 6 = Saturday, as `Date.prototype.getDay`. */
export type Weekday = 0 | 1 | 2 | 3 | 4 | 5 | 6;

/**
 * One weekly window, local wall-clock time, start inclusive and end exclusive. `end` may be "24:00"
 * (to the end of the day). A window must end after it starts: one crossing midnight is written as
 * two windows (Fri 22:00–24:00 and Sat 00:00–06:00); a window with end <= start matches nothing.
 */
export interface ScheduleWindow {
  day: Weekday;
  start: string;
  end: string;
}

export interface Schedule {
  id: string;
  windows: readonly ScheduleWindow[];
}

/**
 * A local calendar day on which access is denied whatever the schedules say. All day, or only
 * between `start` and `end` (local wall-clock, same rules as a schedule window).
 */
export type Holiday = {
  site_id: string;
  /** Local date, "YYYY-MM-DD". */
  date: string;
  behaviour: "deny";
} & ({ all_day: true } | { all_day: false; start: string; end: string });

/** One user's last granted direction per area id; an area not present has no passage recorded. */
export type AntiPassbackState = Readonly<Record<string, Direction>>;

const OFFSET_ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/** Epoch milliseconds of an `Instant`, or NaN when it cannot be read without guessing a zone. */
export function toEpochMs(instant: Instant): number {
  if (typeof instant === "number") return Number.isFinite(instant) ? instant : Number.NaN;
  return OFFSET_ISO.test(instant) ? Date.parse(instant) : Number.NaN;
}
