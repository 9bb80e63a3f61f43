// The scale-out store: PostgreSQL shared by any number of Gatehouse nodes.
import { PostgresDialect } from "kysely";
import pg from "pg";
import type { StoreAdapter } from "../dialect.js";
import { postgresListenNotify } from "./postgres-notify.js";

// int8 columns hold epoch milliseconds and ids, all far below 2^53: read them as numbers, not strings.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

/** Any fixed number works as long as every node uses the same one. */
const MIGRATION_LOCK_KEY = 0x6761_7465;

export interface PostgresOptions {
  url: string;
  poolSize: number;
  onPoolError(error: Error): void;
}

export function postgresAdapter(options: PostgresOptions): StoreAdapter & { pool: pg.Pool } {
  const pool = new pg.Pool({
    connectionString: options.url,
    // The migration lock holds one connection while the migrator uses another.
    max: Math.max(2, options.poolSize),
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    application_name: "gatehouse",
  });
  // An idle client losing its connection emits here; without a listener the process would crash.
  pool.on("error", (error) => options.onPoolError(error));
  // A client that loses its connection while checked out (mid-query, mid-transaction) also emits "error";
  // with no listener that would crash the process. The failing query already rejects to its caller, so
  // the event itself needs no further handling.
  pool.on("connect", (client) => {
    client.on("error", () => {});
  });
  let closed = false;
  return {
    name: "postgres",
    pool,
    dialect: new PostgresDialect({ pool }),
    singleProcess: false,
    skipLocked: true,
    listenNotify: postgresListenNotify(options.url, pool, options.onPoolError),
    identityType: "bigserial",
    identity: (col) => col.primaryKey(),
    bigintType: "bigint",
    withMigrationLock: async (fn) => {
      // Two nodes starting at once: the second waits here, then finds nothing left to apply.
      const client = await pool.connect();
      try {
        await client.query("select pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
        return await fn();
      } finally {
        await client.query("select pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY]).catch(() => {});
        client.release();
      }
    },
    close: async () => {
      if (closed) return;
      closed = true;
      await pool.end().catch(() => {});
    },
  };
}
