// Whether a device is connected, from its heartbeats and the time since the last one; pure, time passed in.

/** One device's liveness, stored by the caller. `last_seen_at` is epoch ms, null until the first heartbeat. */
export interface DeviceLiveness {
  connected: boolean;
  last_seen_at: number | null;
}

/** The event types this module decides; the caller adds `{ serial_number }` as their data. */
export type LivenessEventType = "device.connected" | "device.disconnected";

export interface LivenessStep {
  state: DeviceLiveness;
  events: LivenessEventType[];
}

/** A device that has never been heard from: not connected, never seen. */
export function initialDeviceLiveness(): DeviceLiveness {
  return { connected: false, last_seen_at: null };
}

/**
 * A heartbeat at `now`. A device that was not connected becomes connected and says so, the very first
 * heartbeat included: the console learns a device is online the moment it is, and every
 * `device.disconnected` follows a `device.connected`. A heartbeat arriving late (older than the last
 * one) never moves `last_seen_at` back.
 */
export function heartbeat(state: DeviceLiveness, now: number): LivenessStep {
  const lastSeen = state.last_seen_at === null ? now : Math.max(state.last_seen_at, now);
  return {
    state: { connected: true, last_seen_at: lastSeen },
    events: state.connected ? [] : ["device.connected"],
  };
}

/** Disconnected, once, when no heartbeat came for more than `timeoutMs`. Idempotent at the same `now`. */
export function checkLiveness(state: DeviceLiveness, now: number, timeoutMs: number): LivenessStep {
  if (state.connected && state.last_seen_at !== null && now - state.last_seen_at > timeoutMs) {
    return { state: { ...state, connected: false }, events: ["device.disconnected"] };
  }
  return { state, events: [] };
}

/**
 * The first instant at which `checkLiveness` disconnects the device (the timeout is exceeded one ms
 * after it elapses), or null when it is not connected. A sweeper indexes this and checks at or after it.
 */
export function livenessDueAt(state: DeviceLiveness, timeoutMs: number): number | null {
  return state.connected && state.last_seen_at !== null ? state.last_seen_at + timeoutMs + 1 : null;
}
