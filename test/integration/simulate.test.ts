// `simulate()` as its users run it: a short day against a real server, every event family reaching a real
// receiver with a valid signature, and the summary agreeing with the server's own event log.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { simulate } from "../../src/simulate/simulate.js";
import type { Summary } from "../../src/simulate/summary.js";
import { Receiver } from "../support/receiver.js";
import { ADMIN_KEY, startTestServer, type TestServer } from "../support/server.js";
import { waitFor } from "../support/wait.js";

const FAMILIES = [
  "access.granted",
  "access.denied",
  "door.opened",
  "door.closed",
  "door.forced_open",
  "door.held_open",
  "door.secured",
  "lock.unlocked",
  "lock.locked",
  "device.healthcheck",
  "device.connected",
  "device.disconnected",
  "audit.user.updated",
  "credential.created",
] as const;

let t: TestServer;
let rx: Receiver;
let summary: Summary;
/** The event log after the run's cursor, read right after it ended (before the devices, left silent, time out). */
let logged: { byType: Record<string, number>; to: string; denied: string[] };

async function readLog(from: string): Promise<typeof logged> {
  const byType: Record<string, number> = {};
  const denied: string[] = [];
  let cursor = from;
  for (;;) {
    const page = await t.api("GET", `/v1/events?after=${cursor}&limit=1000`);
    for (const e of page.body.events) {
      byType[e.type] = (byType[e.type] ?? 0) + 1;
      if (e.type === "access.denied") denied.push(e.data.reason);
    }
    cursor = page.body.next_cursor;
    if (!page.body.has_more) return { byType, to: cursor, denied: denied.sort() };
  }
}

beforeAll(async () => {
  t = await startTestServer();
  rx = await Receiver.start();
  const webhook = await t.api("POST", "/v1/webhooks", { url: `${rx.url}/all`, event_types: ["*"] });
  expect(webhook.status).toBe(201);
  rx.secret = webhook.body.secret;
  summary = await simulate({
    url: t.url,
    key: ADMIN_KEY,
    site: "Simulated HQ",
    timeZone: "Europe/Berlin",
    people: 20,
    doors: 4,
    speed: 60,
    durationMs: 20_000,
    seed: 42,
  });
  logged = await readLog(summary.cursor.from);
}, 60_000);

afterAll(async () => {
  await t?.stop();
  await rx?.close();
});

describe("gatehouse simulate against a real server", () => {
  it("makes no failed call and meets no decision it did not expect", () => {
    expect(summary.errors).toEqual([]);
    expect(summary.failures).toBe(0);
    expect(summary.unexpected).toEqual([]);
    expect(summary.skipped).toBe(0);
  });

  it("delivers every expected event family to the receiver, each signature valid", async () => {
    const missing = () => {
      const types = new Set(rx.received.map((r) => r.json.type));
      const absent: string[] = FAMILIES.filter((f) => !types.has(f));
      if (![...types].some((x) => x.startsWith("call.") || x.startsWith("alarm.")))
        absent.push("call.*|alarm.*");
      return absent;
    };
    await waitFor(() => missing().length === 0, {
      timeoutMs: 15_000,
      what: `families ${missing().join(", ")}`,
    });
    expect(rx.received.every((r) => r.verified === true)).toBe(true);
  });

  it("counts what the server's event log holds for the run", () => {
    expect(logged.to).toBe(summary.cursor.to);
    expect(logged.byType).toEqual(summary.events.byType);
    expect(summary.events.byType["door.forced_open"]).toBe(1);
    expect(summary.events.byType["door.held_open"]).toBe(1);
    expect(summary.events.byType["device.disconnected"]).toBe(1);
    // Two unknown cards, the suspended user, the contractor outside their window.
    expect(logged.denied).toEqual([
      "invalid_credential",
      "outside_schedule",
      "unknown_credential",
      "unknown_credential",
    ]);
  });
});
