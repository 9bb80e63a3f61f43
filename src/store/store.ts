// Opens the store (SQLite by default, PostgreSQL by URL), migrates it, and owns its lifetime.
import { Kysely } from "kysely";
import type { StoreAdapter } from "./dialect.js";
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
  databaseUrl?: string;
}

export function adapterFor(options: StoreOptions): StoreAdapter {
  if (options.databaseUrl) {
    throw new Error(
      "PostgreSQL support is not built yet (issue 4); run without --database for embedded SQLite",
    );
  }
  return sqliteAdapter(options.dataDir);
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
      await db.destroy();
      await adapter.close();
    },
  };
}
