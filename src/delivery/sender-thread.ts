// Sends webhook requests from a worker thread, so the main event loop only builds requests and records results.
import { Worker } from "node:worker_threads";
import { workerEntry } from "../lib/module-worker.js";
import type { RequestSender, SendResult, WireRequest } from "./request-sender.js";
import type { SenderOptions } from "./sender.js";
import { type FromSenderWorker, packOrders, type SendOrder, type ToSenderWorker } from "./sender-protocol.js";

interface Pending {
  resolve(result: SendResult): void;
  startedAt: number;
}

/**
 * The same sender as `Sender` (undici, SSRF guard, deadline, body cap), run in a worker thread: the undici
 * dispatch, the response parsing and the timers cost the main loop nothing but the thread crossing, which is
 * paid once per batch of the requests issued in one turn of the loop. The worker starts at the first send;
 * if it dies, what it had under way answers with an error and the next send starts a new one.
 */
export class SenderThread implements RequestSender {
  private worker: Worker | null = null;
  /** The worker keeps the process alive only while it has work: a forgotten sender never holds a test open. */
  private referenced = false;
  /** Resolves when the current worker has exited. */
  private exited: Promise<void> = Promise.resolve();
  private readonly pending = new Map<number, Pending>();
  /** Orders not yet posted, with the newest ids: they go out together at the end of this turn. */
  private orders: SendOrder[] = [];
  private flushQueued = false;
  private nextId = 1;
  private state: "open" | "closing" | "closed" = "open";

  constructor(private readonly options: SenderOptions) {}

  send(req: WireRequest, timeoutMs: number): Promise<SendResult> {
    if (this.state !== "open") {
      return Promise.resolve({ error: "sender closed: no new requests are sent", durationMs: 0 });
    }
    return new Promise<SendResult>((resolve) => {
      const id = this.nextId++;
      this.pending.set(id, { resolve, startedAt: performance.now() });
      this.orders.push({ id, timeoutMs, url: req.url, headers: req.headers, body: req.body });
      if (!this.flushQueued) {
        this.flushQueued = true;
        // setImmediate rather than a microtask: it also gathers the sends that the other I/O callbacks of
        // this turn (responses freeing slots, commits handing off work) are about to make.
        setImmediate(() => this.flush());
      }
    });
  }

  /** Lets the requests under way finish, then ends the worker. */
  async close(): Promise<void> {
    if (this.state !== "open") return this.exited;
    this.state = "closing";
    this.flush();
    const worker = this.worker;
    if (!worker) {
      this.state = "closed";
      return;
    }
    this.updateRef();
    worker.postMessage({ kind: "close" } satisfies ToSenderWorker);
    await this.exited;
  }

  /** Aborts every request under way: each answers with an error, and the worker (with its sockets) ends. */
  async destroy(): Promise<void> {
    this.state = "closed";
    this.orders = [];
    this.failPending("aborted: the sender was destroyed");
    const worker = this.worker;
    this.worker = null;
    if (worker) await worker.terminate();
    await this.exited;
  }

  private flush(): void {
    this.flushQueued = false;
    if (this.orders.length === 0) return;
    let worker: Worker;
    try {
      worker = this.worker ?? this.start();
    } catch (error) {
      // Not a thread that stopped but one that never ran; these sends answer, and the next ones try again.
      this.orders = [];
      this.failPending(`sender thread could not start: ${(error as Error).message}`);
      return;
    }
    worker.postMessage(packOrders(this.orders) satisfies ToSenderWorker);
    this.orders = [];
    this.updateRef();
  }

  private start(): Worker {
    const worker = new Worker(workerEntry(import.meta.url, "sender-worker"), { workerData: this.options });
    let failure: string | null = null;
    worker.on("message", (message: FromSenderWorker) => this.onMessage(worker, message));
    worker.on("error", (error) => {
      failure = error.message;
    });
    this.exited = new Promise<void>((resolve) => {
      worker.once("exit", (code) => {
        this.onExit(worker, failure ?? `exited with code ${code}`);
        resolve();
      });
    });
    this.worker = worker;
    this.referenced = true;
    return worker;
  }

  private onMessage(worker: Worker, message: FromSenderWorker): void {
    if (message.kind === "closed") {
      void worker.terminate();
      return;
    }
    const { ids, results } = message;
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i] as number;
      const pending = this.pending.get(id);
      if (!pending) continue;
      this.pending.delete(id);
      pending.resolve(results[i] as SendResult);
    }
    if (this.pending.size === 0) this.updateRef();
  }

  private onExit(worker: Worker, reason: string): void {
    if (this.worker !== worker) return; // destroyed: its sends have answered already
    this.worker = null;
    this.referenced = false;
    if (this.state === "closing") this.state = "closed";
    // Orders not yet posted never reached this worker; the next flush gives them to a new one.
    this.failPending(`sender thread stopped: ${reason}`, this.orders[0]?.id ?? Number.POSITIVE_INFINITY);
  }

  /** Answers every pending send with an id below `before` with an error. */
  private failPending(error: string, before = Number.POSITIVE_INFINITY): void {
    const now = performance.now();
    for (const [id, pending] of this.pending) {
      if (id >= before) break; // ids grow in insertion order
      this.pending.delete(id);
      pending.resolve({ error, durationMs: Math.round(now - pending.startedAt) });
    }
  }

  private updateRef(): void {
    const busy = this.pending.size > 0 || this.state === "closing";
    if (!this.worker || busy === this.referenced) return;
    this.referenced = busy;
    if (busy) this.worker.ref();
    else this.worker.unref();
  }
}
