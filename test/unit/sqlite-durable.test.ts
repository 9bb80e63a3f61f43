import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { Kysely } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { afterCommit } from "../../src/store/dialect.js";
import { DurableSqliteDialect, FileSync } from "../../src/store/dialects/sqlite-durable.js";
import type { Database } from "../../src/store/schema.js";
import { GatedSync } from "../support/gated-sync.js";
import { type ScratchDb as Db, type ScratchSqlite, scratchSqlite } from "../support/scratch-sqlite.js";

/** Counts the fsyncs it was asked for. */
class RecordingSync extends FileSync {
  calls = 0;
  override sync(): Promise<void> {
    this.calls++;
    return super.sync();
  }
}

describe("durable SQLite commits", () => {
  const dirs: string[] = [];
  const scratches: ScratchSqlite[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
    for (const s of scratches.splice(0)) s.remove();
  });
  function scratch(): ScratchSqlite {
    const s = scratchSqlite();
    scratches.push(s);
    return s;
  }
  function dir(): string {
    const d = mkdtempSync(join(tmpdir(), "gatehouse-durable-"));
    dirs.push(d);
    return d;
  }

  it("syncs after every commit and every write outside a transaction, never after a read", async () => {
    const { raw, walPath } = scratch();
    const wal = new RecordingSync(walPath);
    const db = new Kysely<Db>({ dialect: new DurableSqliteDialect({ database: raw }, wal) });
    await db.transaction().execute((trx) => trx.insertInto("t").values({ v: "a" }).execute());
    expect(wal.calls).toBe(1);
    await db.insertInto("t").values({ v: "b" }).execute();
    expect(wal.calls).toBe(2);
    expect(await db.selectFrom("t").select("v").orderBy("id").execute()).toEqual([{ v: "a" }, { v: "b" }]);
    expect(wal.calls).toBe(2);
    await expect(
      db.transaction().execute(async (trx) => {
        await trx.insertInto("t").values({ v: "c" }).execute();
        throw new Error("no");
      }),
    ).rejects.toThrow("no");
    expect(wal.calls).toBe(2);
    await db.destroy();
  });

  it("runs after-commit hooks when COMMIT returns, before the fsync, and drops a rolled-back transaction's", async () => {
    const { raw, walPath } = scratch();
    const wal = new GatedSync(walPath);
    const db = new Kysely<Db>({ dialect: new DurableSqliteDialect({ database: raw }, wal) });
    const heard: string[] = [];
    const asDb = (trx: Kysely<Db>) => trx as unknown as Kysely<Database>;

    await expect(
      db.transaction().execute(async (trx) => {
        await trx.insertInto("t").values({ v: "lost" }).execute();
        afterCommit(asDb(trx), () => heard.push("rolled back"));
        throw new Error("no");
      }),
    ).rejects.toThrow("no");

    let durable = false;
    let heardCommit!: () => void;
    const committed = new Promise<void>((resolve) => {
      heardCommit = resolve;
    });
    const done = db
      .transaction()
      .execute(async (trx) => {
        await trx.insertInto("t").values({ v: "a" }).execute();
        const registered = afterCommit(asDb(trx), () => {
          // Visible to a reader the moment COMMIT returns, with the fsync not yet done.
          heard.push(
            `committed, ${(raw.prepare("select count(*) as n from t").get() as { n: number }).n} row`,
          );
          heardCommit();
        });
        expect(registered).toBe(true);
        expect(heard).toEqual([]);
      })
      .then(() => {
        durable = true;
      });
    await Promise.race([
      committed,
      sleep(2_000).then(() => {
        throw new Error("the hook did not run while the fsync was held back");
      }),
    ]);
    await sleep(20);
    expect(heard).toEqual(["committed, 1 row"]);
    expect(wal.started).toBe(1);
    expect(durable).toBe(false); // the caller still waits for the fsync
    wal.open();
    await done;
    expect(durable).toBe(true);
    expect(heard).toEqual(["committed, 1 row"]); // the rolled-back transaction's hook never ran
    await db.destroy();
  });

  it("shares fsyncs: callers during one fsync wait for the next, which starts after it", async () => {
    const path = join(dir(), "file");
    writeFileSync(path, "x");
    const sync = new FileSync(path);
    const order: string[] = [];
    const running = sync.sync();
    const next = sync.sync();
    expect(sync.sync()).toBe(next); // one fsync for everyone who asked while the first ran
    expect(next).not.toBe(running);
    await Promise.all([running.then(() => order.push("first")), next.then(() => order.push("next"))]);
    expect(order).toEqual(["first", "next"]);
    await sync.close();
  });

  it("fails the caller when the file cannot be synced", async () => {
    const sync = new FileSync(join(dir(), "missing"));
    await expect(sync.sync()).rejects.toThrow(/ENOENT/);
  });
});
