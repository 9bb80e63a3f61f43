// Ingest hands its deliveries to the dispatcher when their transaction commits, and acknowledges the events
// only once the WAL's fsync is done (ADR 0005). A real SQLite store, with the fsync held back by the test.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import SQLite from "better-sqlite3";
import { Kysely } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { Ingest } from "../../src/events/ingest.js";
import { systemClock } from "../../src/lib/clock.js";
import { Metrics } from "../../src/lib/metrics.js";
import { DurableSqliteDialect } from "../../src/store/dialects/sqlite-durable.js";
import { GroupCommit } from "../../src/store/group-commit.js";
import type { Database } from "../../src/store/schema.js";
import { openStore } from "../../src/store/store.js";
import { insertWebhook } from "../../src/store/webhooks.js";
import { GatedSync } from "../support/gated-sync.js";
import { RecordingDispatcher } from "../support/recording-dispatcher.js";
import { waitFor } from "../support/wait.js";
import { webhookFields } from "../support/webhook-fields.js";

describe("ingest's hand-off", () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it("gives the deliveries to the dispatcher at COMMIT and acknowledges only after the fsync", async () => {
    const dir = mkdtempSync(join(tmpdir(), "gatehouse-hand-off-"));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    // The schema and one active webhook, written by the store as the server opens it.
    const setup = await openStore({ dataDir: dir });
    await insertWebhook(setup.db, webhookFields({ name: "hand-off", event_types: ["door.*"] }), Date.now());
    await setup.close();

    const path = join(dir, "gatehouse.db");
    const raw = new SQLite(path);
    const wal = new GatedSync(`${path}-wal`);
    const db = new Kysely<Database>({ dialect: new DurableSqliteDialect({ database: raw }, wal) });
    cleanups.push(() => db.destroy());
    const dispatcher = new RecordingDispatcher();
    const ingest = new Ingest({
      commit: new GroupCommit(db),
      dispatcher: dispatcher.asDispatcher,
      clock: systemClock,
      metrics: new Metrics(async () => 0),
      owner: "node-test",
      leaseMs: 60_000,
    });

    let acknowledged = false;
    const accepting = ingest
      .accept([{ type: "door.forced_open", site_id: 1, data: { door: { id: 3, name: "Loading dock" } } }])
      .then((accepted) => {
        acknowledged = true;
        return accepted;
      });
    await waitFor(() => dispatcher.handedOff.length > 0, { timeoutMs: 5_000, what: "the hand-off" });
    const [delivery] = dispatcher.handedOff;
    expect(delivery?.event.type).toBe("door.forced_open");
    expect(delivery?.event.data_json).toBe('{"door":{"id":3,"name":"Loading dock"}}');
    expect(raw.prepare("select count(*) as n from deliveries").get()).toEqual({ n: 1 });
    await sleep(20);
    expect(wal.started).toBeGreaterThan(0);
    expect(acknowledged).toBe(false); // no 202 before the disk has it

    wal.open();
    const accepted = await accepting;
    expect(accepted).toEqual([{ id: delivery?.event.id, duplicate: false }]);
    expect(dispatcher.handedOff).toHaveLength(1);
    expect(dispatcher.reserved).toBe(0);
  });
});
