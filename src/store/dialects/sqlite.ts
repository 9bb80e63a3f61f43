// The embedded default: one SQLite file in WAL mode, written by one process.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import SQLite from "better-sqlite3";
import { SqliteDialect } from "kysely";
import type { StoreAdapter } from "../dialect.js";

export function sqliteAdapter(dataDir: string): StoreAdapter {
  mkdirSync(dataDir, { recursive: true });
  const db = new SQLite(join(dataDir, "gatehouse.db"));
  db.pragma("journal_mode = WAL");
  // FULL makes each commit durable against power loss; group commit keeps that to one sync per batch.
  db.pragma("synchronous = FULL");
  db.pragma("busy_timeout = 5000");
  db.pragma("foreign_keys = ON");
  return {
    name: "sqlite",
    dialect: new SqliteDialect({ database: db }),
    singleProcess: true,
    skipLocked: false,
    identityType: "integer",
    identity: (col) => col.primaryKey().autoIncrement(),
    bigintType: "integer",
    // One process owns the file; SQLite's own write lock serialises anything else.
    withMigrationLock: (fn) => fn(),
    close: async () => {
      if (db.open) db.close();
    },
  };
}
