// The messages the bench and its receiver process exchange over the IPC channel.

/** What the receiver counted since the last reset. Times are wall-clock ms (clock.ts). */
export interface ReceiverStats {
  /** Requests received, repeats included. */
  requests: number;
  /** Distinct `webhook-id`s received. */
  unique: number;
  duplicates: number;
  firstAt: number | null;
  lastAt: number | null;
  /** Sampled requests whose signature was checked, and how many of those failed. */
  signaturesChecked: number;
  signaturesBad: number;
  /** receipt time − embedded send time, per timed request (only when asked for). */
  latenciesMs?: number[];
}

export type ToReceiver =
  | { type: "reset"; id: number; secret: string }
  | { type: "stats"; id: number; latencies: boolean }
  /** Answers once `unique` reaches `count`. */
  | { type: "await"; id: number; count: number }
  | { type: "ping"; id: number };

export type FromReceiver =
  | { type: "ready"; port: number }
  | { type: "stats"; id: number; stats: ReceiverStats }
  | { type: "pong"; id: number; at: number }
  | { type: "done"; id: number };
