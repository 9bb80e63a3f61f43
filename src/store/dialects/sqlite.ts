// The embedded default: one SQLite file in WAL mode, written by one process.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import SQLite from "better-sqlite3";
import type { StoreAdapter } from "../dialect.js";
import { WalCheckpointer } from "./sqlite-checkpointer.js";
import { DurableSqliteDialect, FileSync } from "./sqlite-durable.js";
import { withStatementCache } from "./sqlite-statement-cache.js";

/**
 * Holds an exclusive SQLite lock on `gatehouse.lock` for the life of the process, so a second
 * Gatehouse on the same directory fails at start instead of freeing the first one's leases.
 * The operating system drops the lock when the process dies, even by SIGKILL.
 */
function lockDataDir(dataDir: string): SQLite.Database {
  const lock = new SQLite(join(dataDir, "gatehouse.lock"), { timeout: 0 });
  try {
    lock.pragma("locking_mode = EXCLUSIVE");
    lock.exec("BEGIN EXCLUSIVE; COMMIT;");
    return lock;
  } catch {
    lock.close();
    throw new Error(`another Gatehouse process is using the data directory ${dataDir}`);
  }
}

/**
 * WAL pages at which the main connection checkpoints by itself, on the event loop: reached only when the
 * checkpoint thread falls behind or fails, or when writes never pause long enough for the WAL to restart.
 */
const FALLBACK_AUTOCHECKPOINT_PAGES = 10_000;

export function sqliteAdapter(
  dataDir: string,
  options: { onCheckpointError?: (error: Error) => void } = {},
): StoreAdapter {
  mkdirSync(dataDir, { recursive: true });
  const lock = lockDataDir(dataDir);
  const path = join(dataDir, "gatehouse.db");
  const db = new SQLite(path);
  db.pragma("journal_mode = WAL");
  // Each commit is durable against power loss before its caller hears of it, as with synchronous=FULL, but
  // the WAL's fsync runs on the thread pool after COMMIT instead of inside it, on the event loop (ADR 0002).
  // NORMAL keeps SQLite's own syncs around checkpoints. Group commit keeps it to one sync per batch.
  db.pragma("synchronous = NORMAL");
  db.pragma("busy_timeout = 5000");
  db.pragma("foreign_keys = ON");
  db.pragma(`wal_autocheckpoint = ${FALLBACK_AUTOCHECKPOINT_PAGES}`);
  const checkpointer = new WalCheckpointer(path, { onError: options.onCheckpointError });
  return {
    name: "sqlite",
    dialect: new DurableSqliteDialect(
      { database: withStatementCache(db) },
      new FileSync(`${path}-wal`),
      checkpointer,
    ),
    singleProcess: true,
    skipLocked: false,
    identityType: "integer",
    identity: (col) => col.primaryKey().autoIncrement(),
    bigintType: "integer",
    // One process owns the file; SQLite's own write lock serialises anything else.
    withMigrationLock: (fn) => fn(),
    close: async () => {
      if (db.open) db.close();
      if (lock.open) lock.close();
    },
  };
}
