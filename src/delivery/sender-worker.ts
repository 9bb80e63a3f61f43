// The sender thread's entry: runs a Sender on its own event loop and answers the main thread in batches.
import { type MessagePort, parentPort, workerData } from "node:worker_threads";
import type { SendResult } from "./request-sender.js";
import { Sender, type SenderOptions } from "./sender.js";
import { type FromSenderWorker, type ToSenderWorker, unpackOrders } from "./sender-protocol.js";

if (!parentPort) throw new Error("sender-worker runs as a worker thread, started by SenderThread");
const port: MessagePort = parentPort;

const sender = new Sender(workerData as SenderOptions);
let ids: number[] = [];
let results: SendResult[] = [];
let flushQueued = false;

function answer(id: number, result: SendResult): void {
  ids.push(id);
  results.push(result);
  // Responses finishing in the same turn of the loop go back as one message: a postMessage costs
  // several µs on each side, a batch pays it once.
  if (!flushQueued) {
    flushQueued = true;
    setImmediate(flush);
  }
}

function flush(): void {
  flushQueued = false;
  if (ids.length === 0) return;
  const message: FromSenderWorker = { kind: "results", ids, results };
  ids = [];
  results = [];
  port.postMessage(message);
}

port.on("message", (message: ToSenderWorker) => {
  if (message.kind === "send") {
    for (const order of unpackOrders(message)) {
      void sender.send(order, order.timeoutMs).then((result) => answer(order.id, result));
    }
  } else {
    void sender.close().then(() => {
      flush();
      port.postMessage({ kind: "closed" } satisfies FromSenderWorker);
    });
  }
});
