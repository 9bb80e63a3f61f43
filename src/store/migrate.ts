// Forward-only, numbered migrations, run by `gatehouse migrate` and at every start.
import { type Kysely, type Migration, type MigrationProvider, Migrator } from "kysely";
import type { StoreAdapter } from "./dialect.js";
import * as m0001 from "./migrations/0001_initial.js";
import * as m0002 from "./migrations/0002_access_control.js";
import * as m0003 from "./migrations/0003_schedule_activity.js";
import * as m0004 from "./migrations/0004_webhook_dialects.js";

type Step = { up(db: Kysely<unknown>, adapter: StoreAdapter): Promise<void> };

// Names sort in the order they run; never rename or edit one that has shipped.
const steps: Record<string, Step> = {
  "0001_initial": m0001,
  "0002_access_control": m0002,
  "0003_schedule_activity": m0003,
  "0004_webhook_dialects": m0004,
};

class StaticProvider implements MigrationProvider {
  constructor(private readonly adapter: StoreAdapter) {}
  async getMigrations(): Promise<Record<string, Migration>> {
    const out: Record<string, Migration> = {};
    for (const [name, step] of Object.entries(steps)) {
      out[name] = { up: (db) => step.up(db, this.adapter) };
    }
    return out;
  }
}

/** Applies every migration not yet applied; answers the names it ran. */
export async function migrateToLatest(db: Kysely<unknown>, adapter: StoreAdapter): Promise<string[]> {
  return adapter.withMigrationLock(async () => {
    const migrator = new Migrator({
      db,
      provider: new StaticProvider(adapter),
      migrationTableName: "gatehouse_migrations",
      migrationLockTableName: "gatehouse_migrations_lock",
    });
    const { error, results } = await migrator.migrateToLatest();
    if (error) throw error instanceof Error ? error : new Error(String(error));
    return (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
  });
}
