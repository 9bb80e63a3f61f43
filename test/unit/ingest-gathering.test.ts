// Ingest gathers the requests that arrive before their write starts into one write, answers each request with
// its own events, and, should that write fail, writes each request alone so only the bad one fails.
// A real migrated SQLite store; a trigger stands in for whatever could make one request's rows fail.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Ingest } from "../../src/events/ingest.js";
import { systemClock } from "../../src/lib/clock.js";
import { Metrics } from "../../src/lib/metrics.js";
import { GroupCommit } from "../../src/store/group-commit.js";
import { openStore, type Store } from "../../src/store/store.js";
import { insertWebhook } from "../../src/store/webhooks.js";
import { RecordingDispatcher } from "../support/recording-dispatcher.js";
import { webhookFields } from "../support/webhook-fields.js";

/**
 * GroupCommit, counting the writes submitted to it. With `failAfterCommit`, the first write reports a failure
 * although it committed: what a connection lost while COMMIT was under way looks like to the caller.
 */
class CountingCommit extends GroupCommit {
  writes = 0;
  failAfterCommit = false;
  override submit: GroupCommit["submit"] = (write, lockKeys, onCommitted) => {
    this.writes++;
    const done = super.submit(write, lockKeys, onCommitted);
    if (!this.failAfterCommit) return done;
    this.failAfterCommit = false;
    return done.then(() => {
      throw new Error("connection lost during COMMIT");
    });
  };
}

const event = (id: string, site = 1) => ({
  type: "door.forced_open",
  id,
  site_id: site,
  data: { door: { id: 3 } },
});

describe("ingest gathers a burst's requests into one write", () => {
  let dir: string;
  let store: Store;
  let commit: CountingCommit;
  let dispatcher: RecordingDispatcher;
  let ingest: Ingest;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), "gatehouse-gathering-"));
    store = await openStore({ dataDir: dir });
    await insertWebhook(store.db, webhookFields({ name: "gathering", event_types: ["door.*"] }), Date.now());
    commit = new CountingCommit(store.db);
    dispatcher = new RecordingDispatcher();
    ingest = new Ingest({
      commit,
      dispatcher: dispatcher.asDispatcher,
      clock: systemClock,
      metrics: new Metrics(async () => 0),
      owner: "node-test",
      leaseMs: 60_000,
    });
  });

  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const storedIds = async () =>
    (await store.db.selectFrom("events").select("id").orderBy("position").execute()).map((r) => r.id);

  it("writes requests made before the write starts as one, and answers each with its own events", async () => {
    const answers = await Promise.all([
      ingest.accept([event("a1"), event("a2", 2)]),
      ingest.accept([event("b1", 3)]),
      ingest.accept([event("c1"), event("c2"), event("c3", 4)]),
    ]);
    expect(commit.writes).toBe(1);
    expect(answers.map((a) => a.map((x) => x.id))).toEqual([["a1", "a2"], ["b1"], ["c1", "c2", "c3"]]);
    expect(await storedIds()).toEqual(["a1", "a2", "b1", "c1", "c2", "c3"]);
    expect(dispatcher.handedOff.map((d) => d.event.id)).toEqual(["a1", "a2", "b1", "c1", "c2", "c3"]);
    expect(dispatcher.reserved).toBe(0);
  });

  it("counts an id repeated by two requests of one write once, as two separate writes would", async () => {
    const [first, second] = await Promise.all([
      ingest.accept([event("same"), event("x")]),
      ingest.accept([event("same"), event("y")]),
    ]);
    expect(commit.writes).toBe(1);
    expect(first).toEqual([
      { id: "same", duplicate: false },
      { id: "x", duplicate: false },
    ]);
    expect(second).toEqual([
      { id: "same", duplicate: true },
      { id: "y", duplicate: false },
    ]);
    expect(await storedIds()).toEqual(["same", "x", "y"]);
    expect(dispatcher.handedOff).toHaveLength(3);
  });

  it("starts a new write for a request made once the write has started", async () => {
    const first = ingest.accept([event("early")]);
    // The write starts on the next turn of the event loop; by the time the first request is answered, it
    // has committed, so this one cannot have joined it.
    await first;
    await ingest.accept([event("late")]);
    expect(commit.writes).toBe(2);
    expect(await storedIds()).toEqual(["early", "late"]);
  });

  it("writes each request alone when the gathered write fails, so only the bad one fails", async () => {
    await sql`create trigger refuse_poison before insert on events when new.id = 'poison'
      begin select raise(abort, 'poisoned event'); end`.execute(store.db);
    const results = await Promise.allSettled([
      ingest.accept([event("good1")]),
      ingest.accept([event("fine"), event("poison")]),
      ingest.accept([event("good2", 2)]),
    ]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect(String((results[1] as PromiseRejectedResult).reason)).toContain("poisoned event");
    // The gathered write, then each of the three alone.
    expect(commit.writes).toBe(4);
    // Nothing of the bad request was kept, not even its good event: a request is stored whole or not at all.
    expect(await storedIds()).toEqual(["good1", "good2"]);
    expect(dispatcher.handedOff.map((d) => d.event.id)).toEqual(["good1", "good2"]);
    expect(dispatcher.reserved).toBe(0);
  });

  it("writes each request again as a rerun when the gathered write may have committed after all", async () => {
    commit.failAfterCommit = true;
    // No ids given: ids minted at ingest are looked up too, or the rerun would store these events twice.
    const minted = (site: number) => ({ type: "door.forced_open", site_id: site, data: { door: { id: 3 } } });
    const [first, second] = await Promise.all([ingest.accept([minted(1)]), ingest.accept([minted(2)])]);
    expect(commit.writes).toBe(3);
    const ids = await storedIds();
    expect(ids).toHaveLength(2);
    expect([...first, ...second]).toEqual(ids.map((id) => ({ id, duplicate: true })));
    expect(dispatcher.handedOff.map((d) => d.event.id)).toEqual(ids);
  });
});
