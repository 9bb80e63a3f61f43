import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import SQLite from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { WalCheckpointer } from "../../src/store/dialects/sqlite-checkpointer.js";
import { runModuleScript } from "../support/process.js";
import { waitFor } from "../support/wait.js";

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A WAL database whose own connection never checkpoints, as if the thread were its only checkpointer. */
function walDatabase(): { path: string; db: SQLite.Database; write(rows: number): void } {
  const dir = mkdtempSync(join(tmpdir(), "gatehouse-ckpt-"));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, "test.db");
  const db = new SQLite(path);
  cleanups.push(() => {
    if (db.open) db.close();
  });
  db.pragma("journal_mode = WAL");
  db.pragma("wal_autocheckpoint = 0");
  db.exec("create table t (id integer primary key, v text not null)");
  const insert = db.prepare("insert into t (v) values (?)");
  const write = db.transaction((rows: number) => {
    for (let i = 0; i < rows; i++) insert.run("x".repeat(1000));
  });
  return { path, db, write };
}

describe("WalCheckpointer", () => {
  it("copies what was committed into the database file from its own thread, soon after a write", async () => {
    const { path, write } = walDatabase();
    const checkpointer = new WalCheckpointer(path, { delayMs: 10 });
    cleanups.push(() => checkpointer.close());
    write(500);
    const before = statSync(path).size;
    checkpointer.written();
    await waitFor(() => checkpointer.completed >= 1, { what: "a checkpoint" });
    expect(checkpointer.last?.walFrames).toBeGreaterThan(100);
    expect(checkpointer.last?.checkpointed).toBe(checkpointer.last?.walFrames);
    expect(statSync(path).size).toBeGreaterThan(before + 400 * 1000);
  });

  it("runs one checkpoint for writes that come close together, and another for writes after it", async () => {
    const { path, write } = walDatabase();
    const checkpointer = new WalCheckpointer(path, { delayMs: 30 });
    cleanups.push(() => checkpointer.close());
    for (let i = 0; i < 5; i++) {
      write(10);
      checkpointer.written();
    }
    await waitFor(() => checkpointer.completed >= 1, { what: "a checkpoint" });
    await new Promise((r) => setTimeout(r, 100));
    expect(checkpointer.completed).toBe(1);
    write(10);
    checkpointer.written();
    await waitFor(() => checkpointer.completed >= 2, { what: "a second checkpoint" });
  });

  it("closes its connection first, so the main connection's close removes the WAL as usual", async () => {
    const { path, db, write } = walDatabase();
    const checkpointer = new WalCheckpointer(path, { delayMs: 10 });
    write(50);
    checkpointer.written();
    await waitFor(() => checkpointer.completed >= 1, { what: "a checkpoint" });
    await checkpointer.close();
    expect(existsSync(`${path}-wal`)).toBe(true);
    db.close();
    expect(existsSync(`${path}-wal`)).toBe(false);
  });

  it("reports a thread that cannot open the database, and tries again after the next write", async () => {
    const dir = mkdtempSync(join(tmpdir(), "gatehouse-ckpt-"));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const notADatabase = join(dir, "a-directory");
    mkdirSync(notADatabase);
    const errors: Error[] = [];
    const checkpointer = new WalCheckpointer(notADatabase, { delayMs: 10, onError: (e) => errors.push(e) });
    cleanups.push(() => checkpointer.close());
    checkpointer.written();
    await waitFor(() => errors.length >= 1, { what: "an error" });
    checkpointer.written();
    await waitFor(() => errors.length >= 2, { what: "a second error" });
    expect(checkpointer.completed).toBe(0);
  });

  it("keeps the process alive through close(), so whatever follows it in a shutdown still runs", async () => {
    const { path, write } = walDatabase();
    write(50);
    const script = [
      `import { WalCheckpointer } from "./src/store/dialects/sqlite-checkpointer.ts";`,
      `const c = new WalCheckpointer(${JSON.stringify(path)}, { delayMs: 1 });`,
      "c.written();",
      "while (c.completed === 0) await new Promise((r) => setTimeout(r, 5));",
      // Nothing else keeps this process alive now: only close() itself may.
      "await c.close();",
      `console.log("after close");`,
    ].join("\n");
    const { code, out } = await runModuleScript(script);
    expect(code).toBe(0);
    expect(out.trim()).toBe("after close");
  });
});
