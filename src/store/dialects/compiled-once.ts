// Hot-path statements compiled by Kysely once per shape, then run again and again with fresh parameters.
import { type Compilable, CompiledQuery, type Kysely, type QueryResult } from "kysely";
import type { Database } from "../schema.js";

/** SQL texts by dialect (its adapter object), then by shape. */
const texts = new WeakMap<object, Map<string, string>>();
const KEPT_PER_DIALECT = 256;

/**
 * Runs the statement `build()` describes, with `parameters`. Kysely builds and compiles it only the first
 * time a `shape` is seen on this dialect; after that the SQL text is reused. Building and compiling cost
 * ~3 µs per row of a multi-row insert, more than SQLite takes to run it.
 *
 * `shape` must name everything that changes the SQL text (table, columns, row or list count), and
 * `parameters` must be in the order the compiled statement binds them: `build` gives any placeholder
 * values (nulls, say) in that shape, and its own parameters are ignored.
 */
export function runCompiledOnce<R>(
  db: Kysely<Database>,
  shape: string,
  build: () => Compilable<unknown>,
  parameters: unknown[],
): Promise<QueryResult<R>> {
  const { adapter } = db.getExecutor();
  let byShape = texts.get(adapter);
  if (!byShape) {
    byShape = new Map();
    texts.set(adapter, byShape);
  }
  let sql = byShape.get(shape);
  if (sql === undefined) {
    sql = build().compile().sql;
    if (byShape.size >= KEPT_PER_DIALECT) byShape.delete(byShape.keys().next().value as string);
    byShape.set(shape, sql);
  }
  return db.executeQuery<R>(CompiledQuery.raw(sql, parameters));
}

/**
 * Splits `items` into the chunks a multi-row statement runs per chunk, each at most `max` long. Every distinct
 * chunk length is another statement to compile, and on SQLite to prepare (a 300-row insert: ~1 ms each), and
 * batch sizes vary with load. Where statements run in-process (SQLite), several cost little: chunks there are
 * powers of two, and any count runs as at most log2(max)+1 shapes, which stay cached. Where each statement
 * is a round trip inside the transaction (PostgreSQL), chunks are as long as `max` allows.
 */
export function rowChunks<T>(db: Kysely<Database>, items: readonly T[], max: number): T[][] {
  const chunks: T[][] = [];
  const { adapter } = db.getExecutor();
  if ((adapter as { statementsInProcess?: boolean }).statementsInProcess !== true) {
    for (let i = 0; i < items.length; i += max) chunks.push(items.slice(i, i + max));
    return chunks;
  }
  let size = 2 ** Math.floor(Math.log2(max));
  let i = 0;
  while (i < items.length) {
    while (size > items.length - i) size /= 2;
    chunks.push(items.slice(i, i + size));
    i += size;
  }
  return chunks;
}
