// Which store the tests run against, and a fresh one per server: a temp SQLite directory, or its own
// PostgreSQL database. The vitest projects in vitest.config.ts run every store-touching test on both.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { inject } from "vitest";

export type StoreKind = "sqlite" | "postgres";

declare module "vitest" {
  export interface ProvidedContext {
    storeKind: StoreKind;
    /** An admin connection URL to the PostgreSQL server the postgres project found or started. */
    pgUrl: string;
  }
}

export function storeKind(): StoreKind {
  return inject("storeKind") ?? "sqlite";
}

export interface TestStore {
  kind: StoreKind;
  /** Always set: SQLite keeps its file here; with PostgreSQL the server still needs a directory. */
  dataDir: string;
  databaseUrl?: string;
  /** The `gatehouse serve` arguments that select this store. */
  args: string[];
  /** Removes the directory and, for PostgreSQL, the database. */
  drop(): Promise<void>;
}

export async function createTestStore(kind: StoreKind = storeKind()): Promise<TestStore> {
  const dataDir = mkdtempSync(join(tmpdir(), "gatehouse-test-"));
  if (kind === "sqlite") {
    return {
      kind,
      dataDir,
      args: ["--data", dataDir],
      drop: async () => rmSync(dataDir, { recursive: true, force: true }),
    };
  }
  const admin = inject("pgUrl");
  const name = `gh_test_${randomBytes(6).toString("hex")}`;
  await adminQuery(admin, `create database ${name}`);
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    kind,
    dataDir,
    databaseUrl: url.toString(),
    args: ["--data", dataDir, "--database", url.toString()],
    drop: async () => {
      rmSync(dataDir, { recursive: true, force: true });
      await adminQuery(admin, `drop database if exists ${name} with (force)`);
    },
  };
}

async function adminQuery(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
