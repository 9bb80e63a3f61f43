// The delivery engine against real receivers on loopback: retries, Retry-After, 410, timeouts, the SSRF
// guard, manual retries, test sends, disabled webhooks, restart recovery and metrics.
import { afterEach, describe, expect, it } from "vitest";
import type { DeliveryConfig } from "../../src/config.js";
import type { Clock } from "../../src/lib/clock.js";
import { expectAllDelivered } from "../support/deliveries.js";
import { validData } from "../support/event-data.js";
import { Receiver } from "../support/receiver.js";
import { startTestServer, type TestServer, type TestServerOptions } from "../support/server.js";
import { createTestStore, type TestStore } from "../support/store.js";
import { waitFor } from "../support/wait.js";

type Api = TestServer["api"];

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function server(options: TestServerOptions = {}): Promise<TestServer> {
  const gh = await startTestServer(options);
  cleanups.push(() => gh.stop());
  return gh;
}

async function receiver(): Promise<Receiver> {
  const rx = await Receiver.start();
  cleanups.push(() => rx.close());
  return rx;
}

/** Creates a webhook pointing at the receiver and tells the receiver its secret, so it verifies signatures. */
async function webhookTo(api: Api, rx: Receiver, fields: Record<string, unknown> = {}) {
  const res = await api("POST", "/v1/webhooks", {
    url: `${rx.url}/hook`,
    event_types: ["door.*"],
    ...fields,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  rx.secret = res.body.secret;
  return res.body as { uid: number; secret: string; url: string };
}

async function postEvent(api: Api, type = "door.opened", data: Record<string, unknown> = validData(type)) {
  const res = await api("POST", "/v1/events", { type, data });
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  return res.body.ids[0] as string;
}

async function deliveriesOf(api: Api, uid: number): Promise<any[]> {
  const res = await api("GET", `/v1/webhooks/${uid}/deliveries`);
  expect(res.status).toBe(200);
  return res.body.deliveries;
}

/** Waits until the webhook's only delivery satisfies `done`, and answers it with every attempt. */
async function waitForDelivery(api: Api, uid: number, done: (d: any) => boolean, what: string): Promise<any> {
  return waitFor(
    async () => {
      const [first] = await deliveriesOf(api, uid);
      if (!first) return undefined;
      const d = (await api("GET", `/v1/deliveries/${first.id}`)).body;
      return done(d) ? d : undefined;
    },
    { what },
  );
}

describe("retries", () => {
  it("retries a failing receiver and records every attempt until it succeeds", async () => {
    const gh = await server();
    const rx = await receiver();
    rx.reply = (_req, i) => ({
      status: i < 2 ? 500 : 200,
      headers: { "x-reply-number": String(i) },
      body: i < 2 ? `boom ${i}` : "thanks",
    });
    const hook = await webhookTo(gh.api, rx);
    const eventId = await postEvent(gh.api);

    const d = await waitForDelivery(
      gh.api,
      hook.uid,
      (x) => x.status === "succeeded",
      "a succeeded delivery",
    );
    expect(d).toMatchObject({ event_id: eventId, event_type: "door.opened", attempt_count: 3 });
    expect(d.attempts.map((a: any) => a.attempt_number)).toEqual([1, 2, 3]);
    expect(d.attempts.map((a: any) => a.outcome)).toEqual(["retry", "retry", "succeeded"]);
    for (const [i, a] of d.attempts.entries()) {
      expect(a.request.url).toBe(hook.url);
      expect(a.request.headers["webhook-id"]).toBe(eventId);
      expect(a.request.headers["content-type"]).toBe("application/json");
      expect(a.request.headers["webhook-signature"]).toMatch(/^v1,/);
      expect(JSON.parse(a.request.body)).toMatchObject({ id: eventId, type: "door.opened" });
      expect(a.response.status).toBe(i < 2 ? 500 : 200);
      expect(a.response.body).toBe(i < 2 ? `boom ${i}` : "thanks");
      expect(a.response.headers["x-reply-number"]).toBe(String(i));
      expect(a.duration_ms).toBeGreaterThanOrEqual(0);
      expect(Date.parse(a.started_at)).not.toBeNaN();
      expect(a.error).toBe(i < 2 ? "HTTP 500" : null);
    }

    // The receiver saw the same event, with the same id and a valid signature, three times.
    expect(rx.received).toHaveLength(3);
    expect(rx.received.map((r) => r.headers["webhook-id"])).toEqual([eventId, eventId, eventId]);
    expect(rx.received.every((r) => r.verified)).toBe(true);
    expect(new Set(rx.received.map((r) => r.body)).size).toBe(1);
    expect(rx.received.map((r) => r.body)).toEqual(d.attempts.map((a: any) => a.request.body));
  });

  it("gives up after max_retries retries: max_retries 2 means exactly 3 attempts", async () => {
    const gh = await server();
    const rx = await receiver();
    rx.reply = () => ({ status: 503 });
    const hook = await webhookTo(gh.api, rx, { max_retries: 2 });
    await postEvent(gh.api);

    const d = await waitForDelivery(gh.api, hook.uid, (x) => x.status === "failed", "a failed delivery");
    expect(d.attempt_count).toBe(3);
    expect(d.last_status_code).toBe(503);
    expect(d.next_attempt_at).toBeNull();
    expect(d.attempts.map((a: any) => a.outcome)).toEqual(["retry", "retry", "failed"]);
    expect(rx.received).toHaveLength(3);
  });

  it("waits as long as a 429's Retry-After asks, beyond the schedule", async () => {
    const gh = await server({ delivery: { retryScheduleMs: [50] } });
    const rx = await receiver();
    rx.reply = (_req, i) => (i === 0 ? { status: 429, headers: { "retry-after": "1" } } : { status: 200 });
    const hook = await webhookTo(gh.api, rx);
    await postEvent(gh.api);

    const [first, second] = await rx.waitForCount(2);
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(990);
    const d = await waitForDelivery(
      gh.api,
      hook.uid,
      (x) => x.status === "succeeded",
      "a succeeded delivery",
    );
    expect(d.attempts[0].response.headers["retry-after"]).toBe("1");
    expect(d.attempts.map((a: any) => a.response.status)).toEqual([429, 200]);
  });

  it("records a timeout as an error that mentions it, then retries", async () => {
    const gh = await server();
    const rx = await receiver();
    rx.reply = (_req, i) => (i === 0 ? { status: 200, delayMs: 3000 } : { status: 200 });
    const hook = await webhookTo(gh.api, rx, { timeout: 1000 });
    await postEvent(gh.api);

    const d = await waitForDelivery(
      gh.api,
      hook.uid,
      (x) => x.status === "succeeded",
      "a succeeded delivery",
    );
    expect(d.attempt_count).toBe(2);
    const [timedOut, ok] = d.attempts;
    expect(timedOut.error).toMatch(/timeout/i);
    expect(timedOut.response).toBeNull();
    expect(timedOut.outcome).toBe("retry");
    expect(timedOut.duration_ms).toBeGreaterThanOrEqual(900);
    expect(timedOut.duration_ms).toBeLessThan(2900);
    expect(ok.response.status).toBe(200);
  });
});

describe("410 Gone", () => {
  it("disables the webhook at once, retries nothing, and announces it to webhooks subscribed to webhook.*", async () => {
    const gh = await server();
    const goneRx = await receiver();
    const watchRx = await receiver();
    const allRx = await receiver();
    goneRx.reply = () => ({ status: 410, body: "gone" });
    const gone = await webhookTo(gh.api, goneRx, { name: "old CRM", max_retries: 5 });
    const watcher = await webhookTo(gh.api, watchRx, { event_types: ["webhook.*"] });
    await webhookTo(gh.api, allRx, { event_types: ["*"] });

    await postEvent(gh.api);
    const [announced] = await watchRx.waitForCount(1);
    expect(announced!.json.type).toBe("webhook.disabled");
    expect(announced!.json.data).toMatchObject({
      webhook: { uid: gone.uid, name: "old CRM", url: gone.url },
      reason: expect.stringMatching(/410/),
    });
    expect(announced!.verified).toBe(true);
    // A `*` subscriber hears of it too.
    await waitFor(() => allRx.received.find((r) => r.json.type === "webhook.disabled"), {
      what: "webhook.disabled at the * subscriber",
    });

    const webhook = (await gh.api("GET", `/v1/webhooks/${gone.uid}`)).body;
    expect(webhook.status).toBe("disabled");
    expect(webhook.disabled_reason).toMatch(/410/);

    const d = await waitForDelivery(gh.api, gone.uid, (x) => x.status === "failed", "the gone delivery");
    expect(d.attempt_count).toBe(1);
    expect(d.attempts).toHaveLength(1);
    expect(d.attempts[0].outcome).toBe("gone");
    expect(d.attempts[0].error).toMatch(/410/);

    // Later events are not fanned out to it (fan-out happens in the ingest transaction, before the 202).
    await postEvent(gh.api, "door.closed");
    expect(await deliveriesOf(gh.api, gone.uid)).toHaveLength(1);
    expect(await deliveriesOf(gh.api, watcher.uid)).toHaveLength(1);
    expect(goneRx.received).toHaveLength(1);
  });

  it("announces the disabling once, however many deliveries were in flight when the 410s came", async () => {
    const gh = await server();
    const goneRx = await receiver();
    const watchRx = await receiver();
    // The delay keeps all five requests in flight together, so each one gets its own 410.
    goneRx.reply = () => ({ status: 410, delayMs: 50 });
    const gone = await webhookTo(gh.api, goneRx);
    await webhookTo(gh.api, watchRx, { event_types: ["webhook.*", "access.granted"] });
    const burst = Array.from({ length: 5 }, () => ({ type: "door.opened", data: validData("door.opened") }));
    expect((await gh.api("POST", "/v1/events", burst)).status).toBe(202);

    await waitFor(
      async () => {
        const list = await deliveriesOf(gh.api, gone.uid);
        return list.length === 5 && list.every((d) => d.status === "failed");
      },
      { what: "five gone deliveries" },
    );
    expect(goneRx.received).toHaveLength(5);
    // Each 410's announcement is stored before this later event commits.
    const sentinel = await postEvent(gh.api, "access.granted");
    await waitFor(() => watchRx.eventIds().has(sentinel), { what: "the sentinel event" });
    const announced = await gh.api("GET", "/v1/events?type=webhook.disabled");
    expect(announced.body.events).toHaveLength(1);
    expect(watchRx.received.filter((r) => r.json.type === "webhook.disabled")).toHaveLength(1);
  });
});

describe("what is sent", () => {
  it("caps a stored response body at 64 KiB", async () => {
    const gh = await server();
    const rx = await receiver();
    const big = "x".repeat(200 * 1024);
    rx.reply = () => ({ status: 200, body: big });
    const hook = await webhookTo(gh.api, rx);
    await postEvent(gh.api);

    const d = await waitForDelivery(
      gh.api,
      hook.uid,
      (x) => x.status === "succeeded",
      "a succeeded delivery",
    );
    const stored: string = d.attempts[0].response.body;
    expect(stored.length).toBeGreaterThan(0);
    expect(stored.length).toBeLessThanOrEqual(65_536);
    expect(big.startsWith(stored)).toBe(true);
  });

  it("sends the webhook's custom headers alongside its own", async () => {
    const gh = await server();
    const rx = await receiver();
    const hook = await webhookTo(gh.api, rx, {
      headers: JSON.stringify({ "X-Api-Key": "k-123", "X-Tenant": "north wing" }),
    });
    const eventId = await postEvent(gh.api);

    const [got] = await rx.waitForCount(1);
    expect(got!.headers["x-api-key"]).toBe("k-123");
    expect(got!.headers["x-tenant"]).toBe("north wing");
    expect(got!.headers["webhook-id"]).toBe(eventId);
    expect(got!.headers["content-type"]).toBe("application/json");
    expect(got!.verified).toBe(true);
    const d = await waitForDelivery(
      gh.api,
      hook.uid,
      (x) => x.status === "succeeded",
      "a succeeded delivery",
    );
    expect(d.attempts[0].request.headers).toMatchObject({ "X-Api-Key": "k-123", "X-Tenant": "north wing" });
  });
});

describe("the SSRF guard", () => {
  it.each([
    ["a name that resolves to loopback", (port: string) => `http://localhost:${port}/`],
    ["an IPv4 loopback literal", (port: string) => `http://127.0.0.1:${port}/`],
    ["an IPv4-mapped IPv6 loopback literal", (port: string) => `http://[::ffff:127.0.0.1]:${port}/`],
    ["an IPv6 loopback literal", (port: string) => `http://[::1]:${port}/`],
  ])("refuses %s without sending anything or retrying", async (_what, urlFor) => {
    const gh = await server({ allowPrivateTargets: false });
    const rx = await receiver();
    const port = new URL(rx.url).port;
    const created = await gh.api("POST", "/v1/webhooks", { url: urlFor(port), event_types: ["*"] });
    expect(created.status).toBe(201);
    await postEvent(gh.api);

    const d = await waitForDelivery(
      gh.api,
      created.body.uid,
      (x) => x.status === "failed",
      "a failed delivery",
    );
    expect(d.attempt_count).toBe(1);
    expect(d.attempts[0].response).toBeNull();
    expect(d.attempts[0].error).toMatch(/refused/);
    expect(d.attempts[0].error).toMatch(/loopback/);
    expect(d.last_error).toMatch(/GATEHOUSE_ALLOW_PRIVATE_TARGETS/);
    expect(rx.received).toHaveLength(0);
  });
});

describe("manual sends", () => {
  it("makes exactly one more attempt when a failed delivery is retried by hand", async () => {
    const gh = await server();
    const rx = await receiver();
    rx.reply = () => ({ status: 500 });
    const hook = await webhookTo(gh.api, rx, { max_retries: 0 });
    const eventId = await postEvent(gh.api);
    const failed = await waitForDelivery(gh.api, hook.uid, (x) => x.status === "failed", "a failed delivery");
    expect(failed.attempt_count).toBe(1);

    const retried = await gh.api("POST", `/v1/deliveries/${failed.id}/retry`);
    expect(retried.status).toBe(202);
    expect(retried.body.status).toBe("pending");
    const again = await waitForDelivery(
      gh.api,
      hook.uid,
      (x) => x.status === "failed" && x.attempt_count === 2,
      "the second attempt",
    );
    expect(again.attempts.map((a: any) => a.outcome)).toEqual(["failed", "failed"]);
    expect(rx.received.map((r) => r.headers["webhook-id"])).toEqual([eventId, eventId]);

    rx.reply = () => ({ status: 200 });
    expect((await gh.api("POST", `/v1/deliveries/${failed.id}/retry`)).status).toBe(202);
    const done = await waitForDelivery(
      gh.api,
      hook.uid,
      (x) => x.status === "succeeded",
      "a succeeded delivery",
    );
    expect(done.attempt_count).toBe(3);
    expect(rx.received).toHaveLength(3);
  });

  it("sends a test event only to the webhook asked, even one subscribed to nothing", async () => {
    const gh = await server();
    const target = await receiver();
    const other = await receiver();
    const hook = await webhookTo(gh.api, target, { event_types: [] });
    const all = await webhookTo(gh.api, other, { event_types: ["*"] });

    const res = await gh.api("POST", `/v1/webhooks/${hook.uid}/test`);
    expect(res.status).toBe(202);
    expect(res.body.delivery).toBe("queued");
    const [got] = await target.waitForCount(1);
    expect(got!.json.type).toBe("webhook.test");
    expect(got!.json.id).toBe(res.body.event_id);
    expect(got!.json.data).toMatchObject({ webhook: { uid: hook.uid } });
    expect(got!.verified).toBe(true);

    // Fan-out is decided in the ingest transaction: the `*` webhook has no delivery of it (it does hear
    // of the webhooks being created: audit events).
    const deliveredTypes = (await deliveriesOf(gh.api, all.uid)).map((d: any) => d.event_type);
    expect(deliveredTypes.filter((type: string) => !type.startsWith("audit."))).toEqual([]);
    expect(other.received.filter((r) => r.json.type === "webhook.test")).toHaveLength(0);
  });
});

describe("disabled webhooks", () => {
  it("keeps a disabled webhook's pending deliveries and sends them when it is enabled again", async () => {
    // Retries are a minute away, so only the hand-made retries below are due.
    const gh = await server({ delivery: { retryScheduleMs: [60_000] } });
    const rx = await receiver();
    const sentinelRx = await receiver();
    rx.reply = () => ({ status: 500 });
    sentinelRx.reply = () => ({ status: 500 });
    const hook = await webhookTo(gh.api, rx);
    const sentinel = await webhookTo(gh.api, sentinelRx);
    const eventId = await postEvent(gh.api);
    const pending = await waitForDelivery(
      gh.api,
      hook.uid,
      (x) => x.attempt_count === 1,
      "the first failed attempt",
    );
    expect(pending.status).toBe("pending");
    const sentinelDelivery = await waitForDelivery(
      gh.api,
      sentinel.uid,
      (x) => x.attempt_count === 1,
      "the sentinel's first attempt",
    );

    expect((await gh.api("PATCH", `/v1/webhooks/${hook.uid}`, { status: "disabled" })).status).toBe(200);
    // Due now, but its webhook is disabled.
    expect((await gh.api("POST", `/v1/deliveries/${pending.id}/retry`)).status).toBe(202);
    // Due now, after it: the poll that sends this one would have taken the disabled one first.
    expect((await gh.api("POST", `/v1/deliveries/${sentinelDelivery.id}/retry`)).status).toBe(202);
    await waitForDelivery(
      gh.api,
      sentinel.uid,
      (x) => x.attempt_count === 2,
      "the sentinel's second attempt",
    );
    expect(rx.received).toHaveLength(1);
    const held = (await gh.api("GET", `/v1/deliveries/${pending.id}`)).body;
    expect(held).toMatchObject({ status: "pending", attempt_count: 1 });

    rx.reply = () => ({ status: 200 });
    const enabled = await gh.api("PATCH", `/v1/webhooks/${hook.uid}`, { status: "active" });
    expect(enabled.status).toBe(200);
    expect(enabled.body.disabled_reason).toBeNull();
    const done = await waitForDelivery(
      gh.api,
      hook.uid,
      (x) => x.status === "succeeded",
      "delivery after enabling",
    );
    expect(done.attempt_count).toBe(2);
    expect(rx.received.map((r) => r.headers["webhook-id"])).toEqual([eventId, eventId]);
  });
});

describe("restart recovery", () => {
  /** A server on a given store, optionally with its own clock (to reach a stored retry time). */
  async function serverOn(store: TestStore, delivery: Partial<DeliveryConfig>, clock?: Clock) {
    const gh = await startTestServer({ store, clock, delivery: { retryScheduleMs: [50], ...delivery } });
    let stopped = false;
    const stop = async () => {
      if (stopped) return;
      stopped = true;
      await gh.stop();
    };
    cleanups.push(stop);
    return { api: gh.api as Api, stop };
  }

  async function tempStore(): Promise<TestStore> {
    const store = await createTestStore();
    cleanups.push(() => store.drop());
    return store;
  }

  it("sends after a restart the deliveries the previous run accepted but never sent", async () => {
    const store = await tempStore();
    const rx = await receiver();
    // maxQueued 0: the first run stores every delivery and sends none, as if it died right after the 202.
    const first = await serverOn(store, { maxQueued: 0 });
    const hook = await webhookTo(first.api, rx);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(await postEvent(first.api));
    const stored = await deliveriesOf(first.api, hook.uid);
    expect(stored.map((d) => [d.status, d.attempt_count])).toEqual(Array(5).fill(["pending", 0]));
    await first.stop();
    expect(rx.received).toHaveLength(0);

    await serverOn(store, {});
    await rx.waitForCount(5);
    expect(rx.eventIds()).toEqual(new Set(ids));
    expect(rx.received.every((r) => r.verified)).toBe(true);
  });

  it("keeps pending retries across a restart and sends them when due", async () => {
    const store = await tempStore();
    const rx = await receiver();
    rx.reply = () => ({ status: 500 });
    const first = await serverOn(store, { retryScheduleMs: [60_000] });
    const hook = await webhookTo(first.api, rx);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(await postEvent(first.api));
    await waitFor(
      async () => {
        const list = await deliveriesOf(first.api, hook.uid);
        return list.length === 5 && list.every((d) => d.status === "pending" && d.attempt_count === 1);
      },
      { what: "five failed first attempts" },
    );
    await first.stop();

    // The stored retry time holds across the restart; the new process's clock is past it.
    rx.reply = () => ({ status: 200 });
    const later: Clock = { now: () => Date.now() + 65_000 };
    const second = await serverOn(store, { retryScheduleMs: [50] }, later);
    await waitFor(
      async () => {
        const list = await deliveriesOf(second.api, hook.uid);
        return list.length === 5 && list.every((d) => d.status === "succeeded") ? list : undefined;
      },
      { what: "five deliveries succeeded after the restart" },
    );
    expect(rx.received).toHaveLength(10);
    expect(new Set(rx.received.slice(5).map((r) => r.json.id))).toEqual(new Set(ids));
    expect(rx.received.every((r) => r.verified)).toBe(true);
  });
});

describe("template bodies", () => {
  it("retries a delivery whose template ran out of render time, as a busy machine can make any render do", async () => {
    const gh = await server();
    const rx = await receiver();
    // Saving renders the template for sample events, which have no data.items: quick. For an event with 900
    // items it compares 810,000 pairs, far past the 100 ms a render may take on any machine.
    const template =
      "{% for a in data.items %}{% for b in data.items %}{% if a == b and b == a and a != 0 %}{% endif %}" +
      "{% if b > a %}{% endif %}{% endfor %}{% endfor %}done";
    const hook = await webhookTo(gh.api, rx, {
      event_types: ["*"],
      payload_format: "template",
      template_content_type: "text/plain",
      template,
      max_retries: 1,
    });
    const items = Array.from({ length: 900 }, (_, i) => i);
    await postEvent(gh.api, "custom.slow_render", { items });

    const d = await waitForDelivery(gh.api, hook.uid, (x) => x.status === "failed", "a failed delivery");
    // Retried once (max_retries 1) instead of failing at the first attempt; nothing was sent either time.
    expect(d.attempts.map((a: any) => a.outcome)).toEqual(["retry", "failed"]);
    for (const a of d.attempts) {
      expect(a.error).toMatch(/^could not render the template body: takes longer than the 100 ms allowed/);
      expect(a.response).toBeNull();
    }
    expect(rx.received).toHaveLength(0);
  });
});

describe("leases", () => {
  it("keeps renewing the leases of deliveries queued in memory, so no other node takes them over", async () => {
    const leaseMs = 800;
    const gh = await server({ delivery: { leaseMs, pollIntervalMs: 50, maxInFlightPerWebhook: 1 } });
    const rx = await receiver();
    // The first request holds the webhook's only slot for three leases; the rest wait in memory meanwhile.
    rx.reply = (_req, i) => ({ status: 200, delayMs: i === 0 ? 3 * leaseMs : 0 });
    const hook = await webhookTo(gh.api, rx);
    for (let i = 0; i < 3; i++) await postEvent(gh.api);
    await rx.waitForCount(1);

    const { db } = gh.server.services.store;
    const queued = () =>
      db
        .selectFrom("deliveries")
        .select(["id", "locked_until", "locked_by"])
        .where("webhook_uid", "=", hook.uid)
        .where("status", "=", "pending")
        .execute();
    let samples = 0;
    let closest = Number.POSITIVE_INFINITY;
    const until = Date.now() + 2.5 * leaseMs;
    while (Date.now() < until) {
      const rows = await queued();
      const now = Date.now();
      for (const r of rows) {
        expect(r.locked_by).not.toBeNull();
        closest = Math.min(closest, Number(r.locked_until) - now);
      }
      samples++;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(samples).toBeGreaterThan(20);
    // Renewed in each lease's second half, with a poll every 50 ms: never near running out. Unrenewed, the
    // queued deliveries' leases would have run out twice over by now.
    expect(closest).toBeGreaterThan(leaseMs / 4);

    await expectAllDelivered(gh.url, hook.uid);
    expect(rx.eventIds().size).toBe(3);
    expect(rx.received).toHaveLength(3);
  });
});

describe("metrics", () => {
  it("counts attempts by outcome and reports the queue depth", async () => {
    const gh = await server();
    const rx = await receiver();
    rx.reply = (_req, i) => (i === 0 ? { status: 500 } : { status: 200 });
    const hook = await webhookTo(gh.api, rx);
    await postEvent(gh.api);
    await waitForDelivery(gh.api, hook.uid, (x) => x.status === "succeeded", "a succeeded delivery");

    const res = await fetch(`${gh.url}/metrics`);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toMatch(/^gatehouse_deliveries_total\{outcome="succeeded"\} 1$/m);
    expect(text).toMatch(/^gatehouse_deliveries_total\{outcome="retry"\} 1$/m);
    expect(text).toMatch(/^gatehouse_delivery_queue_depth 0$/m);
    expect(text).toMatch(/^gatehouse_delivery_attempt_duration_seconds_count 2$/m);
  });
});
