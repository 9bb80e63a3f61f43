// What crosses between the main thread and the sender thread, and how a batch of requests is packed to cross.
import type { SendResult, WireRequest } from "./request-sender.js";

/** One request to send; `id` is how its result finds its way back to the caller. */
export interface SendOrder extends WireRequest {
  id: number;
  timeoutMs: number;
}

/** A batch of orders packed by `packOrders`: their metadata as one JSON text, their bodies end to end. */
export interface PackedOrders {
  kind: "send";
  meta: string;
  bodies: string;
}

export type ToSenderWorker = PackedOrders | { kind: "close" };

/** Results come as two parallel arrays; `closed` follows the last result once the sender has closed. */
export type FromSenderWorker = { kind: "results"; ids: number[]; results: SendResult[] } | { kind: "closed" };

type OrderMeta = [
  id: number,
  timeoutMs: number,
  url: string,
  headers: Record<string, string>,
  bodyLength: number,
];

/**
 * Packs orders into two strings. postMessage structured-clones what it is given, and for ~20 orders of
 * small objects that cost ~5.5 µs per order on the main thread; two strings cost ~2 µs, packing included
 * (measured on the 2-core machine). Lengths are in UTF-16 code units, as `slice` counts, so a body may hold
 * any character.
 */
export function packOrders(orders: readonly SendOrder[]): PackedOrders {
  const meta: OrderMeta[] = [];
  let bodies = "";
  for (const o of orders) {
    meta.push([o.id, o.timeoutMs, o.url, o.headers, o.body.length]);
    bodies += o.body;
  }
  return { kind: "send", meta: JSON.stringify(meta), bodies };
}

export function unpackOrders(packed: PackedOrders): SendOrder[] {
  const orders: SendOrder[] = [];
  let at = 0;
  for (const [id, timeoutMs, url, headers, bodyLength] of JSON.parse(packed.meta) as OrderMeta[]) {
    orders.push({ id, timeoutMs, url, headers, body: packed.bodies.slice(at, at + bodyLength) });
    at += bodyLength;
  }
  return orders;
}
