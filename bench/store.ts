// `npm run bench:store`: the store's share of a delivery, without HTTP. Each round writes what ingest writes for
// 100 events (sequences, event rows, one delivery each, one transaction) and then records their attempts as the
// attempt recorder does, in K commits. K is how many batches the recorder's delay cuts 100 deliveries into:
// fewer, larger commits are what a longer delay buys. CPU is this process's, every thread (the WAL's fsync and
// checkpoint threads included), per delivery.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { newEventId } from "../src/lib/ids.js";
import { type FinishedAttempt, insertDeliveries, recordAttempts } from "../src/store/deliveries.js";
import { allocateSequences, insertEvents } from "../src/store/events.js";
import { GroupCommit } from "../src/store/group-commit.js";
import { openStore, type Store } from "../src/store/store.js";
import { insertWebhook, listActiveWebhooks, WIRE_DEFAULTS } from "../src/store/webhooks.js";
import { EVENT_TYPE, eventData } from "./payload.js";
import { summarize } from "./stats.js";

const PER_ROUND = 100;
const WARMUP_ROUNDS = 50;
const ROUNDS = 200;
const REPEATS = 3;
const COMMITS_PER_ROUND = [1, 3, 6];

// What one attempt records: the headers a Standard Webhooks request carries, and a small reply's.
const REQUEST_HEADERS = {
  "content-type": "application/json",
  "user-agent": "Gatehouse/bench",
  "webhook-id": "0193a7f0-1234-7abc-8def-0123456789ab",
  "webhook-timestamp": "1764900000",
  "webhook-signature": "v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=",
};
const RESPONSE_HEADERS = { "content-type": "text/plain", "content-length": "2", connection: "keep-alive" };

async function freshStore(): Promise<{ store: Store; commit: GroupCommit; drop(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), "gatehouse-bench-store-"));
  const store = await openStore({ dataDir: dir });
  await insertWebhook(
    store.db,
    {
      ...WIRE_DEFAULTS,
      name: "bench",
      url: "http://127.0.0.1:9/",
      secret: `whsec_${"a".repeat(32)}`,
      status: "active",
      timeout: 5_000,
      headers: "{}",
      description: "",
      event_types: ["*"],
      max_retries: 3,
      disabled_reason: null,
    },
    Date.now(),
  );
  return {
    store,
    commit: new GroupCommit(store.db),
    drop: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

let seq = 0;

/** Ingest's writes for PER_ROUND events, then their attempts recorded in `commits` commits. */
async function round(commit: GroupCommit, commits: number): Promise<void> {
  const now = Date.now();
  const ids = await commit.submit(async ({ trx }) => {
    const first = (await allocateSequences(trx, new Map([[1, PER_ROUND]]))).get(1) as number;
    const events = Array.from({ length: PER_ROUND }, (_, i) => ({
      id: newEventId(),
      type: EVENT_TYPE,
      timestamp: new Date(now).toISOString(),
      recorded_at: now,
      site_id: 1,
      sequence: first + i,
      data_json: JSON.stringify(eventData(seq++, 0)),
    }));
    const positions = await insertEvents(trx, events);
    const [webhook] = await listActiveWebhooks(trx);
    const uid = webhook?.uid as number;
    return insertDeliveries(
      trx,
      positions.map((position) => ({
        event_position: position,
        webhook_uid: uid,
        next_attempt_at: now,
        locked_until: now + 60_000,
        locked_by: "bench",
      })),
      now,
    );
  });
  for (let k = 0; k < commits; k++) {
    const part = ids.slice(
      Math.floor((k * ids.length) / commits),
      Math.floor(((k + 1) * ids.length) / commits),
    );
    const finished: FinishedAttempt[] = part.map((id) => ({
      attempt: {
        delivery_id: id,
        attempt_number: 1,
        started_at: now,
        duration_ms: 1,
        request_url: "http://127.0.0.1:9/",
        request_headers: REQUEST_HEADERS,
        request_body: null,
        response_status: 200,
        response_headers: RESPONSE_HEADERS,
        response_body: "ok",
        error: null,
        outcome: "succeeded",
      },
      update: { status: "succeeded", next_attempt_at: now },
    }));
    await commit.submit(({ trx }) => recordAttempts(trx, finished, now));
  }
}

/** CPU µs per delivery over ROUNDS rounds on a fresh store. */
async function measure(commits: number): Promise<number> {
  const { commit, drop } = await freshStore();
  try {
    for (let i = 0; i < WARMUP_ROUNDS; i++) await round(commit, commits);
    const before = process.cpuUsage();
    for (let i = 0; i < ROUNDS; i++) await round(commit, commits);
    const used = process.cpuUsage(before);
    return (used.user + used.system) / (ROUNDS * PER_ROUND);
  } finally {
    await drop();
  }
}

async function main(): Promise<void> {
  const results = new Map<number, number[]>(COMMITS_PER_ROUND.map((k) => [k, []]));
  // Interleaved, so a machine that slows down midway weighs on every variant alike.
  for (let r = 0; r < REPEATS; r++) {
    for (const k of COMMITS_PER_ROUND) {
      process.stderr.write(
        `run ${r + 1}/${REPEATS}: attempts in ${k} commit(s) per ${PER_ROUND} deliveries\n`,
      );
      results.get(k)?.push(await measure(k));
    }
  }
  const base = summarize(results.get(1) ?? []).p50;
  process.stdout.write(
    `store writes per delivery, SQLite, ${ROUNDS * PER_ROUND} deliveries a run, median of ${REPEATS}\n`,
  );
  for (const [k, runs] of results) {
    const median = summarize(runs).p50;
    process.stdout.write(
      `  attempts recorded in ${String(k).padStart(2)} commit(s) per ${PER_ROUND}: ` +
        `${median.toFixed(1).padStart(6)} µs CPU/delivery  (${(median / base).toFixed(2)}× the 1-commit figure; ` +
        `runs ${runs.map((x) => x.toFixed(1)).join(", ")})\n`,
    );
  }
}

await main();
