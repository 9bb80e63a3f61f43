// Attempts recorded in batches: each delivery still gets its own attempt row and its own next state, and one
// record that cannot be written does not take its batch down with it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AttemptRecorder } from "../../src/delivery/attempt-recorder.js";
import { systemClock } from "../../src/lib/clock.js";
import { type FinishedAttempt, getDelivery, insertDeliveries } from "../../src/store/deliveries.js";
import { insertEvents } from "../../src/store/events.js";
import { GroupCommit } from "../../src/store/group-commit.js";
import { openStore, type Store } from "../../src/store/store.js";
import { insertWebhook } from "../../src/store/webhooks.js";
import { createTestStore, type TestStore } from "../support/store.js";
import { webhookFields } from "../support/webhook-fields.js";

describe("AttemptRecorder", () => {
  let testStore: TestStore;
  let store: Store;
  let commit: GroupCommit;
  let webhookUid: number;
  let nextSequence = 1;

  beforeAll(async () => {
    testStore = await createTestStore();
    store = await openStore({ dataDir: testStore.dataDir, databaseUrl: testStore.databaseUrl });
    commit = new GroupCommit(store.db);
    const webhook = await insertWebhook(
      store.db,
      webhookFields({ name: "recorder", event_types: ["*"] }),
      Date.now(),
    );
    webhookUid = webhook.uid;
  });

  afterAll(async () => {
    await store.close();
    await testStore.drop();
  });

  async function newDeliveries(n: number): Promise<number[]> {
    const now = Date.now();
    const events = Array.from({ length: n }, (_, i) => ({
      id: `evt-${nextSequence + i}-${now}`,
      type: "door.opened",
      timestamp: new Date(now).toISOString(),
      recorded_at: now,
      site_id: null,
      sequence: nextSequence + i,
      data_json: JSON.stringify({ i }),
    }));
    nextSequence += n;
    const positions = await insertEvents(store.db, events);
    return insertDeliveries(
      store.db,
      positions.map((p) => ({
        event_position: p,
        webhook_uid: webhookUid,
        next_attempt_at: now,
        locked_until: now + 60_000,
        locked_by: "node-test",
      })),
      now,
    );
  }

  function finished(id: number, i: number): FinishedAttempt {
    const ok = i % 3 === 0;
    const status = i % 3 === 1 ? 503 : ok ? 200 : null;
    return {
      attempt: {
        delivery_id: id,
        attempt_number: 1 + (i % 2),
        started_at: 1_000 + i,
        duration_ms: i,
        request_url: "http://127.0.0.1:9/hook",
        request_headers: { "webhook-id": `msg-${i}` },
        request_body: `{"i":${i}}`,
        response_status: status,
        response_headers: status === null ? null : { "x-i": String(i) },
        response_body: status === null ? null : `reply ${i}`,
        error: ok ? null : status === null ? "ECONNREFUSED: refused" : `HTTP ${status}`,
        outcome: ok ? "succeeded" : "retry",
      },
      update: ok
        ? { status: "succeeded", next_attempt_at: 2_000 + i }
        : { status: "pending", next_attempt_at: 5_000_000 + i },
    };
  }

  it("gives each delivery its own attempt row and next state, and releases its lease", async () => {
    const ids = await newDeliveries(7);
    const recorder = new AttemptRecorder(commit, systemClock, { maxDelayMs: 50, maxRecords: 500 });
    await Promise.all(ids.map((id, i) => recorder.record(finished(id, i))));
    for (const [i, id] of ids.entries()) {
      const want = finished(id, i);
      const d = await getDelivery(store.db, id);
      expect(d).toMatchObject({
        status: want.update.status,
        attempt_count: want.attempt.attempt_number,
        last_status_code: want.attempt.response_status,
        last_error: want.attempt.error,
        next_attempt_at: want.update.status === "pending" ? want.update.next_attempt_at : null,
      });
      expect(d?.attempts).toEqual([
        {
          attempt_number: want.attempt.attempt_number,
          started_at: want.attempt.started_at,
          duration_ms: want.attempt.duration_ms,
          request: {
            url: want.attempt.request_url,
            headers: want.attempt.request_headers,
            body: `{"i":${i}}`,
          },
          response:
            want.attempt.response_status === null
              ? null
              : { status: want.attempt.response_status, headers: { "x-i": String(i) }, body: `reply ${i}` },
          error: want.attempt.error,
          outcome: want.attempt.outcome,
        },
      ]);
    }
    const leases = await store.db
      .selectFrom("deliveries")
      .select(["locked_until", "locked_by"])
      .where("id", "in", ids)
      .execute();
    expect(leases.every((l) => Number(l.locked_until) === 0 && l.locked_by === null)).toBe(true);
  });

  it("writes a full batch at once, without waiting for the delay", async () => {
    const ids = await newDeliveries(4);
    const recorder = new AttemptRecorder(commit, systemClock, { maxDelayMs: 60_000, maxRecords: 4 });
    await Promise.all(ids.map((id, i) => recorder.record(finished(id, i))));
    expect((await getDelivery(store.db, ids[3] as number))?.attempts).toHaveLength(1);
  });

  it("fails only the record whose delivery is gone; its neighbours commit", async () => {
    const ids = await newDeliveries(3);
    const recorder = new AttemptRecorder(commit, systemClock, { maxDelayMs: 50, maxRecords: 500 });
    const gone = Math.max(...ids) + 1_000_000;
    const results = await Promise.allSettled([
      recorder.record(finished(ids[0] as number, 0)),
      recorder.record(finished(gone, 1)),
      recorder.record(finished(ids[1] as number, 2)),
      recorder.record(finished(ids[2] as number, 3)),
    ]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled", "fulfilled"]);
    for (const id of ids) expect((await getDelivery(store.db, id))?.attempts).toHaveLength(1);
  });

  it("flush() resolves once everything recorded so far has committed", async () => {
    const ids = await newDeliveries(2);
    const recorder = new AttemptRecorder(commit, systemClock, { maxDelayMs: 60_000, maxRecords: 500 });
    const recorded = ids.map((id, i) => recorder.record(finished(id, i)));
    await recorder.flush();
    for (const id of ids) expect((await getDelivery(store.db, id))?.attempts).toHaveLength(1);
    await Promise.all(recorded);
  });
});
