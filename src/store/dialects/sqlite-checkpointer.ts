// Checkpoints the WAL from a thread of its own. SQLite's automatic checkpoint runs inside the COMMIT that
// crosses its threshold, on the event loop: it copies the WAL into the database file and fsyncs both.
import { once } from "node:events";
import { Worker } from "node:worker_threads";
import { workerEntry } from "../../lib/module-worker.js";
import type { CheckpointReply, CheckpointResult } from "./sqlite-checkpoint-worker.js";

export interface CheckpointerOptions {
  /** How long after a write the checkpoint runs; writes in between share it. */
  delayMs?: number;
  /** Told of a checkpoint that failed or a thread that died; the main connection's own checkpoints remain. */
  onError?: (error: Error) => void;
}

/**
 * Runs a PASSIVE checkpoint on the checkpoint thread shortly after writes, one at a time. The thread starts
 * with the first write, so a process that only reads never starts it.
 */
export class WalCheckpointer {
  private worker: Worker | null = null;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private dirty = false;
  private closed = false;
  /** Checkpoints completed, and the last one's figures: for tests and diagnostics. */
  completed = 0;
  last: CheckpointResult | null = null;

  constructor(
    private readonly path: string,
    private readonly options: CheckpointerOptions = {},
  ) {}

  /** Something was committed: it is checkpointed soon. */
  written(): void {
    this.dirty = true;
    this.schedule();
  }

  /** Waits for a checkpoint under way, then ends the thread. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
    const worker = this.worker;
    this.worker = null;
    if (!worker) return;
    const exited = once(worker, "exit");
    // Referenced until it has gone: an unreferenced thread is no reason to stay alive, and with the server
    // already closed the process would end here, before the rest of its shutdown ran.
    worker.ref();
    // The thread's connection closes before the main one, so the main one is the last to close: it checkpoints
    // what is left and removes the WAL, as it would without this thread.
    worker.postMessage("close");
    await exited;
  }

  private schedule(): void {
    if (this.closed || this.timer || this.running) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.running = this.checkpoint().finally(() => {
        this.running = null;
        if (this.dirty) this.schedule();
      });
    }, this.options.delayMs ?? 100);
    this.timer.unref();
  }

  private async checkpoint(): Promise<void> {
    this.dirty = false;
    let worker: Worker | null = null;
    try {
      worker = this.thread();
      const reply = await ask(worker);
      if (!reply.ok) throw new Error(`WAL checkpoint failed: ${reply.error}`);
      this.completed++;
      this.last = reply.result;
    } catch (error) {
      if (this.worker === worker) this.worker = null;
      this.options.onError?.(error as Error);
    } finally {
      worker?.unref();
    }
  }

  private thread(): Worker {
    if (!this.worker) {
      const worker = new Worker(workerEntry(import.meta.url, "sqlite-checkpoint-worker"), {
        workerData: { path: this.path },
      });
      worker.on("error", (error) => {
        if (this.worker === worker) this.worker = null;
        this.options.onError?.(error);
      });
      worker.unref();
      this.worker = worker;
    }
    return this.worker;
  }
}

/** One checkpoint on `worker`; the thread is referenced while it runs, so the process waits for it. */
function ask(worker: Worker): Promise<CheckpointReply> {
  return new Promise<CheckpointReply>((resolve, reject) => {
    const onExit = (code: number) => reject(new Error(`the checkpoint thread exited with code ${code}`));
    worker.once("exit", onExit);
    worker.once("message", (reply: CheckpointReply) => {
      worker.off("exit", onExit);
      resolve(reply);
    });
    worker.ref();
    worker.postMessage("checkpoint");
  });
}
