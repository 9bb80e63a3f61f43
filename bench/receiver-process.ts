// The bench's webhook receiver: a process of its own, so it never shares an event loop with the load generator.
import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { now } from "./clock.js";
import { SENT_AT_FIELD } from "./payload.js";
import type { FromReceiver, ReceiverStats, ToReceiver } from "./receiver-protocol.js";

/** Every SAMPLE-th request has its signature checked: enough to catch a wrong one, cheap enough not to matter. */
const SAMPLE = 64;
const SENT_AT = new RegExp(`"${SENT_AT_FIELD}":([0-9.]+)`);

let secretKey = Buffer.alloc(0);
let window = freshWindow();
let waiters: Array<{ id: number; count: number }> = [];

function freshWindow() {
  return {
    requests: 0,
    ids: new Set<string>(),
    duplicates: 0,
    firstAt: null as number | null,
    lastAt: null as number | null,
    signaturesChecked: 0,
    signaturesBad: 0,
    latencies: [] as number[],
  };
}

function send(message: FromReceiver): void {
  process.send?.(message);
}

function signatureOk(headers: IncomingHttpHeaders, body: string): boolean {
  const id = String(headers["webhook-id"]);
  const ts = String(headers["webhook-timestamp"]);
  const expected = createHmac("sha256", secretKey).update(`${id}.${ts}.${body}`).digest();
  return String(headers["webhook-signature"] ?? "")
    .split(" ")
    .some((part) => {
      const given = Buffer.from(part.replace(/^v1,/, ""), "base64");
      return given.length === expected.length && timingSafeEqual(given, expected);
    });
}

function received(headers: IncomingHttpHeaders, body: string, at: number): void {
  const w = window;
  w.requests++;
  w.firstAt ??= at;
  w.lastAt = at;
  const id = String(headers["webhook-id"]);
  if (w.ids.has(id)) w.duplicates++;
  else w.ids.add(id);
  const sentAt = Number(SENT_AT.exec(body)?.[1] ?? 0);
  if (sentAt > 0) w.latencies.push(at - sentAt);
  if (w.requests % SAMPLE === 1) {
    w.signaturesChecked++;
    if (!signatureOk(headers, body)) w.signaturesBad++;
  }
  if (waiters.length > 0) {
    const due = waiters.filter((x) => w.ids.size >= x.count);
    waiters = waiters.filter((x) => w.ids.size < x.count);
    for (const x of due) send({ type: "done", id: x.id });
  }
}

function stats(withLatencies: boolean): ReceiverStats {
  const w = window;
  return {
    requests: w.requests,
    unique: w.ids.size,
    duplicates: w.duplicates,
    firstAt: w.firstAt,
    lastAt: w.lastAt,
    signaturesChecked: w.signaturesChecked,
    signaturesBad: w.signaturesBad,
    ...(withLatencies ? { latenciesMs: w.latencies } : {}),
  };
}

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    received(req.headers, Buffer.concat(chunks).toString("utf8"), now());
    res.writeHead(200, { "content-type": "text/plain", "content-length": "2" });
    res.end("ok");
  });
});
server.keepAliveTimeout = 120_000;

process.on("message", (message: ToReceiver) => {
  switch (message.type) {
    case "reset":
      window = freshWindow();
      waiters = [];
      secretKey = Buffer.from(message.secret.replace(/^whsec_/, ""), "base64");
      send({ type: "stats", id: message.id, stats: stats(false) });
      break;
    case "stats":
      send({ type: "stats", id: message.id, stats: stats(message.latencies) });
      break;
    case "await":
      if (window.ids.size >= message.count) send({ type: "done", id: message.id });
      else waiters.push({ id: message.id, count: message.count });
      break;
    case "ping":
      send({ type: "pong", id: message.id, at: now() });
      break;
  }
});
// The bench going away, however it went, ends the receiver too.
process.on("disconnect", () => process.exit(0));

server.listen(0, "127.0.0.1", () => send({ type: "ready", port: (server.address() as AddressInfo).port }));
