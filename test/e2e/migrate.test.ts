// `gatehouse migrate`: applies the schema and exits; two at once on a fresh store are safe.
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestStore, type TestStore } from "../support/store.js";

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL("../..", import.meta.url));

function migrate(store: TestStore) {
  return run(process.execPath, ["--import", "tsx", "src/cli/main.ts", "migrate", ...store.args], {
    cwd: ROOT,
  });
}

/** Every migration, in the order they run. */
const MIGRATIONS = ["0001_initial", "0002_access_control", "0003_schedule_activity", "0004_webhook_dialects"];

describe("gatehouse migrate", () => {
  let store: TestStore;
  beforeAll(async () => {
    store = await createTestStore();
  });
  afterAll(() => store.drop());

  it("applies every migration once, even when two run at once, then reports nothing to do", async () => {
    const results = await Promise.allSettled([migrate(store), migrate(store)]);
    const outputs = results.flatMap((r) => (r.status === "fulfilled" ? [r.value.stdout.trim()] : []));
    for (const r of results) {
      // On SQLite the data directory lock lets one in and refuses the other outright; on PostgreSQL the
      // second waits for the advisory lock and then finds nothing to do.
      if (r.status === "rejected") {
        expect(store.kind).toBe("sqlite");
        expect(String((r.reason as { stderr?: string }).stderr)).toContain(
          "another Gatehouse process is using",
        );
      }
    }
    const all = `applied: ${MIGRATIONS.join(", ")}`;
    expect(outputs.filter((o) => o === all)).toHaveLength(1);
    expect(outputs.every((o) => o === all || o === "already up to date")).toBe(true);
    expect((await migrate(store)).stdout.trim()).toBe("already up to date");
  });
});
