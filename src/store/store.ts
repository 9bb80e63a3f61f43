// Opens the store (SQLite by default, PostgreSQL by URL), migrates it, and owns its lifetime.
import { Kysely } from "kysely";
import type { StoreAdapter } from "./dialect.js";
import { postgresAdapter } from "./dialects/postgres.js";
import { sqliteAdapter } from "./dialects/sqlite.js";
import { migrateToLatest } from "./migrate.js";
import type { Database } from "./schema.js";

export interface Store {
  readonly db: Kysely<Database>;
  readonly adapter: StoreAdapter;
  close(): Promise<void>;
}

export interface StoreOptions {
  dataDir: string;
  /** A postgres:// URL; absent means embedded SQLite under dataDir. */
  databaseUrl?: string;
  /** Connections per node to PostgreSQL. */
  poolSize?: number;
  onPoolError?: (error: Error) => void;
  /** SQLite: a background WAL checkpoint failed (the main connection then checkpoints by itself). */
  onCheckpointError?: (error: Error) => void;
}

export function adapterFor(options: StoreOptions): StoreAdapter {
  if (!options.databaseUrl) {
    return sqliteAdapter(options.dataDir, { onCheckpointError: options.onCheckpointError });
  }
  if (!/^postgres(ql)?:\/\//.test(options.databaseUrl)) {
    throw new Error("--database: expected a postgres:// or postgresql:// URL");
  }
  return postgresAdapter({
    url: options.databaseUrl,
    poolSize: options.poolSize ?? 10,
    onPoolError: options.onPoolError ?? (() => {}),
  });
}

export async function openStore(options: StoreOptions, migrate = true): Promise<Store> {
  const adapter = adapterFor(options);
  const db = new Kysely<Database>({ dialect: adapter.dialect });
  if (migrate) await migrateToLatest(db as unknown as Kysely<unknown>, adapter);
  let closed = false;
  return {
    db,
    adapter,
    close: async () => {
      if (closed) return;
      closed = true;
      // Kysely's destroy ends the driver (the SQLite handle, the pg pool); the adapter closes what is left.
      await db.destroy();
      await adapter.close();
    },
  };
}
