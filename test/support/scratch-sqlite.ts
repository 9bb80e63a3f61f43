// A scratch SQLite file in WAL mode with one table, `t`, for tests of what sits between Kysely and SQLite.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import SQLite from "better-sqlite3";
import type { Generated } from "kysely";

export interface ScratchDb {
  t: { id: Generated<number>; v: string };
}

export interface ScratchSqlite {
  raw: SQLite.Database;
  /** The WAL file a durable dialect fsyncs. */
  walPath: string;
  remove(): void;
}

export function scratchSqlite(): ScratchSqlite {
  const dir = mkdtempSync(join(tmpdir(), "gatehouse-scratch-"));
  const path = join(dir, "db.sqlite");
  const raw = new SQLite(path);
  raw.pragma("journal_mode = WAL");
  raw.exec("create table t (id integer primary key, v text not null)");
  return {
    raw,
    walPath: `${path}-wal`,
    remove: () => {
      if (raw.open) raw.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
