// What differs between stores, expressed as capabilities so the rest of the code never asks "which database?".
import type { ColumnDefinitionBuilder, Dialect, Kysely } from "kysely";
import type { Database } from "./schema.js";

/** What one node tells the others: work is waiting, webhooks or API keys changed. */
export type ClusterTopic = "work" | "webhooks" | "api_keys";

export interface ListenNotify {
  notify(topic: ClusterTopic): Promise<void>;
  /** Listens until the returned function is called, reconnecting by itself after a lost connection. */
  listen(onTopic: (topic: ClusterTopic) => void): Promise<() => Promise<void>>;
}

export interface StoreAdapter {
  /** A human name for logs and health output. */
  readonly name: string;
  readonly dialect: Dialect;
  /** Only this process uses the store, so leases left by a previous run can be freed at start. */
  readonly singleProcess: boolean;
  /** Claims may use `FOR UPDATE SKIP LOCKED` so that several nodes share the work. */
  readonly skipLocked: boolean;
  /** The column type for an auto-incrementing integer key, and how to declare it. */
  readonly identityType: "integer" | "bigserial";
  identity(col: ColumnDefinitionBuilder): ColumnDefinitionBuilder;
  /** Epoch-millisecond columns need 64 bits. */
  readonly bigintType: "integer" | "bigint";
  /** Cross-node signals (PostgreSQL LISTEN/NOTIFY); absent where one process owns the store. */
  readonly listenNotify?: ListenNotify;
  /** Serialises migrations when several nodes start at once. */
  withMigrationLock<T>(fn: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/**
 * Runs `hook` once the transaction `trx` belongs to has committed, as early as the store can tell: on SQLite
 * when COMMIT returns, before the WAL's fsync (ADR 0005). Returns false where the store has no such moment
 * (PostgreSQL: a commit is durable when it returns), and the caller runs the work after the commit instead.
 * `hook` must not throw: the transaction has committed by the time it runs.
 */
export function afterCommit(trx: Kysely<Database>, hook: () => void): boolean {
  const { adapter } = trx.getExecutor() as { adapter: { afterCommit?: (hook: () => void) => void } };
  if (!adapter.afterCommit) return false;
  adapter.afterCommit(hook);
  return true;
}
