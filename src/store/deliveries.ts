// Delivery rows: the durable queue. Claims take a lease (`locked_until`) that a crash simply lets expire.
import { type Kysely, sql } from "kysely";
import { renderGatehouseV1 } from "../delivery/formats/gatehouse.js";
import type { StoreAdapter } from "./dialect.js";
import { rowChunks, runCompiledOnce } from "./dialects/compiled-once.js";
import { INSERT_CHUNK, type StoredEvent, toStoredEvent } from "./events.js";
import type { Database, DeliveriesTable, DeliveryAttemptRow, DeliveryRow, DeliveryStatus } from "./schema.js";

export interface NewDelivery {
  event_position: number;
  webhook_uid: number;
  next_attempt_at: number;
  locked_until: number;
  locked_by: string | null;
}

/** A delivery taken for sending, with the event it carries. */
export interface ClaimedDelivery {
  id: number;
  webhook_uid: number;
  attempt_count: number;
  lease_until: number;
  event: StoredEvent;
}

const DELIVERY_COLUMNS = [
  "event_position",
  "webhook_uid",
  "next_attempt_at",
  "locked_until",
  "locked_by",
  "status",
  "attempt_count",
  "created_at",
  "updated_at",
] as const;

export async function insertDeliveries(
  db: Kysely<Database>,
  rows: NewDelivery[],
  now: number,
): Promise<number[]> {
  const ids: number[] = [];
  for (const chunk of rowChunks(db, rows, INSERT_CHUNK)) {
    const values: unknown[] = [];
    for (const r of chunk) {
      values.push(r.event_position, r.webhook_uid, r.next_attempt_at, r.locked_until, r.locked_by);
      values.push("pending", 0, now, now);
    }
    const { rows: out } = await runCompiledOnce<{ id: number }>(
      db,
      `insert deliveries ${chunk.length}`,
      () => db.insertInto("deliveries").values(nullRows(DELIVERY_COLUMNS, chunk.length)).returning("id"),
      values,
    );
    // Both dialects return rows of a multi-row insert in the order given.
    for (const r of out) ids.push(Number(r.id));
  }
  return ids;
}

/** Placeholder rows for compiling a multi-row insert of `count` rows once (see runCompiledOnce). */
function nullRows(columns: readonly string[], count: number): never {
  const row = Object.fromEntries(columns.map((c) => [c, null]));
  return Array.from({ length: count }, () => row) as never;
}

/**
 * Leases up to `limit` due deliveries of active webhooks to `owner` and answers them with their
 * events. Expired leases count as free: that is how a dead worker's claims are taken over.
 */
export async function claimDueDeliveries(
  db: Kysely<Database>,
  adapter: StoreAdapter,
  opts: { now: number; leaseMs: number; owner: string; limit: number; exclude?: ReadonlySet<number> },
): Promise<ClaimedDelivery[]> {
  const leaseUntil = opts.now + opts.leaseMs;
  const claimed = await db.transaction().execute(async (trx) => {
    let due = trx
      .selectFrom("deliveries as d")
      .innerJoin("webhooks as w", "w.uid", "d.webhook_uid")
      .select("d.id")
      .where("d.status", "=", "pending")
      .where("d.next_attempt_at", "<=", opts.now)
      .where("d.locked_until", "<=", opts.now)
      .where("w.status", "=", "active")
      .orderBy("d.next_attempt_at")
      .limit(opts.limit);
    if (opts.exclude && opts.exclude.size > 0) due = due.where("d.id", "not in", [...opts.exclude]);
    if (adapter.skipLocked) due = due.forUpdate("d").skipLocked();
    const ids = (await due.execute()).map((r) => Number(r.id));
    if (ids.length === 0) return [];
    await trx
      .updateTable("deliveries")
      .set({ locked_until: leaseUntil, locked_by: opts.owner })
      .where("id", "in", ids)
      .execute();
    return trx
      .selectFrom("deliveries as d")
      .innerJoin("events as e", "e.position", "d.event_position")
      .select(["d.id as delivery_id", "d.webhook_uid", "d.attempt_count"])
      .selectAll("e")
      .where("d.id", "in", ids)
      .orderBy("d.next_attempt_at")
      .execute();
  });
  return claimed.map((r) => ({
    id: Number(r.delivery_id),
    webhook_uid: Number(r.webhook_uid),
    attempt_count: r.attempt_count,
    lease_until: leaseUntil,
    event: toStoredEvent(r),
  }));
}

/** Extends a lease this owner still holds; false when someone else has taken the delivery over. */
export async function extendLease(
  db: Kysely<Database>,
  id: number,
  owner: string,
  until: number,
): Promise<boolean> {
  const r = await db
    .updateTable("deliveries")
    .set({ locked_until: until })
    .where("id", "=", id)
    .where("locked_by", "=", owner)
    .where("status", "=", "pending")
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Renews the leases this owner holds; answers the ids it still holds. */
export async function renewLeases(
  db: Kysely<Database>,
  ids: number[],
  owner: string,
  until: number,
): Promise<Set<number>> {
  const held = new Set<number>();
  for (let i = 0; i < ids.length; i += INSERT_CHUNK) {
    const rows = await db
      .updateTable("deliveries")
      .set({ locked_until: until })
      .where("id", "in", ids.slice(i, i + INSERT_CHUNK))
      .where("locked_by", "=", owner)
      .where("status", "=", "pending")
      .returning("id")
      .execute();
    for (const r of rows) held.add(Number(r.id));
  }
  return held;
}

/** Frees every lease; only for a store that one process owns, at start, when no one else can hold one. */
export async function releaseAllLeases(db: Kysely<Database>): Promise<number> {
  const r = await db
    .updateTable("deliveries")
    .set({ locked_until: 0, locked_by: null })
    .where("status", "=", "pending")
    .where("locked_until", ">", 0)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

export async function releaseLeases(db: Kysely<Database>, ids: number[], owner: string): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable("deliveries")
    .set({ locked_until: 0, locked_by: null })
    .where("id", "in", ids)
    .where("locked_by", "=", owner)
    .execute();
}

export interface AttemptRecord {
  delivery_id: number;
  attempt_number: number;
  started_at: number;
  duration_ms: number;
  request_url: string;
  request_headers: Record<string, string>;
  /** null: the body was the event rendered in the gatehouse format, which the event row already holds. */
  request_body: string | null;
  response_status: number | null;
  response_headers: Record<string, string> | null;
  response_body: string | null;
  error: string | null;
  outcome: string;
}

export interface DeliveryUpdate {
  status: DeliveryStatus;
  next_attempt_at: number;
}

/** A finished attempt and where it leaves its delivery. */
export interface FinishedAttempt {
  attempt: AttemptRecord;
  update: DeliveryUpdate;
}

/** Rows per attempt insert: 12 columns each keeps a chunk far below either store's bound-variable limit. */
const ATTEMPT_CHUNK = 500;

/**
 * Records finished attempts and moves their deliveries on, releasing the leases: a multi-row insert of the
 * attempts, then one update per group of deliveries that move to the same state. In a busy batch most
 * deliveries succeed at their first attempt, so that is one update for all of them.
 */
export async function recordAttempts(
  db: Kysely<Database>,
  finished: FinishedAttempt[],
  now: number,
): Promise<void> {
  for (const chunk of rowChunks(db, finished, ATTEMPT_CHUNK)) {
    const values: unknown[] = [];
    for (const { attempt: a } of chunk) {
      values.push(a.delivery_id, a.attempt_number, a.started_at, a.duration_ms, a.request_url);
      values.push(JSON.stringify(a.request_headers), a.request_body ?? EVENT_BODY, a.response_status);
      values.push(a.response_headers ? JSON.stringify(a.response_headers) : null, a.response_body);
      values.push(a.error, a.outcome);
    }
    await runCompiledOnce(
      db,
      `insert delivery_attempts ${chunk.length}`,
      () => db.insertInto("delivery_attempts").values(nullRows(ATTEMPT_COLUMNS, chunk.length)),
      values,
    );
  }
  for (const { state, ids } of groupByNextState(finished, now)) {
    for (const chunk of rowChunks(db, ids, INSERT_CHUNK)) {
      await runCompiledOnce(
        db,
        `update deliveries ${chunk.length}`,
        () =>
          db
            .updateTable("deliveries")
            .set(Object.fromEntries(NEXT_STATE_COLUMNS.map((c) => [c, null])))
            .where("id", "in", chunk),
        [...NEXT_STATE_COLUMNS.map((c) => state[c]), ...chunk],
      );
    }
  }
}

/**
 * Stored as an attempt's request body when it was the event's own rendering: ~1.2 KB less to write per
 * attempt, rendered again when read. A rendered event is never empty, so the empty text cannot be a real one.
 */
const EVENT_BODY = "";

const ATTEMPT_COLUMNS = [
  "delivery_id",
  "attempt_number",
  "started_at",
  "duration_ms",
  "request_url",
  "request_headers",
  "request_body",
  "response_status",
  "response_headers",
  "response_body",
  "error",
  "outcome",
] as const;

/** What recording an attempt sets on its delivery, in the order the update binds it. */
const NEXT_STATE_COLUMNS = [
  "status",
  "next_attempt_at",
  "attempt_count",
  "locked_until",
  "locked_by",
  "last_status_code",
  "last_error",
  "updated_at",
] as const;
type NextState = Pick<DeliveriesTable, (typeof NEXT_STATE_COLUMNS)[number]>;

/**
 * The deliveries of `finished` grouped by the row values they move to. A delivery that is no longer pending
 * has no next attempt to keep, so its next_attempt_at is the time of the record, like updated_at.
 */
function groupByNextState(finished: FinishedAttempt[], now: number) {
  const groups = new Map<string, { state: NextState; ids: number[] }>();
  for (const { attempt, update } of finished) {
    const state: NextState = {
      status: update.status,
      next_attempt_at: update.status === "pending" ? update.next_attempt_at : now,
      attempt_count: attempt.attempt_number,
      locked_until: 0,
      locked_by: null,
      last_status_code: attempt.response_status,
      last_error: attempt.error,
      updated_at: now,
    };
    // Every field that varies between attempts: far cheaper than serialising the whole state.
    const key = `${state.status} ${state.next_attempt_at} ${state.attempt_count} ${state.last_status_code} ${JSON.stringify(state.last_error)}`;
    const group = groups.get(key);
    if (group) group.ids.push(attempt.delivery_id);
    else groups.set(key, { state, ids: [attempt.delivery_id] });
  }
  return groups.values();
}

export interface Delivery {
  id: number;
  event_id: string;
  event_type: string;
  webhook_uid: number;
  status: DeliveryStatus;
  attempt_count: number;
  next_attempt_at: number | null;
  last_status_code: number | null;
  last_error: string | null;
  created_at: number;
  updated_at: number;
}

export interface DeliveryAttempt {
  attempt_number: number;
  started_at: number;
  duration_ms: number;
  request: { url: string; headers: Record<string, string>; body: string };
  response: { status: number; headers: Record<string, string>; body: string } | null;
  error: string | null;
  outcome: string;
}

type DeliveryJoined = DeliveryRow & { event_id: string; event_type: string };

function toDelivery(r: DeliveryJoined): Delivery {
  return {
    id: Number(r.id),
    event_id: r.event_id,
    event_type: r.event_type,
    webhook_uid: Number(r.webhook_uid),
    status: r.status,
    attempt_count: r.attempt_count,
    next_attempt_at: r.status === "pending" ? Number(r.next_attempt_at) : null,
    last_status_code: r.last_status_code,
    last_error: r.last_error,
    created_at: Number(r.created_at),
    updated_at: Number(r.updated_at),
  };
}

function toAttempt(r: DeliveryAttemptRow, event: StoredEvent): DeliveryAttempt {
  return {
    attempt_number: r.attempt_number,
    started_at: Number(r.started_at),
    duration_ms: r.duration_ms,
    request: {
      url: r.request_url,
      headers: JSON.parse(r.request_headers) as Record<string, string>,
      body: r.request_body === EVENT_BODY ? renderGatehouseV1(event) : r.request_body,
    },
    response:
      r.response_status === null
        ? null
        : {
            status: r.response_status,
            headers: JSON.parse(r.response_headers ?? "{}") as Record<string, string>,
            body: r.response_body ?? "",
          },
    error: r.error,
    outcome: r.outcome,
  };
}

function deliveriesWithEvent(db: Kysely<Database>) {
  return db
    .selectFrom("deliveries as d")
    .innerJoin("events as e", "e.position", "d.event_position")
    .selectAll("d")
    .select(["e.id as event_id", "e.type as event_type"]);
}

export async function listDeliveries(
  db: Kysely<Database>,
  query: { webhookUid: number; before?: number; limit: number; status?: DeliveryStatus },
): Promise<Delivery[]> {
  let q = deliveriesWithEvent(db)
    .where("d.webhook_uid", "=", query.webhookUid)
    .orderBy("d.id", "desc")
    .limit(query.limit);
  if (query.before) q = q.where("d.id", "<", query.before);
  if (query.status) q = q.where("d.status", "=", query.status);
  return (await q.execute()).map(toDelivery);
}

export async function getDelivery(
  db: Kysely<Database>,
  id: number,
): Promise<(Delivery & { attempts: DeliveryAttempt[] }) | undefined> {
  const row = await deliveriesWithEvent(db).where("d.id", "=", id).executeTakeFirst();
  if (!row) return undefined;
  const event = toStoredEvent(
    await db
      .selectFrom("events")
      .selectAll()
      .where("position", "=", row.event_position)
      .executeTakeFirstOrThrow(),
  );
  const attempts = await db
    .selectFrom("delivery_attempts")
    .selectAll()
    .where("delivery_id", "=", id)
    .orderBy("attempt_number")
    .execute();
  return { ...toDelivery(row), attempts: attempts.map((a) => toAttempt(a, event)) };
}

/** Makes a delivery due now for one more attempt, whatever state it ended in. */
export async function requeueDelivery(db: Kysely<Database>, id: number, now: number): Promise<boolean> {
  const r = await db
    .updateTable("deliveries")
    .set({ status: "pending", next_attempt_at: now, locked_until: 0, locked_by: null, updated_at: now })
    .where("id", "=", id)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function countPendingDeliveries(db: Kysely<Database>): Promise<number> {
  const r = await db
    .selectFrom("deliveries")
    .select(sql<number>`count(*)`.as("n"))
    .where("status", "=", "pending")
    .executeTakeFirstOrThrow();
  return Number(r.n);
}
