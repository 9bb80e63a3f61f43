// Prepared-statement cache for SQLite: Kysely's driver prepares every query it runs, and with
// better-sqlite3 preparing (parsing and planning the SQL) costs more than running the hot path's statements.
import type SQLite from "better-sqlite3";
import type { SqliteDatabase } from "kysely";

/**
 * Wraps a database for Kysely's SqliteDialect so that `prepare` answers a cached statement for SQL it has
 * seen before. Statements are reusable: each call binds its own parameters. The cache is a bounded LRU,
 * because multi-row inserts and `in (…)` lists produce one SQL text per row count.
 */
export function withStatementCache(db: SQLite.Database, maxEntries = 500): SqliteDatabase {
  const cache = new Map<string, SQLite.Statement>();
  return {
    prepare(sql: string): SQLite.Statement {
      const hit = cache.get(sql);
      if (hit) {
        // A statement still being iterated (a streamed select) cannot run again until it ends.
        if (hit.busy) return db.prepare(sql);
        // Map keeps insertion order: moving the hit to the end makes the first key the least recently used.
        cache.delete(sql);
        cache.set(sql, hit);
        return hit;
      }
      const stmt = db.prepare(sql);
      cache.set(sql, stmt);
      if (cache.size > maxEntries) cache.delete(cache.keys().next().value as string);
      return stmt;
    },
    close(): void {
      cache.clear();
      if (db.open) db.close();
    },
  };
}
