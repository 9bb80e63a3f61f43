import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore } from "../../src/store/store.js";
import { startTestServer, type TestServer } from "../support/server.js";
import { storeKind } from "../support/store.js";

describe.runIf(storeKind() === "sqlite")("the SQLite data directory", () => {
  let gh: TestServer;
  beforeAll(async () => {
    gh = await startTestServer();
  });
  afterAll(() => gh.stop());

  it("cannot be opened by a second Gatehouse while the first runs", async () => {
    await expect(openStore({ dataDir: gh.dataDir })).rejects.toThrow(/another Gatehouse process is using/);
  });

  it("is free again once the first one stops", async () => {
    const other = await startTestServer();
    const dir = other.dataDir;
    await other.server.stop();
    const store = await openStore({ dataDir: dir });
    await store.close();
  });
});

describe.runIf(storeKind() === "sqlite")("the SQLite WAL", () => {
  it("is checkpointed in the background between bursts of writes, so it does not grow with them", async () => {
    const dir = mkdtempSync(join(tmpdir(), "gatehouse-wal-"));
    const store = await openStore({ dataDir: dir });
    try {
      const wal = join(dir, "gatehouse.db-wal");
      const data = JSON.stringify({ pad: "x".repeat(3000) });
      // 20 bursts of ~100 pages each, with pauses the checkpoint thread (~100 ms after a write) fits into:
      // the main connection alone would checkpoint only at 10,000 pages, so the WAL would hold all ~2,000.
      for (let burst = 0; burst < 20; burst++) {
        await store.db.transaction().execute(async (trx) => {
          for (let i = 0; i < 100; i++) {
            await trx
              .insertInto("events")
              .values({
                id: `e-${burst}-${i}`,
                type: "custom.wal",
                site_id: null,
                sequence: burst * 100 + i,
                timestamp: "2026-12-05T00:00:00Z",
                recorded_at: 0,
                data,
              })
              .execute();
          }
        });
        await new Promise((r) => setTimeout(r, 150));
      }
      expect(statSync(wal).size).toBeLessThan(4096 * 600);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
