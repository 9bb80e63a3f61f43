// SIGTERM drains: a delivery in flight when the signal arrives is finished, recorded, and not sent again after a
// restart; the process exits 0.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { validData } from "../support/event-data.js";
import { type ServerProcess, spawnServer } from "../support/process.js";
import { Receiver } from "../support/receiver.js";
import { apiCall } from "../support/server.js";
import { createTestStore, type TestStore } from "../support/store.js";
import { waitFor } from "../support/wait.js";

/** What the test posts; not `*`, which also gets the audit event of the webhook's own creation. */
const POSTED_GROUPS = ["door.*", "access.*", "device.*", "custom.*"];

const RECEIVER_DELAY_MS = 1500;

describe("SIGTERM with a delivery in flight", () => {
  const children: ServerProcess[] = [];
  let rx: Receiver;
  let store: TestStore;

  beforeAll(async () => {
    store = await createTestStore();
    rx = await Receiver.start();
  });

  afterAll(async () => {
    for (const p of children) {
      if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill("SIGKILL");
    }
    await Promise.all(children.map((p) => p.exited));
    await rx.close();
    await store.drop();
  });

  async function start(): Promise<ServerProcess> {
    const p = await spawnServer(store.args);
    children.push(p);
    return p;
  }

  it("waits for the request, records it, and exits 0", { timeout: 40_000 }, async () => {
    const first = await start();
    const health = await apiCall(first.url, "GET", "/healthz", undefined, null);
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ status: "ok", store: store.kind });

    const created = await apiCall(first.url, "POST", "/v1/webhooks", {
      url: `${rx.url}/slow`,
      event_types: POSTED_GROUPS,
      max_retries: 5,
    });
    expect(created.status).toBe(201);
    const uid = created.body.uid as number;
    rx.secret = created.body.secret as string;
    // The receiver holds each answer for 1.5 s; note when the first one is due.
    let answeredAt = 0;
    rx.reply = () => {
      answeredAt ||= Date.now() + RECEIVER_DELAY_MS;
      return { status: 200, delayMs: RECEIVER_DELAY_MS };
    };

    const posted = await apiCall(first.url, "POST", "/v1/events", {
      type: "door.opened",
      site_id: 2,
      data: validData("door.opened", { door: { id: 12, name: "Loading dock" } }),
    });
    expect(posted.status).toBe(202);
    const eventId = posted.body.ids[0] as string;

    // The request is at the receiver, which holds its answer for 1.5 s: now ask the process to stop.
    await rx.waitForCount(1);
    const signalledAt = Date.now();
    first.child.kill("SIGTERM");
    const code = await first.exited;
    const exitedAt = Date.now();
    expect(code).toBe(0);
    // It did not leave before the receiver answered (a few ms of slack for timer rounding).
    expect(exitedAt).toBeGreaterThanOrEqual(answeredAt - 5);
    expect(exitedAt - signalledAt).toBeLessThan(RECEIVER_DELAY_MS + 10_000);
    expect(first.logs.some((l) => l.includes("draining in-flight deliveries"))).toBe(true);
    expect(first.logs.some((l) => l.includes("gatehouse stopped"))).toBe(true);

    // Restart on the same data: the attempt was recorded as a success, once.
    rx.reply = () => ({ status: 200 });
    const second = await start();
    expect((await apiCall(second.url, "GET", "/healthz", undefined, null)).status).toBe(200);
    const list = await apiCall(second.url, "GET", `/v1/webhooks/${uid}/deliveries`);
    expect(list.status).toBe(200);
    expect(list.body.deliveries).toHaveLength(1);
    const [delivery] = list.body.deliveries;
    expect(delivery).toMatchObject({ event_id: eventId, status: "succeeded", attempt_count: 1 });
    const detail = await apiCall(second.url, "GET", `/v1/deliveries/${delivery.id}`);
    expect(detail.status).toBe(200);
    expect(detail.body.attempts).toHaveLength(1);
    expect(detail.body.attempts[0]).toMatchObject({ attempt_number: 1, response: { status: 200 } });

    // Nothing is sent again: a marker posted after the restart arrives, and the first event still came only once.
    const marker = await apiCall(second.url, "POST", "/v1/events", { type: "custom.marker", data: {} });
    expect(marker.status).toBe(202);
    await waitFor(() => rx.eventIds().has(marker.body.ids[0]), { what: "the marker event" });
    expect(rx.received.filter((r) => r.json.id === eventId)).toHaveLength(1);
    expect(rx.received.every((r) => r.verified === true)).toBe(true);
    expect(rx.received[0]?.json).toMatchObject({
      id: eventId,
      type: "door.opened",
      site_id: 2,
      data: validData("door.opened", { door: { id: 12, name: "Loading dock" } }),
    });

    second.child.kill("SIGTERM");
    expect(await second.exited).toBe(0);
  });
});

describe("SIGTERM past the drain timeout", () => {
  it("aborts the request still in flight, exits 0, and sends it again after a restart", {
    timeout: 40_000,
  }, async () => {
    const store = await createTestStore();
    const rx = await Receiver.start();
    // The lease is short because on PostgreSQL the restarted node waits for the aborted delivery's lease to expire.
    const env = {
      GATEHOUSE_DRAIN_TIMEOUT_MS: "300",
      GATEHOUSE_RETRY_SCHEDULE_MS: "50",
      GATEHOUSE_LEASE_MS: "2000",
    };
    const first = await spawnServer(store.args, env);
    try {
      const created = await apiCall(first.url, "POST", "/v1/webhooks", {
        url: `${rx.url}/stuck`,
        event_types: POSTED_GROUPS,
        timeout: 30_000,
      });
      rx.reply = () => ({ status: 200, delayMs: 20_000 });
      const posted = await apiCall(first.url, "POST", "/v1/events", {
        type: "door.held_open",
        data: validData("door.held_open"),
      });
      await rx.waitForCount(1);

      const signalledAt = Date.now();
      first.child.kill("SIGTERM");
      expect(await first.exited).toBe(0);
      // Well under the receiver's 20 s and the webhook's 30 s timeout: the drain timeout bounded the wait.
      expect(Date.now() - signalledAt).toBeLessThan(5_000);

      rx.reply = () => ({ status: 200 });
      const second = await spawnServer(store.args, env);
      try {
        const again = await rx.waitForCount(2, 15_000);
        expect(again[1]?.json.id).toBe(posted.body.ids[0]);
        const list = await waitFor(
          async () => {
            const r = await apiCall(second.url, "GET", `/v1/webhooks/${created.body.uid}/deliveries`);
            return r.body.deliveries[0]?.status === "succeeded" ? r.body.deliveries : undefined;
          },
          { what: "the resent delivery to succeed" },
        );
        expect(list).toHaveLength(1);
      } finally {
        second.child.kill("SIGKILL");
        await second.exited;
      }
    } finally {
      if (first.child.exitCode === null) first.child.kill("SIGKILL");
      await rx.close();
      await store.drop();
    }
  });
});
