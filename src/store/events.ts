// Event rows: idempotent insert, per-site sequences, and cursor paging.
import type { Kysely } from "kysely";
import { rowChunks, runCompiledOnce } from "./dialects/compiled-once.js";
import type { Database, EventRow } from "./schema.js";

/** An accepted event as stored; the envelope every delivery format renders from. */
export interface StoredEvent {
  position: number;
  id: string;
  type: string;
  timestamp: string;
  recorded_at: number;
  site_id: number | null;
  sequence: number;
  /** `data` as stored: JSON text, serialised once at ingest and spliced into every delivery body as is. */
  data_json: string;
}

export type NewEvent = Omit<StoredEvent, "position">;

export const INSERT_CHUNK = 1000;

export function toStoredEvent(row: EventRow): StoredEvent {
  return {
    position: Number(row.position),
    id: row.id,
    type: row.type,
    timestamp: row.timestamp,
    recorded_at: Number(row.recorded_at),
    site_id: row.site_id === null ? null : Number(row.site_id),
    sequence: Number(row.sequence),
    data_json: row.data,
  };
}

export async function existingEventIds(db: Kysely<Database>, ids: string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (let i = 0; i < ids.length; i += INSERT_CHUNK) {
    const rows = await db
      .selectFrom("events")
      .select("id")
      .where("id", "in", ids.slice(i, i + INSERT_CHUNK))
      .execute();
    for (const r of rows) found.add(r.id);
  }
  return found;
}

/**
 * Locks the sequence rows of these sites (creating missing ones) in ascending order, for the rest of the
 * transaction. Group commit calls it with every site of a batch before any write allocates: rows locked in
 * request order deadlocked on PostgreSQL when two nodes named sites {1, 2} in opposite orders, and one
 * global lock would serialise all ingest across nodes. One statement; rows are upserted in VALUES order.
 */
export async function lockSiteSequences(db: Kysely<Database>, sortedSiteKeys: number[]): Promise<void> {
  for (let i = 0; i < sortedSiteKeys.length; i += INSERT_CHUNK) {
    const keys = sortedSiteKeys.slice(i, i + INSERT_CHUNK);
    await runCompiledOnce(
      db,
      `lock site sequences x${keys.length}`,
      () =>
        db
          .insertInto("site_sequences")
          .values(keys.map((k) => ({ site_key: k, last_sequence: 0 })))
          .onConflict((oc) =>
            oc
              .column("site_key")
              .doUpdateSet((eb) => ({ last_sequence: eb.ref("site_sequences.last_sequence") })),
          ),
      keys.flatMap((k) => [k, 0]),
    );
  }
}

/**
 * Reserves `count` sequence numbers for each site and answers the first of each, in one statement however
 * many sites a batch touches (on PostgreSQL each statement is a round trip inside an open transaction). The
 * upsert takes the rows' locks, so concurrent writers for one site are serialised and numbers never repeat.
 */
export async function allocateSequences(
  db: Kysely<Database>,
  countsBySite: ReadonlyMap<number, number>,
): Promise<Map<number, number>> {
  const first = new Map<number, number>();
  // Ascending, like the locks, so two writers never wait on each other's rows in opposite orders.
  const sites = [...countsBySite.keys()].sort((a, b) => a - b);
  for (let i = 0; i < sites.length; i += INSERT_CHUNK) {
    const chunk = sites.slice(i, i + INSERT_CHUNK);
    const { rows } = await runCompiledOnce<{ site_key: number; last_sequence: number }>(
      db,
      `allocate sequences x${chunk.length}`,
      () =>
        db
          .insertInto("site_sequences")
          .values(chunk.map((site_key) => ({ site_key, last_sequence: 0 })))
          .onConflict((oc) =>
            oc.column("site_key").doUpdateSet((eb) => ({
              last_sequence: eb("site_sequences.last_sequence", "+", eb.ref("excluded.last_sequence")),
            })),
          )
          .returning(["site_key", "last_sequence"]),
      chunk.flatMap((site) => [site, countsBySite.get(site) as number]),
    );
    for (const row of rows) {
      const site = Number(row.site_key);
      first.set(site, Number(row.last_sequence) - (countsBySite.get(site) as number) + 1);
    }
  }
  for (const site of sites) if (!first.has(site)) throw new Error(`no sequence row for site ${site}`);
  return first;
}

/** A row in the column order the insert binds (id, type, timestamp, recorded_at, site_id, sequence, data). */
const EVENT_PLACEHOLDER = {
  id: "",
  type: "",
  timestamp: "",
  recorded_at: 0,
  site_id: null,
  sequence: 0,
  data: "",
};

/** Inserts events and answers their store positions, in input order. */
export async function insertEvents(db: Kysely<Database>, events: NewEvent[]): Promise<number[]> {
  const positions: number[] = [];
  for (const chunk of rowChunks(db, events, INSERT_CHUNK)) {
    const values: unknown[] = [];
    for (const e of chunk)
      values.push(e.id, e.type, e.timestamp, e.recorded_at, e.site_id, e.sequence, e.data_json);
    const { rows } = await runCompiledOnce<{ position: number; id: string }>(
      db,
      `insert events ${chunk.length}`,
      () =>
        db
          .insertInto("events")
          .values(Array.from({ length: chunk.length }, () => EVENT_PLACEHOLDER))
          .returning(["position", "id"]),
      values,
    );
    const byId = new Map(rows.map((r) => [r.id, Number(r.position)]));
    for (const e of chunk) positions.push(byId.get(e.id) as number);
  }
  return positions;
}

export interface EventPage {
  events: StoredEvent[];
  /** Pass as `after` to continue; stays put at the end so a client can tail. */
  next_cursor: string;
  has_more: boolean;
}

export async function listEvents(
  db: Kysely<Database>,
  query: { after?: number; limit: number; types?: string[] },
): Promise<EventPage> {
  let q = db
    .selectFrom("events")
    .selectAll()
    .where("position", ">", query.after ?? 0)
    .orderBy("position")
    .limit(query.limit + 1);
  if (query.types && query.types.length > 0) q = q.where("type", "in", query.types);
  const rows = await q.execute();
  const events = rows.slice(0, query.limit).map(toStoredEvent);
  const last = events[events.length - 1];
  return {
    events,
    next_cursor: String(last?.position ?? query.after ?? 0),
    has_more: rows.length > query.limit,
  };
}

export async function findEventById(db: Kysely<Database>, id: string): Promise<StoredEvent | undefined> {
  const row = await db.selectFrom("events").selectAll().where("id", "=", id).executeTakeFirst();
  return row ? toStoredEvent(row) : undefined;
}
