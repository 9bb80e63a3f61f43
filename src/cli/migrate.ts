// `gatehouse migrate`: bring the store's schema up to date and exit.
import type { Config } from "../config.js";
import { migrateToLatest } from "../store/migrate.js";
import { openStore } from "../store/store.js";

export async function runMigrate(config: Config): Promise<void> {
  const store = await openStore(
    { dataDir: config.dataDir, databaseUrl: config.databaseUrl, poolSize: 2 },
    false,
  );
  try {
    const applied = await migrateToLatest(store.db as never, store.adapter);
    process.stdout.write(applied.length ? `applied: ${applied.join(", ")}\n` : "already up to date\n");
  } finally {
    await store.close();
  }
}
