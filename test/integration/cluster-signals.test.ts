import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { validData } from "../support/event-data.js";
import { Receiver } from "../support/receiver.js";
import { startTestServer, type TestServer } from "../support/server.js";
import { createTestStore, storeKind, type TestStore } from "../support/store.js";
import { waitFor } from "../support/wait.js";

describe.runIf(storeKind() === "postgres")("two nodes on one database", () => {
  let store: TestStore;
  let a: TestServer;
  let b: TestServer;
  beforeAll(async () => {
    store = await createTestStore();
    // Long poll intervals: anything that happens fast here happens because a node was told.
    a = await startTestServer({ store, delivery: { pollIntervalMs: 60_000 } });
    b = await startTestServer({ store, delivery: { pollIntervalMs: 60_000 } });
  });
  afterAll(async () => {
    await a.stop();
    await b.stop();
    await store.drop();
  });

  it("an API key deleted on one node stops working on the other at once, not after its cache expires", async () => {
    const created = await a.api("POST", "/v1/api-keys", { name: "short-lived", role: "viewer" });
    const key = created.body.key as string;
    expect((await b.api("GET", "/v1/webhooks", undefined, key)).status).toBe(200); // now cached on b
    const deletedAt = Date.now();
    expect((await a.api("DELETE", `/v1/api-keys/${created.body.id}`)).status).toBe(204);
    await waitFor(async () => (await b.api("GET", "/v1/webhooks", undefined, key)).status === 401, {
      what: "b to refuse the deleted key",
      timeoutMs: 4_000,
    });
    // b caches keys for 5 s; the refusal came well before that, so it was the signal.
    expect(Date.now() - deletedAt).toBeLessThan(4_000);
  });
});

describe.runIf(storeKind() === "postgres")("a node with no room for new work", () => {
  let store: TestStore;
  let full: TestServer;
  let idle: TestServer;
  let rx: Receiver;
  beforeAll(async () => {
    store = await createTestStore();
    // `full` takes nothing into memory, so everything it accepts waits in the store; both poll only once a minute.
    full = await startTestServer({ store, delivery: { pollIntervalMs: 60_000, maxQueued: 0 } });
    idle = await startTestServer({ store, delivery: { pollIntervalMs: 60_000 } });
    rx = await Receiver.start();
  });
  afterAll(async () => {
    await full.stop();
    await idle.stop();
    await store.drop();
    await rx.close();
  });

  it("tells the others, and an idle node delivers at once instead of at its next poll", async () => {
    await full.api("POST", "/v1/webhooks", { url: `${rx.url}/h`, event_types: ["door.*"] });
    const postedAt = Date.now();
    const posted = await full.api("POST", "/v1/events", {
      type: "door.opened",
      data: validData("door.opened"),
    });
    expect(posted.status).toBe(202);
    const [got] = await rx.waitForCount(1, 5_000);
    expect(got?.json.id).toBe(posted.body.ids[0]);
    expect(Date.now() - postedAt).toBeLessThan(5_000);
  });
});
