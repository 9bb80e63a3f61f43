// A door and its lock as a pure state machine: contact, lock, alarms and timers in, events out.

import type { DoorMode } from "./model.js";

/**
 * What the state machine reads about a door. `mode` is the door's mode *before* the input: after a
 * `mode` input the caller stores the new mode, so the next call sees it. Every mode change goes
 * through `applyDoorInput`, otherwise the lock and the mode drift apart.
 */
export interface DoorConfig {
  id: number;
  name: string;
  mode: DoorMode;
  unlock_duration_s: number;
  held_open_threshold_s: number;
  reader_name: string;
  lock_name: string;
  sensor_name: string;
}

/** One door's state, stored by the caller. Times are epoch ms. */
export interface DoorState {
  contact: "open" | "closed";
  lock: "locked" | "unlocked";
  /** While the lock is unlocked by a grant, remote unlock or exit: when it relocks (null when unlocked by mode or locked). */
  relock_at: number | null;
  /** An opening before this instant is authorised (grant, remote unlock, exit request). */
  authorised_until: number | null;
  open_since: number | null;
  /** The alarm the door is in: forced or held, cleared by door.secured on closing. */
  alarm: "forced" | "held" | null;
  /** While an authorised opening lasts and no alarm is raised: when it becomes held open. */
  held_at: number | null;
  /** When the sweeper must next call `advanceDoor` (relock or held-open threshold), or null. */
  due_at: number | null;
}

export type DoorInput =
  | { kind: "contact"; state: "open" | "closed" }
  /** Request to exit: unlocks for unlock_duration_s and authorises an opening. */
  | { kind: "exit_button" }
  /** After an access.granted decision or a remote unlock; `seconds` overrides unlock_duration_s. */
  | { kind: "grant"; seconds?: number; cause: "access_granted" | "remote_api" }
  | { kind: "mode"; mode: DoorMode };

export const LOCK_CAUSES = [
  "access_granted",
  "exit_button",
  "remote_api",
  "door_mode",
  "relock_timer",
] as const;
export type LockCause = (typeof LOCK_CAUSES)[number];

export type DoorEventType =
  | "door.opened"
  | "door.closed"
  | "door.forced_open"
  | "door.held_open"
  | "door.secured"
  | "door.mode_changed"
  | "lock.unlocked"
  | "lock.locked";

/** An event to emit. `at` is when it happened: a timer's own deadline, not the sweeper's late call. */
export interface DoorEffect {
  type: DoorEventType;
  data: Record<string, unknown>;
  at: number;
}

export interface DoorStep {
  state: DoorState;
  events: DoorEffect[];
}

/** A new door: closed, and locked unless its mode is `unlocked`. */
export function initialDoorState(mode: DoorMode): DoorState {
  return {
    contact: "closed",
    lock: mode === "unlocked" ? "unlocked" : "locked",
    relock_at: null,
    authorised_until: null,
    open_since: null,
    alarm: null,
    held_at: null,
    due_at: null,
  };
}

/** The earliest deadline `advanceDoor` acts on. A relock waits for an open door to close, so it is not due then. */
export function doorDueAt(state: DoorState): number | null {
  const relock = state.lock === "unlocked" && state.contact === "closed" ? state.relock_at : null;
  const held = state.contact === "open" && state.alarm === null ? state.held_at : null;
  if (relock === null) return held;
  return held === null ? relock : Math.min(relock, held);
}

/** A transition in progress: a private copy of the state, changed in place, and the events so far. */
interface Draft {
  config: DoorConfig;
  state: DoorState;
  events: DoorEffect[];
  now: number;
}

const doorRef = (config: DoorConfig) => ({ id: config.id, name: config.name });

function emit(d: Draft, type: DoorEventType, data: Record<string, unknown> = {}, at = d.now): void {
  d.events.push({ type, data: { door: doorRef(d.config), ...data }, at });
}

function emitLock(d: Draft, type: "lock.unlocked" | "lock.locked", cause: LockCause, at = d.now): void {
  emit(d, type, { lock: { name: d.config.lock_name }, cause }, at);
}

function finish(d: Draft): DoorStep {
  return { state: { ...d.state, due_at: doorDueAt(d.state) }, events: d.events };
}

const later = (a: number | null, b: number): number => (a === null ? b : Math.max(a, b));

/**
 * Time passing, up to `now`: a closed door whose relock time has come relocks; an authorised opening
 * that lasts past its threshold becomes held open (once per opening); an expired authorisation goes.
 * Idempotent at the same `now`.
 */
export function advanceDoor(config: DoorConfig, state: DoorState, now: number): DoorStep {
  const d: Draft = { config, state: { ...state }, events: [], now };
  const s = d.state;
  // Only one of the two can fire: a relock needs the door closed, held open needs it open.
  if (s.lock === "unlocked" && s.relock_at !== null && s.relock_at <= now && s.contact === "closed") {
    emitLock(d, "lock.locked", "relock_timer", s.relock_at);
    s.lock = "locked";
    s.relock_at = null;
  }
  if (s.held_at !== null && s.held_at <= now && s.contact === "open" && s.alarm === null) {
    const openFor = Math.floor((s.held_at - (s.open_since ?? s.held_at)) / 1000);
    emit(d, "door.held_open", { open_for_s: openFor }, s.held_at);
    s.alarm = "held";
    s.held_at = null;
  }
  // An expired authorisation is dropped silently: it authorises nothing any more.
  if (s.authorised_until !== null && s.authorised_until <= now) s.authorised_until = null;
  return finish(d);
}

/**
 * One input at `now`. Deadlines up to `now` fire first (a late sweeper changes only latency), so a
 * relock due before an opening is reported before it and the opening is judged on the relocked door.
 * `now` comes from the server's clock and never goes back between calls for one door.
 */
export function applyDoorInput(
  config: DoorConfig,
  state: DoorState,
  input: DoorInput,
  now: number,
): DoorStep {
  const caughtUp = advanceDoor(config, state, now);
  const d: Draft = { config, state: { ...caughtUp.state }, events: [...caughtUp.events], now };
  switch (input.kind) {
    case "contact":
      if (input.state === "open") open(d);
      else close(d);
      break;
    case "exit_button":
      unlockFor(d, config.unlock_duration_s, "exit_button");
      break;
    case "grant":
      unlockFor(d, input.seconds ?? config.unlock_duration_s, input.cause);
      break;
    case "mode":
      changeMode(d, input.mode);
      break;
  }
  return finish(d);
}

/** An opening is authorised in free access, or before `authorised_until`; otherwise it is forced. */
function open(d: Draft): void {
  const s = d.state;
  if (s.contact === "open") return;
  s.contact = "open";
  s.open_since = d.now;
  emit(d, "door.opened", { sensor: { name: d.config.sensor_name } });
  const freeAccess = d.config.mode === "unlocked";
  if (!freeAccess && !(s.authorised_until !== null && d.now < s.authorised_until)) {
    emit(d, "door.forced_open");
    s.alarm = "forced";
  } else if (!freeAccess) {
    s.held_at = d.now + d.config.held_open_threshold_s * 1000;
  }
}

/**
 * Closing ends the opening: an alarm is secured, a lock unlocked by a timer relocks at once (relock on
 * close, so nobody follows on the rest of the unlock time), and the authorisation is used up.
 */
function close(d: Draft): void {
  const s = d.state;
  if (s.contact === "closed") return;
  s.contact = "closed";
  emit(d, "door.closed", { sensor: { name: d.config.sensor_name } });
  if (s.alarm !== null) emit(d, "door.secured", { previous: s.alarm });
  if (s.lock === "unlocked" && s.relock_at !== null) {
    emitLock(d, "lock.locked", "relock_timer");
    s.lock = "locked";
    s.relock_at = null;
  }
  s.alarm = null;
  s.open_since = null;
  s.held_at = null;
  s.authorised_until = null;
}

/**
 * A grant, remote unlock or exit request: unlocks until now + seconds (a lock already unlocked only
 * has its timer extended, never shortened) and authorises an opening until then.
 * - `unlocked` mode: nothing to do, the lock is open and every opening authorised.
 * - `locked_down`: grants are refused upstream and ignored here (fail closed). An exit request
 *   authorises the opening without unlocking: egress stays free (mechanical exit hardware), entry
 *   does not, and someone leaving is not reported as forcing the door.
 * While the door is open without an alarm, a new grant restarts the held-open clock: the door is in use.
 */
function unlockFor(d: Draft, seconds: number, cause: "access_granted" | "exit_button" | "remote_api"): void {
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw new RangeError(`seconds: must be a positive number, got ${seconds}`);
  }
  const { mode } = d.config;
  if (mode === "unlocked" || (mode === "locked_down" && cause !== "exit_button")) return;
  const s = d.state;
  const until = d.now + seconds * 1000;
  s.authorised_until = later(s.authorised_until, until);
  if (s.held_at !== null) s.held_at = Math.max(s.held_at, d.now + d.config.held_open_threshold_s * 1000);
  if (mode === "locked_down") return;
  if (s.lock === "locked") {
    s.lock = "unlocked";
    s.relock_at = until;
    emitLock(d, "lock.unlocked", cause);
  } else {
    s.relock_at = later(s.relock_at, until);
  }
}

/**
 * A mode change drops pending grants and relock timers. `unlocked` unlocks (free access, no held-open
 * alarm); `normal` and `locked_down` lock at once, even with the door open. An authorised opening that
 * outlasts free access gets a full held-open threshold from the change. An alarm already raised stays
 * until the door closes.
 */
function changeMode(d: Draft, mode: DoorMode): void {
  const previous = d.config.mode;
  if (mode === previous) return;
  const s = d.state;
  emit(d, "door.mode_changed", { mode, previous_mode: previous });
  s.authorised_until = null;
  s.relock_at = null;
  if (mode === "unlocked") {
    if (s.lock === "locked") emitLock(d, "lock.unlocked", "door_mode");
    s.lock = "unlocked";
    s.held_at = null;
    return;
  }
  if (s.lock === "unlocked") emitLock(d, "lock.locked", "door_mode");
  s.lock = "locked";
  if (previous === "unlocked" && s.contact === "open" && s.alarm === null) {
    s.held_at = d.now + d.config.held_open_threshold_s * 1000;
  }
}
