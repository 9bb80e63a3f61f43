// The sender against real receivers on loopback: what it answers for a reply, a deadline, a refused target, a
// huge body, close and destroy. Every RequestSender implementation runs these.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { RequestSender, WireRequest } from "../../src/delivery/request-sender.js";
import { MAX_RESPONSE_BODY, Sender, type SenderOptions } from "../../src/delivery/sender.js";
import { Receiver } from "../support/receiver.js";

const implementations: Array<[string, (options: SenderOptions) => RequestSender]> = [
  ["Sender", (options) => new Sender(options)],
];

function post(url: string, body = "{}", headers: Record<string, string> = {}): WireRequest {
  return { url, body, headers: { "content-type": "application/json", ...headers } };
}

let rx: Receiver;
const senders: RequestSender[] = [];
beforeAll(async () => {
  rx = await Receiver.start();
});
afterEach(async () => {
  await Promise.all(senders.splice(0).map((s) => s.destroy()));
  rx.received.length = 0;
  rx.reply = () => ({ status: 200 });
});
afterAll(async () => {
  await rx.close();
});

describe.each(implementations)("%s", (_name, create) => {
  function sender(allowPrivateTargets = true): RequestSender {
    const s = create({ allowPrivateTargets, connectionsPerOrigin: 8 });
    senders.push(s);
    return s;
  }

  it("answers with the receiver's status, headers and body", async () => {
    rx.reply = () => ({ status: 202, headers: { "x-answer": "yes", "retry-after": "7" }, body: "accepted" });
    const result = await sender().send(post(`${rx.url}/in?x=1`, '{"a":1}', { "x-custom": "c" }), 5_000);
    expect(result).toMatchObject({ status: 202, body: "accepted", headers: { "x-answer": "yes" } });
    expect(result.headers?.["retry-after"]).toBe("7");
    expect(result.error).toBeUndefined();
    expect(result.durationMs).toBeGreaterThanOrEqual(0);
    expect(rx.received[0]).toMatchObject({ path: "/in?x=1", body: '{"a":1}' });
    expect(rx.received[0]?.headers["x-custom"]).toBe("c");
  });

  it("gives up at the deadline", async () => {
    rx.reply = () => ({ status: 200, delayMs: 3_000 });
    const result = await sender().send(post(`${rx.url}/slow`), 200);
    expect(result.status).toBeUndefined();
    expect(result.error).toBe("timeout: no complete response within 200 ms");
    expect(result.durationMs).toBeGreaterThanOrEqual(150);
    expect(result.durationMs).toBeLessThan(2_000);
  });

  it("refuses a loopback target, literal or resolved, unless private targets are allowed", async () => {
    const s = sender(false);
    const literal = await s.send(post(`${rx.url}/in`), 5_000);
    expect(literal).toMatchObject({ refused: true, durationMs: 0 });
    expect(literal.error).toMatch(/^refused: 127\.0\.0\.1 resolves to 127\.0\.0\.1 \(loopback\)/);
    const named = await s.send(post(`${rx.url.replace("127.0.0.1", "localhost")}/in`), 5_000);
    expect(named.refused).toBe(true);
    expect(named.error).toMatch(/^refused: localhost resolves to (127\.0\.0\.1|::1) \(loopback\)/);
    expect(rx.received).toHaveLength(0);
  });

  it("keeps at most MAX_RESPONSE_BODY bytes of a reply", async () => {
    rx.reply = () => ({ status: 200, body: "x".repeat(MAX_RESPONSE_BODY * 3) });
    const result = await sender().send(post(`${rx.url}/big`), 5_000);
    expect(result.status).toBe(200);
    expect(result.body).toHaveLength(MAX_RESPONSE_BODY);
  });

  it("answers a malformed URL with an error", async () => {
    const result = await sender().send(post("not a url"), 5_000);
    expect(result.error).toMatch(/Invalid URL/);
  });

  it("lets close() finish the requests under way, and answers later sends with an error", async () => {
    rx.reply = () => ({ status: 200, delayMs: 300, body: "late" });
    const s = sender();
    const underWay = s.send(post(`${rx.url}/slow`), 5_000);
    await rx.waitForCount(1);
    await s.close();
    expect(await underWay).toMatchObject({ status: 200, body: "late" });
    const after = await s.send(post(`${rx.url}/after`), 5_000);
    expect(after.status).toBeUndefined();
    expect(after.error).toBeTruthy();
  });

  it("aborts a request under way on destroy(), which answers with an error at once", async () => {
    rx.reply = () => ({ status: 200, delayMs: 20_000 });
    const s = sender();
    const underWay = s.send(post(`${rx.url}/stuck`), 30_000);
    await rx.waitForCount(1);
    const destroyedAt = Date.now();
    await s.destroy();
    const result = await underWay;
    expect(result.status).toBeUndefined();
    expect(result.error).toBeTruthy();
    expect(Date.now() - destroyedAt).toBeLessThan(2_000);
  });
});
