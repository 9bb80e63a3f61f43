import SQLite from "better-sqlite3";
import { type Generated, Kysely, SqliteDialect, sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { withStatementCache } from "../../src/store/dialects/sqlite-statement-cache.js";

interface Db {
  t: { id: Generated<number>; v: string };
}

describe("withStatementCache", () => {
  const open: SQLite.Database[] = [];
  afterEach(() => {
    for (const db of open.splice(0)) if (db.open) db.close();
  });
  function memory(): SQLite.Database {
    const db = new SQLite(":memory:");
    db.exec("create table t (id integer primary key, v text not null)");
    open.push(db);
    return db;
  }

  it("answers the same statement for the same SQL, and keeps reader and writer apart", () => {
    const cached = withStatementCache(memory());
    const insert = cached.prepare("insert into t (v) values (?)");
    expect(cached.prepare("insert into t (v) values (?)")).toBe(insert);
    expect(insert.reader).toBe(false);
    insert.run(["a"]);
    insert.run(["b"]);
    const select = cached.prepare("select v from t order by id");
    expect(select.reader).toBe(true);
    expect(cached.prepare("select v from t order by id").all([])).toEqual([{ v: "a" }, { v: "b" }]);
  });

  it("forgets the least recently used statement beyond its bound", () => {
    const cached = withStatementCache(memory(), 2);
    const one = cached.prepare("select 1");
    const two = cached.prepare("select 2");
    expect(cached.prepare("select 1")).toBe(one); // now "select 2" is the oldest
    cached.prepare("select 3");
    expect(cached.prepare("select 1")).toBe(one);
    expect(cached.prepare("select 2")).not.toBe(two);
  });

  it("prepares a fresh statement while the cached one is still being iterated", () => {
    const cached = withStatementCache(memory());
    cached.prepare("insert into t (v) values (?)").run(["a"]);
    cached.prepare("insert into t (v) values (?)").run(["b"]);
    const text = "select v from t order by id";
    const iter = cached.prepare(text).iterate([]);
    expect(iter.next().value).toEqual({ v: "a" });
    expect(cached.prepare(text).all([])).toEqual([{ v: "a" }, { v: "b" }]);
    expect(iter.next().value).toEqual({ v: "b" });
    iter.return?.();
  });

  it("serves Kysely: selects return rows, writes report changes and ids, transactions commit", async () => {
    const db = new Kysely<Db>({ dialect: new SqliteDialect({ database: withStatementCache(memory()) }) });
    for (let i = 0; i < 3; i++) {
      await db.transaction().execute(async (trx) => {
        const r = await trx
          .insertInto("t")
          .values({ v: `x${i}` })
          .executeTakeFirst();
        expect(Number(r.insertId)).toBe(i * 2 + 1);
        const back = await trx
          .insertInto("t")
          .values({ v: `y${i}` })
          .returning("id")
          .executeTakeFirstOrThrow();
        expect(back.id).toBe(i * 2 + 2);
      });
    }
    const updated = await db.updateTable("t").set({ v: "z" }).where("id", "in", [1, 2]).executeTakeFirst();
    expect(updated.numUpdatedRows).toBe(2n);
    const rows = await db.selectFrom("t").select("v").orderBy("id").execute();
    expect(rows.map((r) => r.v)).toEqual(["z", "z", "x1", "y1", "x2", "y2"]);
    expect((await sql<{ n: number }>`select count(*) as n from t`.execute(db)).rows[0]?.n).toBe(6);
    await db.destroy();
  });
});
