import { setTimeout as sleep } from "node:timers/promises";
import type SQLite from "better-sqlite3";
import { Kysely, SqliteDialect } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { DurableSqliteDialect } from "../../src/store/dialects/sqlite-durable.js";
import { GroupCommit, type LockKeys } from "../../src/store/group-commit.js";
import type { Database } from "../../src/store/schema.js";
import { GatedSync } from "../support/gated-sync.js";
import { type ScratchDb as Db, type ScratchSqlite, scratchSqlite } from "../support/scratch-sqlite.js";
import { waitFor } from "../support/wait.js";

describe("group commit: work that may start once a write has committed", () => {
  const scratches: ScratchSqlite[] = [];
  const dbs: Kysely<Db>[] = [];
  afterEach(async () => {
    for (const db of dbs.splice(0)) await db.destroy();
    for (const s of scratches.splice(0)) s.remove();
  });

  /** A store whose WAL fsyncs are held back (`wal`), or one with plain SQLite commits (no `wal`). */
  function open(
    durable: boolean,
    lockKeys?: LockKeys,
  ): { raw: SQLite.Database; commit: GroupCommit; wal: GatedSync } {
    const scratch = scratchSqlite();
    scratches.push(scratch);
    const { raw, walPath } = scratch;
    const wal = new GatedSync(walPath);
    const dialect = durable
      ? new DurableSqliteDialect({ database: raw }, wal)
      : new SqliteDialect({ database: raw });
    const db = new Kysely<Db>({ dialect });
    dbs.push(db);
    return { raw, wal, commit: new GroupCommit(db as unknown as Kysely<Database>, 500, lockKeys) };
  }

  const insert = (v: string) => async (ctx: { trx: Kysely<Database> }) => {
    const trx = ctx.trx as unknown as Kysely<Db>;
    const row = await trx.insertInto("t").values({ v }).returning("id").executeTakeFirstOrThrow();
    return row.id;
  };

  it("on SQLite, hears of the commit before its fsync, and resolves only after it", async () => {
    const { raw, commit, wal } = open(true);
    const heard: Array<[string, number]> = [];
    let resolved = false;
    const writes = ["a", "b"].map((v) =>
      commit
        .submit(insert(v), [], (id) => heard.push([v, id]))
        .then((id) => {
          resolved = true;
          return id;
        }),
    );
    await waitFor(() => heard.length === 2, { timeoutMs: 2_000, intervalMs: 5, what: "both commits" });
    expect(heard).toEqual([
      ["a", 1],
      ["b", 2],
    ]);
    expect(raw.prepare("select count(*) as n from t").get()).toEqual({ n: 2 });
    await sleep(20);
    expect(wal.started).toBeGreaterThan(0);
    expect(resolved).toBe(false);
    wal.open();
    expect(await Promise.all(writes)).toEqual([1, 2]);
  });

  it("where the store cannot tell the commit from its durability, hears of it just before resolving", async () => {
    const { commit } = open(false);
    const order: string[] = [];
    const id = await commit
      .submit(insert("a"), [], (value) => order.push(`committed ${value}`))
      .then((value) => {
        order.push(`resolved ${value}`);
        return value;
      });
    expect(id).toBe(1);
    expect(order).toEqual(["committed 1", "resolved 1"]);
  });

  it("fails only the caller whose hook threw; the commit stands", async () => {
    const { raw, commit, wal } = open(true);
    wal.open();
    const broken = commit.submit(insert("a"), [], () => {
      throw new Error("hand-off failed");
    });
    const fine = commit.submit(insert("b"), [], () => {});
    await expect(broken).rejects.toThrow("hand-off failed");
    expect(await fine).toBe(2);
    expect(raw.prepare("select v from t order by id").all()).toEqual([{ v: "a" }, { v: "b" }]);
  });

  it("a rolled-back batch announces nothing, and its writes rerun alone are announced once each", async () => {
    const { raw, commit, wal } = open(true);
    wal.open();
    const heard: string[] = [];
    const good = commit.submit(insert("a"), [], () => heard.push("a"));
    const bad = commit.submit(
      async (ctx) => {
        await insert("b")(ctx);
        throw new Error("bad write");
      },
      [],
      () => heard.push("b"),
    );
    await expect(bad).rejects.toThrow("bad write");
    await good;
    expect(heard).toEqual(["a"]);
    expect(raw.prepare("select v from t").all()).toEqual([{ v: "a" }]);
  });

  it("locks the union of a batch's keys once, sorted, reading a write's key function as the batch starts", async () => {
    const locked: number[][] = [];
    const order: string[] = [];
    const { commit, wal } = open(true, async (_trx, keys) => {
      locked.push([...keys]);
      order.push("lock");
    });
    wal.open();
    let joined = [5];
    const a = commit.submit(insert("a"), [3, 1]);
    const b = commit.submit(
      async (ctx) => {
        order.push("write");
        return insert("b")(ctx);
      },
      () => {
        order.push("keys read");
        return joined;
      },
    );
    joined = [5, 2]; // the batch has not started: what the function answers then is what gets locked
    await Promise.all([a, b]);
    expect(locked).toEqual([[1, 2, 3, 5]]);
    expect(order).toEqual(["keys read", "lock", "write"]);
  });
});
