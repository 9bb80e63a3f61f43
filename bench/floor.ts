// `npm run bench -- --floor`: the reference pipeline. The least a single Node process can do for the bench's
// end-to-end phase while doing the same durable work as Gatehouse, so its figures show what the machine allows
// rather than what Gatehouse's code costs. Not product code: no validation beyond the shape, no retries, no
// recovery, no API beyond the four calls the bench makes. What it does keep, because Gatehouse must:
//   - per burst of POSTs, one transaction: per-site sequence numbers, event rows, one delivery row per
//     webhook, the same tables and indexes as Gatehouse's schema; the 202 only after the WAL's fdatasync;
//   - deliveries handed off at COMMIT, in Gatehouse's envelope, Standard-Webhooks-signed, over an undici Pool
//     with Gatehouse's per-webhook concurrency;
//   - one attempt row per send (request headers and body, response status, headers and body) and the delivery
//     row updated, written in batches a few ms apart, each batch followed by an fdatasync.
// Run as `node --import tsx bench/floor.ts --port P --host H --data DIR`, like `gatehouse serve`.
import { createHmac, randomBytes, randomUUID } from "node:crypto";
import { fdatasync, openSync } from "node:fs";
import { createServer, type ServerResponse } from "node:http";
import { join } from "node:path";
import { parseArgs } from "node:util";
import SQLite from "better-sqlite3";
import { Pool } from "undici";

const SCHEMA = `
create table webhooks (uid integer primary key autoincrement, url text not null, secret text not null);
create table site_sequences (site_key integer primary key, last_sequence integer not null);
create table events (position integer primary key autoincrement, id text not null unique, type text not null,
  site_id integer, sequence integer not null, timestamp text not null, recorded_at integer not null,
  data text not null);
create index events_type_position on events (type, position);
create table deliveries (id integer primary key autoincrement,
  event_position integer not null references events (position),
  webhook_uid integer not null references webhooks (uid), status text not null, attempt_count integer not null,
  next_attempt_at integer not null, locked_until integer not null, locked_by text, last_status_code integer,
  last_error text, created_at integer not null, updated_at integer not null);
create index deliveries_due on deliveries (status, next_attempt_at);
create index deliveries_webhook on deliveries (webhook_uid, id);
create index deliveries_event on deliveries (event_position);
create table delivery_attempts (id integer primary key autoincrement,
  delivery_id integer not null references deliveries (id), attempt_number integer not null,
  started_at integer not null, duration_ms integer not null, request_url text not null,
  request_headers text not null, request_body text not null, response_status integer, response_headers text,
  response_body text, error text);
create index delivery_attempts_delivery on delivery_attempts (delivery_id);
`;
/** Rows per multi-row statement, under SQLite's 32,766 bound parameters. */
const CHUNK = 500;
const LEASE_MS = 60_000;
/** How long finished sends wait to be written together. */
const RECORD_EVERY_MS = 2;

interface Webhook {
  uid: number;
  url: string;
  path: string;
  pool: Pool;
  key: Buffer;
}
interface Incoming {
  id: string;
  type: string;
  site_id: number | null;
  data_json: string;
}
interface Stored extends Incoming {
  position: number;
  sequence: number;
  recorded: string;
}
interface Delivery {
  id: number;
  webhook: Webhook;
  event: Stored;
}
interface Attempt {
  delivery: Delivery;
  startedAt: number;
  durationMs: number;
  headers: Record<string, string>;
  body: string;
  response: { status: number; headers: unknown; body: string } | null;
  error: string | null;
}

const { values: flags } = parseArgs({
  options: { port: { type: "string" }, host: { type: "string" }, data: { type: "string" } },
  allowPositionals: true,
});
const adminKey = process.env.GATEHOUSE_ADMIN_KEY;
const perWebhook = Number(process.env.GATEHOUSE_MAX_IN_FLIGHT_PER_WEBHOOK ?? 32);

const dbPath = join(String(flags.data), "floor.db");
const db = new SQLite(dbPath);
db.pragma("journal_mode = WAL");
db.pragma("synchronous = NORMAL");
db.exec(SCHEMA);
const walFd = openSync(`${dbPath}-wal`, "r+");

const statements = new Map<string, SQLite.Statement>();
function statement(sql: string): SQLite.Statement {
  let s = statements.get(sql);
  if (!s) {
    s = db.prepare(sql);
    statements.set(sql, s);
  }
  return s;
}
const placeholders = (rows: number, columns: number) =>
  Array.from({ length: rows }, () => `(${Array(columns).fill("?").join(",")})`).join(",");

/** fdatasyncs of the WAL, one after another: each covers every commit made before it started. */
let syncs: Promise<void> = Promise.resolve();
function syncWal(): Promise<void> {
  syncs = syncs.then(() => new Promise<void>((ok, fail) => fdatasync(walFd, (e) => (e ? fail(e) : ok()))));
  return syncs;
}

const webhooks: Webhook[] = [];
/** Deliveries stored and not yet recorded as attempted: what /metrics reports as the queue depth. */
let pending = 0;

// Ingest: the POSTs of one turn of the event loop in one transaction.
let queued: Array<{ events: Incoming[]; done: (error?: unknown) => void }> = [];
function submit(events: Incoming[]): Promise<void> {
  return new Promise((resolve, reject) => {
    if (queued.length === 0) setImmediate(commitQueued);
    queued.push({ events, done: (error) => (error ? reject(error) : resolve()) });
  });
}

function commitQueued(): void {
  const batch = queued;
  queued = [];
  let deliveries: Delivery[];
  try {
    deliveries = db.transaction(() => store(batch.flatMap((b) => b.events)))();
  } catch (error) {
    for (const b of batch) b.done(error);
    return;
  }
  pending += deliveries.length;
  for (const d of deliveries) dispatch(d);
  syncWal().then(
    () => {
      for (const b of batch) b.done();
    },
    (error) => {
      for (const b of batch) b.done(error);
    },
  );
}

function store(events: Incoming[]): Delivery[] {
  const now = Date.now();
  const recorded = new Date(now).toISOString();
  const bySite = new Map<number, number>();
  for (const e of events) bySite.set(e.site_id ?? 0, (bySite.get(e.site_id ?? 0) ?? 0) + 1);
  const sites = [...bySite.keys()].sort((a, b) => a - b);
  const last = statement(
    `insert into site_sequences (site_key, last_sequence) values ${placeholders(sites.length, 2)} ` +
      "on conflict (site_key) do update set last_sequence = last_sequence + excluded.last_sequence " +
      "returning site_key, last_sequence",
  ).all(sites.flatMap((s) => [s, bySite.get(s)])) as Array<{ site_key: number; last_sequence: number }>;
  const next = new Map(last.map((r) => [r.site_key, r.last_sequence - (bySite.get(r.site_key) ?? 0) + 1]));
  const out: Delivery[] = [];
  for (let i = 0; i < events.length; i += CHUNK) {
    const chunk = events.slice(i, i + CHUNK);
    const rows: unknown[] = [];
    const stored: Stored[] = chunk.map((e) => {
      const site = e.site_id ?? 0;
      const sequence = next.get(site) ?? 1;
      next.set(site, sequence + 1);
      rows.push(e.id, e.type, e.site_id, sequence, recorded, now, e.data_json);
      return { ...e, sequence, recorded, position: 0 };
    });
    const positions = statement(
      "insert into events (id, type, site_id, sequence, timestamp, recorded_at, data) " +
        `values ${placeholders(chunk.length, 7)} returning position`,
    ).all(rows) as Array<{ position: number }>;
    const deliveryRows: unknown[] = [];
    stored.forEach((e, j) => {
      e.position = positions[j]?.position ?? 0;
      for (const w of webhooks)
        deliveryRows.push(e.position, w.uid, "pending", 0, now, now + LEASE_MS, "floor", now, now);
    });
    const ids = statement(
      "insert into deliveries (event_position, webhook_uid, status, attempt_count, next_attempt_at, " +
        `locked_until, locked_by, created_at, updated_at) values ${placeholders(deliveryRows.length / 9, 9)} ` +
        "returning id",
    ).all(deliveryRows) as Array<{ id: number }>;
    let k = 0;
    for (const event of stored)
      for (const webhook of webhooks) out.push({ id: ids[k++]?.id ?? 0, webhook, event });
  }
  return out;
}

// Delivery: at most `perWebhook` sends in flight, the rest in order behind them.
let inFlight = 0;
const waiting: Delivery[] = [];
function dispatch(d: Delivery): void {
  if (inFlight >= perWebhook) waiting.push(d);
  else void send(d);
}

async function send(d: Delivery): Promise<void> {
  inFlight++;
  const { webhook, event } = d;
  const body =
    `{"id":${JSON.stringify(event.id)},"type":${JSON.stringify(event.type)},"timestamp":"${event.recorded}",` +
    `"recorded_at":"${event.recorded}","site_id":${event.site_id},"sequence":${event.sequence},"data":${event.data_json}}`;
  const messageId = `msg_${d.id}`;
  const timestamp = String(Math.floor(Date.now() / 1000));
  const signature = createHmac("sha256", webhook.key)
    .update(`${messageId}.${timestamp}.`)
    .update(body)
    .digest("base64");
  const headers = {
    "content-type": "application/json",
    "user-agent": "gatehouse-bench-floor",
    "webhook-id": messageId,
    "webhook-timestamp": timestamp,
    "webhook-signature": `v1,${signature}`,
  };
  const startedAt = Date.now();
  let response: Attempt["response"] = null;
  let error: string | null = null;
  try {
    const res = await webhook.pool.request({
      path: webhook.path,
      method: "POST",
      headers,
      body,
      headersTimeout: 10_000,
      bodyTimeout: 10_000,
    });
    response = { status: res.statusCode, headers: res.headers, body: await res.body.text() };
  } catch (e) {
    error = e instanceof Error ? e.message : String(e);
  }
  record({ delivery: d, startedAt, durationMs: Date.now() - startedAt, headers, body, response, error });
  inFlight--;
  const next = waiting.shift();
  if (next) void send(next);
}

// Attempts: those finished within a few ms, in one transaction.
let attempts: Attempt[] = [];
function record(a: Attempt): void {
  if (attempts.length === 0) setTimeout(writeAttempts, RECORD_EVERY_MS);
  attempts.push(a);
}

function writeAttempts(): void {
  const batch = attempts;
  attempts = [];
  const now = Date.now();
  db.transaction(() => {
    for (let i = 0; i < batch.length; i += CHUNK) {
      const chunk = batch.slice(i, i + CHUNK);
      const rows: unknown[] = [];
      for (const a of chunk)
        rows.push(
          a.delivery.id,
          1,
          a.startedAt,
          a.durationMs,
          a.delivery.webhook.url,
          JSON.stringify(a.headers),
          a.body,
          a.response?.status ?? null,
          a.response ? JSON.stringify(a.response.headers) : null,
          a.response?.body ?? null,
          a.error,
        );
      statement(
        "insert into delivery_attempts (delivery_id, attempt_number, started_at, duration_ms, request_url, " +
          "request_headers, request_body, response_status, response_headers, response_body, error) " +
          `values ${placeholders(chunk.length, 11)}`,
      ).run(rows);
      const ok = chunk.filter((a) => a.response && a.response.status < 300).map((a) => a.delivery.id);
      if (ok.length > 0)
        statement(
          "update deliveries set status = 'succeeded', attempt_count = 1, locked_until = 0, locked_by = null, " +
            `last_status_code = 200, updated_at = ? where id in (${Array(ok.length).fill("?").join(",")})`,
        ).run(now, ...ok);
    }
  })();
  void syncWal().then(() => {
    pending -= batch.length;
  });
}

// HTTP: the four calls the bench makes.
function reply(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

function addWebhook(url: string): { uid: number; secret: string } {
  const secret = `whsec_${randomBytes(24).toString("base64")}`;
  const uid = Number(
    statement("insert into webhooks (url, secret) values (?, ?)").run(url, secret).lastInsertRowid,
  );
  const target = new URL(url);
  const pool = new Pool(target.origin, { connections: perWebhook, keepAliveTimeout: 30_000 });
  webhooks.push({ uid, url, path: target.pathname, pool, key: Buffer.from(secret.slice(6), "base64") });
  return { uid, secret };
}

function incoming(body: unknown): Incoming[] | null {
  const list = Array.isArray(body) ? body : [body];
  const events: Incoming[] = [];
  for (const e of list as Array<Record<string, unknown>>) {
    if (typeof e?.type !== "string" || typeof e.data !== "object" || e.data === null) return null;
    const site = typeof e.site_id === "number" ? e.site_id : null;
    const id = typeof e.id === "string" ? e.id : randomUUID();
    events.push({ id, type: e.type, site_id: site, data_json: JSON.stringify(e.data) });
  }
  return events;
}

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    if (req.url === "/healthz") return reply(res, 200, { status: "ok" });
    if (req.url === "/metrics") {
      res.end(`gatehouse_delivery_queue_depth ${pending}\n`);
      return;
    }
    if (req.headers.authorization !== `Bearer ${adminKey}`) return reply(res, 401, { error: "Log In" });
    let body: unknown;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    } catch {
      return reply(res, 400, { error: "Wrong JSON body" });
    }
    if (req.url === "/v1/webhooks")
      return reply(res, 201, addWebhook(String((body as { url: unknown }).url)));
    if (req.url !== "/v1/events") return reply(res, 404, { error: "Not found" });
    const events = incoming(body);
    if (!events) return reply(res, 400, { error: "each event needs a type and a data object" });
    submit(events).then(
      () => reply(res, 202, { ids: events.map((e) => e.id), duplicates: [] }),
      (error) => reply(res, 500, { error: String(error) }),
    );
  });
});
server.keepAliveTimeout = 120_000;
server.listen(Number(flags.port), String(flags.host));
process.once("SIGTERM", () => {
  server.close();
  db.close();
  process.exit(0);
});
