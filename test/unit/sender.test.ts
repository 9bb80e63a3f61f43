// Both senders against real receivers on loopback: the in-process Sender and the SenderThread that runs it in a
// worker must answer alike; the thread's own risks (correlation, a dying worker, shutdown) are tested after.
import type { Worker } from "node:worker_threads";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { RequestSender, WireRequest } from "../../src/delivery/request-sender.js";
import { MAX_RESPONSE_BODY, Sender, type SenderOptions } from "../../src/delivery/sender.js";
import { packOrders, type SendOrder, unpackOrders } from "../../src/delivery/sender-protocol.js";
import { SenderThread } from "../../src/delivery/sender-thread.js";
import { runModuleScript } from "../support/process.js";
import { Receiver } from "../support/receiver.js";

const implementations: Array<[string, (options: SenderOptions) => RequestSender]> = [
  ["Sender", (options) => new Sender(options)],
  ["SenderThread", (options) => new SenderThread(options)],
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

describe("SenderThread", () => {
  const started: Worker[] = [];
  const onWorker = (worker: Worker) => started.push(worker);
  beforeAll(() => {
    process.on("worker", onWorker);
  });
  afterAll(() => {
    process.off("worker", onWorker);
  });

  function sender(): SenderThread {
    const s = new SenderThread({ allowPrivateTargets: true, connectionsPerOrigin: 64 });
    senders.push(s);
    return s;
  }

  it("gives each of many sends made in one tick its own answer", async () => {
    const statuses = [200, 201, 202, 299, 400, 418, 503];
    const statusOf = (n: number) => statuses[n % statuses.length];
    rx.reply = (req) => {
      const n = Number(req.path.slice(1));
      return { status: statusOf(n), headers: { "x-n": String(n) }, body: req.body, delayMs: (n * 37) % 50 };
    };
    const s = sender();
    const sends = Array.from({ length: 300 }, (_, n) => s.send(post(`${rx.url}/${n}`, `{"n":${n}}`), 10_000));
    const results = await Promise.all(sends);
    results.forEach((result, n) => {
      expect(result).toMatchObject({
        status: statusOf(n),
        body: `{"n":${n}}`,
        headers: { "x-n": String(n) },
      });
    });
  });

  it("answers what a terminated worker had under way with an error, and sends again on a new worker", async () => {
    rx.reply = () => ({ status: 200, delayMs: 20_000 });
    const s = sender();
    const before = started.length;
    const underWay = [s.send(post(`${rx.url}/a`), 30_000), s.send(post(`${rx.url}/b`), 30_000)];
    await rx.waitForCount(2);
    expect(started.length).toBe(before + 1);
    await started.at(-1)?.terminate();
    for (const result of await Promise.all(underWay)) {
      expect(result.status).toBeUndefined();
      expect(result.error).toBe("sender thread stopped: exited with code 1");
    }
    rx.reply = () => ({ status: 204 });
    expect(await s.send(post(`${rx.url}/c`), 5_000)).toMatchObject({ status: 204 });
    expect(started.length).toBe(before + 2);
  });

  it("answers with the error when the worker crashes", async () => {
    rx.reply = () => ({ status: 200, delayMs: 20_000 });
    const s = sender();
    const underWay = s.send(post(`${rx.url}/a`), 30_000);
    await rx.waitForCount(1);
    // A message the worker cannot read throws in its handler: an uncaught exception, as a bug would be.
    started.at(-1)?.postMessage({ kind: "send", meta: "{not json", bodies: "" });
    const result = await underWay;
    expect(result.error).toMatch(/^sender thread stopped: .*JSON/);
    rx.reply = () => ({ status: 200 });
    expect(await s.send(post(`${rx.url}/b`), 5_000)).toMatchObject({ status: 200 });
  });

  it("ends the worker on close() once the requests under way have answered", async () => {
    rx.reply = () => ({ status: 200, delayMs: 300 });
    const s = sender();
    const underWay = s.send(post(`${rx.url}/slow`), 5_000);
    await rx.waitForCount(1);
    const worker = started.at(-1);
    await s.close();
    expect(worker?.threadId).toBe(-1); // close() resolves only once the thread is gone
    expect(await underWay).toMatchObject({ status: 200 });
  });

  it("answers a send after destroy() with an error, without starting a worker", async () => {
    const s = sender();
    await s.destroy();
    const before = started.length;
    const result = await s.send(post(`${rx.url}/late`), 5_000);
    expect(result.error).toBe("sender closed: no new requests are sent");
    expect(started.length).toBe(before);
    expect(rx.received).toHaveLength(0);
  });

  it("does not keep a process alive once its sends have answered, even if never closed", async () => {
    const script = [
      `import { SenderThread } from "./src/delivery/sender-thread.ts";`,
      `const s = new SenderThread({ allowPrivateTargets: true, connectionsPerOrigin: 1 });`,
      `const r = await s.send({ url: ${JSON.stringify(`${rx.url}/child`)}, headers: {}, body: "" }, 5000);`,
      "console.log(r.status);",
    ].join("\n");
    const { code, out } = await runModuleScript(script);
    expect(code).toBe(0);
    expect(out.trim()).toBe("200");
  });
});

describe("packOrders", () => {
  it("carries every order across, bodies with any characters and empty ones included", () => {
    const orders: SendOrder[] = [
      {
        id: 1,
        timeoutMs: 5_000,
        url: "https://a.example/x",
        headers: { "x-a": "1" },
        body: '{"a":"é\u0000😀"}',
      },
      { id: 2, timeoutMs: 1_000, url: "https://b.example/", headers: {}, body: "" },
      {
        id: 7,
        timeoutMs: 30_000,
        url: "https://c.example/y?z=1",
        headers: { a: "b", c: "d" },
        body: "plain\ntext",
      },
    ];
    const packed = packOrders(orders);
    expect(typeof packed.meta).toBe("string");
    expect(typeof packed.bodies).toBe("string");
    // What postMessage does to it: a structured clone.
    expect(unpackOrders(structuredClone(packed))).toEqual(orders);
    expect(unpackOrders(packOrders([]))).toEqual([]);
  });
});
