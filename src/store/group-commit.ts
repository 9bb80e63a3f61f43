// Group commit: writes queued in the same tick share one transaction, so a burst costs one sync, not one per write.
import type { Kysely, Transaction } from "kysely";
import { afterCommit } from "./dialect.js";
import type { Database } from "./schema.js";

/** Reads shared by every write in one batch, computed at most once per transaction. */
export class BatchContext {
  private memo = new Map<string, Promise<unknown>>();
  constructor(readonly trx: Transaction<Database>) {}
  once<T>(key: string, load: () => Promise<T>): Promise<T> {
    let hit = this.memo.get(key) as Promise<T> | undefined;
    if (!hit) {
      hit = load();
      this.memo.set(key, hit);
    }
    return hit;
  }
}

export type Write<T> = (ctx: BatchContext) => Promise<T>;

/**
 * Takes row locks for the given keys, in the order given. A batch locks the union of its writes' keys in
 * ascending order before any write runs, so two transactions never wait on each other's locks in a cycle.
 */
export type LockKeys = (trx: Transaction<Database>, sortedKeys: number[]) => Promise<void>;

/**
 * The keys a write locks: a list, or a function read when the write's batch starts, before anything is locked,
 * for a write that others may still join until then (ingest gathers the requests of a burst into one write).
 */
export type WriteKeys = readonly number[] | (() => readonly number[]);

interface Pending {
  write: Write<unknown>;
  lockKeys: WriteKeys;
  onCommitted: ((value: unknown) => void) | undefined;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

/** Batches whose writes have run and whose commit is not yet durable, at most: the pipeline's depth. */
const MAX_COMMITTING = 4;

/**
 * One batch's writes run at a time, in submission order. Once they have run, the batch commits (and, on
 * SQLite, waits for the WAL's fsync) while the next batch's writes already run: the commit's round trip and
 * the disk's sync overlap with the next batch instead of idling everything behind them.
 */
export class GroupCommit {
  private queue: Pending[] = [];
  /** Resolves when the batch whose writes are running has run them (or failed). */
  private writing: Promise<void> | null = null;
  private readonly committing = new Set<Promise<void>>();
  private scheduled = false;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly maxBatch = 500,
    private readonly lockKeys?: LockKeys,
  ) {}

  /**
   * Resolves once the write's transaction has committed durably. `lockKeys` are locked, sorted, before it
   * runs. `onCommitted` gets the write's result as soon as its transaction has committed, which on SQLite is
   * before that commit is durable (ADR 0005): for work that may start then, such as sending. It runs once
   * for every commit of the write (a write rerun after its batch failed may commit again) and before the
   * promise resolves. Should it throw, the promise rejects with that error, though the commit stands.
   */
  submit<T>(write: Write<T>, lockKeys: WriteKeys = [], onCommitted?: (value: T) => void): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({
        write,
        lockKeys,
        onCommitted: onCommitted as ((value: unknown) => void) | undefined,
        resolve: resolve as (v: unknown) => void,
        reject,
      });
      this.schedule();
    });
  }

  /** Resolves when everything submitted so far has committed or failed. */
  async flush(): Promise<void> {
    while (this.queue.length > 0 || this.writing || this.committing.size > 0) {
      if (this.writing) await this.writing;
      else if (this.queue.length > 0 && this.committing.size < MAX_COMMITTING) this.runBatch();
      else await Promise.race(this.committing);
    }
  }

  private schedule(): void {
    if (this.scheduled || this.writing || this.committing.size >= MAX_COMMITTING) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      if (!this.writing && this.committing.size < MAX_COMMITTING) this.runBatch();
    });
  }

  private runBatch(): void {
    const batch = this.queue.splice(0, this.maxBatch);
    if (batch.length === 0) return;
    let wrote!: () => void;
    const writing = new Promise<void>((resolve) => {
      wrote = resolve;
    });
    this.writing = writing;
    void writing.then(() => {
      if (this.writing === writing) this.writing = null;
      if (this.queue.length > 0) this.schedule();
    });
    const done = this.commit(batch, wrote).finally(() => {
      wrote();
      this.committing.delete(done);
      if (this.queue.length > 0) this.schedule();
    });
    this.committing.add(done);
  }

  /** Runs the batch in one transaction; `wrote` is called once its writes have run, before the commit. */
  private async commit(batch: Pending[], wrote: () => void = () => {}): Promise<void> {
    let announced = false;
    const failed = new Map<Pending, unknown>();
    const announce = (results: unknown[]) => {
      announced = true;
      batch.forEach((p, i) => {
        try {
          p.onCommitted?.(results[i]);
        } catch (error) {
          failed.set(p, error); // the commit stands; the caller hears of the failure instead of the result
        }
      });
    };
    try {
      const results = await this.db.transaction().execute(async (trx) => {
        const ctx = new BatchContext(trx);
        const keys = [...new Set(batch.flatMap((p) => keysOf(p)))].sort((a, b) => a - b);
        if (keys.length > 0 && this.lockKeys) await this.lockKeys(trx, keys);
        const out: unknown[] = [];
        for (const p of batch) out.push(await p.write(ctx));
        if (batch.some((p) => p.onCommitted)) afterCommit(trx, () => announce(out));
        wrote();
        return out;
      });
      if (!announced) announce(results);
      batch.forEach((p, i) => {
        if (failed.has(p)) p.reject(failed.get(p));
        else p.resolve(results[i]);
      });
    } catch (error) {
      wrote();
      if (batch.length === 1) {
        batch[0]?.reject(error);
        return;
      }
      // One bad write must not sink its neighbours: retry each alone so only the culprit fails.
      for (const p of batch) await this.commit([p]);
    }
  }
}

function keysOf(p: Pending): readonly number[] {
  return typeof p.lockKeys === "function" ? p.lockKeys() : p.lockKeys;
}
