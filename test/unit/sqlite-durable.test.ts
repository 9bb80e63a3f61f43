import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import SQLite from "better-sqlite3";
import { type Generated, Kysely } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { DurableSqliteDialect, FileSync } from "../../src/store/dialects/sqlite-durable.js";

interface Db {
  t: { id: Generated<number>; v: string };
}

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
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  function dir(): string {
    const d = mkdtempSync(join(tmpdir(), "gatehouse-durable-"));
    dirs.push(d);
    return d;
  }

  it("syncs after every commit and every write outside a transaction, never after a read", async () => {
    const path = join(dir(), "db.sqlite");
    const raw = new SQLite(path);
    raw.pragma("journal_mode = WAL");
    raw.exec("create table t (id integer primary key, v text not null)");
    const wal = new RecordingSync(`${path}-wal`);
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
