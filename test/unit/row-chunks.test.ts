import SQLite from "better-sqlite3";
import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { rowChunks } from "../../src/store/dialects/compiled-once.js";
import { DurableSqliteDialect, FileSync } from "../../src/store/dialects/sqlite-durable.js";
import type { Database } from "../../src/store/schema.js";

// Neither database is queried: rowChunks only reads the dialect's capability. Nothing is written, so the
// WAL file is never opened.
const sqlite = new Kysely<Database>({
  dialect: new DurableSqliteDialect({ database: new SQLite(":memory:") }, new FileSync("/nonexistent-wal")),
});
const postgres = new Kysely<Database>({
  dialect: new PostgresDialect({
    pool: new pg.Pool({ connectionString: "postgres://nobody@127.0.0.1:1/none" }),
  }),
});
afterAll(async () => {
  await sqlite.destroy();
  await postgres.destroy();
});

const items = (n: number) => Array.from({ length: n }, (_, i) => i);
const lengths = (chunks: number[][]) => chunks.map((c) => c.length);

describe("rowChunks", () => {
  it("on SQLite, cuts any count into powers of two no longer than max, in order", () => {
    expect(lengths(rowChunks(sqlite, items(100), 1000))).toEqual([64, 32, 4]);
    expect(lengths(rowChunks(sqlite, items(1000), 1000))).toEqual([512, 256, 128, 64, 32, 8]);
    expect(lengths(rowChunks(sqlite, items(1300), 500))).toEqual([256, 256, 256, 256, 256, 16, 4]);
    expect(rowChunks(sqlite, [], 1000)).toEqual([]);
    for (let n = 1; n <= 1200; n++) {
      const chunks = rowChunks(sqlite, items(n), 1000);
      expect(chunks.flat()).toEqual(items(n));
      for (const c of chunks) expect([1, 2, 4, 8, 16, 32, 64, 128, 256, 512]).toContain(c.length);
    }
  });

  it("so that every batch size from 1 to 1,000 needs only ten statement shapes", () => {
    const shapes = new Set<number>();
    for (let n = 1; n <= 1000; n++) for (const c of rowChunks(sqlite, items(n), 1000)) shapes.add(c.length);
    expect(shapes.size).toBe(10);
  });

  it("on PostgreSQL, where each statement is a round trip, keeps chunks as long as max allows", () => {
    expect(lengths(rowChunks(postgres, items(100), 1000))).toEqual([100]);
    expect(lengths(rowChunks(postgres, items(1300), 500))).toEqual([500, 500, 300]);
    expect(rowChunks(postgres, items(1300), 500).flat()).toEqual(items(1300));
  });
});
