import { afterAll, beforeAll, describe, expect, it } from "vitest";
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
