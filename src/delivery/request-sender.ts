// What sending one webhook request means, whichever thread does it: the request, its result, the sender's surface.
import type { OutgoingRequest } from "./request.js";

/** The part of an outgoing request that goes on the wire; the rest is for the attempt record. */
export type WireRequest = Pick<OutgoingRequest, "url" | "headers" | "body">;

export interface SendResult {
  status?: number;
  headers?: Record<string, string>;
  body?: string;
  durationMs: number;
  error?: string;
  refused?: boolean;
}

/**
 * Sends webhook requests. `send` never rejects: a failure of any kind, including a sender already closed,
 * is a result with `error`, which the dispatcher records and retries by its normal rules.
 */
export interface RequestSender {
  send(req: WireRequest, timeoutMs: number): Promise<SendResult>;
  /** Waits for the requests under way, then releases connections; later sends answer with an error. */
  close(): Promise<void>;
  /** Aborts every request under way (each answers with an error) and releases connections. */
  destroy(): Promise<void>;
}
