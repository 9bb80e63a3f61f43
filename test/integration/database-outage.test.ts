import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { validData } from "../support/event-data.js";
import { Receiver } from "../support/receiver.js";
import { startTestServer, type TestServer } from "../support/server.js";
import { createTestStore, storeKind, type TestStore } from "../support/store.js";
import { TcpProxy } from "../support/tcp-proxy.js";
import { waitFor } from "../support/wait.js";

describe.runIf(storeKind() === "postgres")("when the database connection is lost", () => {
  let store: TestStore;
  let proxy: TcpProxy;
  let gh: TestServer;
  let rx: Receiver;

  beforeAll(async () => {
    store = await createTestStore();
    const direct = new URL(store.databaseUrl as string);
    proxy = new TcpProxy(direct.hostname, Number(direct.port || 5432));
    await proxy.open();
    // The node reaches PostgreSQL only through the proxy, so cutting it is a real outage for this node.
    const viaProxy = new URL(direct);
    viaProxy.hostname = "127.0.0.1";
    viaProxy.port = String(proxy.port);
    gh = await startTestServer({ store: { ...store, databaseUrl: viaProxy.toString() } });
    rx = await Receiver.start();
  });
  afterAll(async () => {
    await proxy.open();
    await gh.stop();
    await rx.close();
    await store.drop();
  });

  it("reports not-ready, refuses events with a 503, and recovers when the database is back", async () => {
    const hook = await gh.api("POST", "/v1/webhooks", { url: `${rx.url}/h`, event_types: ["door.*"] });
    expect(hook.status).toBe(201);
    expect((await gh.api("GET", "/healthz")).status).toBe(200);

    await proxy.cut();
    const refused = await gh.api("POST", "/v1/events", {
      type: "door.opened",
      data: validData("door.opened"),
    });
    expect(refused.status).toBe(503);
    expect(refused.body.error).toMatch(/^database unavailable .*nothing was stored/);
    const health = await waitFor(
      async () => {
        const r = await gh.api("GET", "/healthz", undefined, null);
        return r.status === 503 ? r : undefined;
      },
      { what: "healthz to report the outage" },
    );
    expect(health.body).toMatchObject({ status: "unavailable" });
    expect(health.body.error).toMatch(/^database unreachable/);
    // Still refused while down, without waiting on the database.
    expect(
      (await gh.api("POST", "/v1/events", { type: "door.closed", data: validData("door.closed") })).status,
    ).toBe(503);

    await proxy.open();
    await waitFor(async () => (await gh.api("GET", "/healthz", undefined, null)).status === 200, {
      what: "healthz to recover",
      timeoutMs: 15_000,
    });
    const accepted = await gh.api("POST", "/v1/events", {
      type: "door.forced_open",
      data: validData("door.forced_open"),
    });
    expect(accepted.status).toBe(202);
    const [got] = await rx.waitForCount(1);
    // Nothing refused during the outage was stored or sent.
    expect(got?.json.type).toBe("door.forced_open");
    // (The webhook's own creation is on record too, as audit.webhook.created.)
    const events = await gh.api("GET", "/v1/events?type=door.opened,door.closed,door.forced_open");
    expect(events.body.events.map((e: { type: string }) => e.type)).toEqual(["door.forced_open"]);
  });
});
