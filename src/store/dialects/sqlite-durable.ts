// Durable SQLite commits without blocking the event loop: the WAL is fsynced on libuv's thread pool after
// COMMIT, and a commit's caller hears of it only once that fsync is done (see docs/adr/0002). Work that needs
// only the commit, not its durability, may start at COMMIT (see docs/adr/0005).
import { type FileHandle, open } from "node:fs/promises";
import {
  type CompiledQuery,
  type DatabaseConnection,
  type DialectAdapter,
  type Driver,
  type QueryResult,
  SelectQueryNode,
  SqliteAdapter,
  SqliteDialect,
  type SqliteDialectConfig,
  type TransactionSettings,
} from "kysely";
import type { WalCheckpointer } from "./sqlite-checkpointer.js";

/**
 * fsyncs one file on the thread pool, coalescing callers: each call resolves once an fsync that *started
 * after the call* has completed, so whatever the caller wrote before calling is on disk. Calls made while
 * one fsync runs share the next one.
 */
export class FileSync {
  private handle: Promise<FileHandle> | null = null;
  private running: Promise<void> | null = null;
  private next: Promise<void> | null = null;

  constructor(private readonly path: string) {}

  sync(): Promise<void> {
    if (this.next) return this.next;
    if (!this.running) return this.start();
    this.next = this.running
      .catch(() => {})
      .then(() => {
        this.next = null;
        return this.start();
      });
    return this.next;
  }

  async close(): Promise<void> {
    const handle = this.handle;
    this.handle = null;
    await this.running?.catch(() => {});
    await (await handle?.catch(() => null))?.close();
  }

  private start(): Promise<void> {
    const run = this.fsync().finally(() => {
      if (this.running === run) this.running = null;
    });
    this.running = run;
    return run;
  }

  private async fsync(): Promise<void> {
    // Opened on first use: the file exists by then (SQLite creates the WAL before the first commit ends).
    // The connection keeps the WAL open for the life of the process, so this descriptor names the same file.
    this.handle ??= open(this.path, "r");
    try {
      await (await this.handle).datasync();
    } catch (error) {
      this.handle = null;
      throw error;
    }
  }
}

/**
 * SQLite's dialect with commits that are durable when they resolve. The database runs `synchronous=NORMAL`
 * (COMMIT only writes the WAL, no sync inside it); after every commit, and after every statement outside a
 * transaction that may write, the WAL is fsynced by `FileSync` before the caller's promise resolves. The
 * connection itself is released first, so the next transaction runs while the fsync is under way.
 */
export class DurableSqliteDialect extends SqliteDialect {
  constructor(
    config: SqliteDialectConfig,
    private readonly wal: FileSync,
    private readonly checkpointer?: WalCheckpointer,
  ) {
    super(config);
  }

  private readonly commits = new CommitHooks();

  override createDriver(): Driver {
    return new DurableDriver(super.createDriver(), this.wal, this.commits, this.checkpointer);
  }

  override createAdapter(): DialectAdapter {
    return new InProcessSqliteAdapter(this.commits);
  }
}

/**
 * Callbacks waiting for the open transaction's COMMIT. SQLite has one connection and Kysely's driver lends it
 * to one transaction at a time, so whatever is registered between BEGIN and COMMIT belongs to that
 * transaction: it runs once COMMIT returns, or is dropped if the transaction rolls back.
 */
class CommitHooks {
  private waiting: Array<() => void> = [];

  add(hook: () => void): void {
    this.waiting.push(hook);
  }

  committed(): void {
    const hooks = this.waiting;
    this.waiting = [];
    for (const hook of hooks) hook();
  }

  dropped(): void {
    this.waiting = [];
  }
}

/**
 * SQLite runs statements in this process: one more statement costs microseconds, not a network round trip.
 * Hot-path writes read this capability from the Kysely instance they are given (see `rowChunks`).
 */
export class InProcessSqliteAdapter extends SqliteAdapter {
  readonly statementsInProcess = true;

  constructor(private readonly commits: CommitHooks) {
    super();
  }

  /**
   * Runs `hook` when the open transaction's COMMIT returns: its writes are in the WAL, visible to every later
   * read and safe from a crash of this process, though not from a power cut until the fsync that follows.
   * See `afterCommit` in store/dialect.ts.
   */
  readonly afterCommit = (hook: () => void): void => this.commits.add(hook);
}

class DurableDriver implements Driver {
  private inTransaction = false;
  /** Something was written since the connection was acquired, and is not yet known to be on disk. */
  private unsynced = false;

  constructor(
    private readonly inner: Driver,
    private readonly wal: FileSync,
    private readonly commits: CommitHooks,
    private readonly checkpointer?: WalCheckpointer,
  ) {}

  init(): Promise<void> {
    return this.inner.init();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const connection = await this.inner.acquireConnection();
    return {
      executeQuery: async <R>(query: CompiledQuery): Promise<QueryResult<R>> => {
        const result = await connection.executeQuery<R>(query);
        if (!this.inTransaction && !SelectQueryNode.is(query.query)) this.unsynced = true;
        return result;
      },
      streamQuery: (query, chunkSize) => connection.streamQuery(query, chunkSize),
    };
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    this.inTransaction = true;
    await this.inner.beginTransaction(connection, settings);
    this.commits.dropped(); // nothing registered outside a transaction belongs to this one
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await this.inner.commitTransaction(connection);
    this.inTransaction = false;
    this.unsynced = true;
    this.commits.committed();
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    this.commits.dropped();
    await this.inner.rollbackTransaction(connection);
    this.inTransaction = false;
  }

  savepoint: Driver["savepoint"] = (...args) => this.inner.savepoint?.(...args) ?? unsupported();
  rollbackToSavepoint: Driver["rollbackToSavepoint"] = (...args) =>
    this.inner.rollbackToSavepoint?.(...args) ?? unsupported();
  releaseSavepoint: Driver["releaseSavepoint"] = (...args) =>
    this.inner.releaseSavepoint?.(...args) ?? unsupported();

  /** Frees the connection for the next caller, then waits for this one's writes to reach the disk. */
  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    const unsynced = this.unsynced;
    this.unsynced = false;
    this.inTransaction = false;
    await this.inner.releaseConnection(connection);
    if (!unsynced) return;
    await this.wal.sync();
    this.checkpointer?.written();
  }

  async destroy(): Promise<void> {
    // The checkpoint thread's connection closes first, so the main one is the last and removes the WAL.
    await this.checkpointer?.close();
    await this.inner.destroy();
    await this.wal.close();
  }
}

function unsupported(): never {
  throw new Error("savepoints are not supported by this driver");
}
