// How `gatehouse listen` shows a request, and which headers it forwards.
import { describe, expect, it } from "vitest";
import { forwardedHeaders } from "../../src/listen/forward.js";
import { bodyText, eventOf, formatHeard, type HeardRequest, heardAsJson } from "../../src/listen/report.js";

const heard = (over: Partial<HeardRequest> = {}): HeardRequest => ({
  number: 4,
  receivedAt: Date.UTC(2026, 0, 1, 9, 30),
  method: "POST",
  path: "/in",
  headers: { "content-type": "application/json", "x-signature": "ab" },
  body: Buffer.from('{"uuid":"d7cf0237","type":"lock.unlock","success":true}'),
  event: { type: "lock.unlock", id: "d7cf0237" },
  verified: false,
  reason: "X-Signature does not match the body signed with the secret",
  status: 200,
  ...over,
});

describe("formatHeard", () => {
  it("shows the request, its headers, the event, the body and the verdict as one block", () => {
    expect(formatHeard(heard())).toBe(
      [
        "#4  2026-01-01T09:30:00.000Z  POST /in  (55 bytes)",
        "   content-type: application/json",
        "   x-signature: ab",
        "   event: lock.unlock   id: d7cf0237",
        "   {",
        '     "uuid": "d7cf0237",',
        '     "type": "lock.unlock",',
        '     "success": true',
        "   }",
        "   ✘ NOT verified: X-Signature does not match the body signed with the secret",
        "   ← answered 200",
        "",
        "",
      ].join("\n"),
    );
  });

  it("colours only when asked (a terminal)", () => {
    expect(formatHeard(heard())).not.toContain("\x1b[");
    const coloured = formatHeard(heard({ verified: true, reason: "kisi" }), { color: true });
    expect(coloured).toContain("\x1b[32m✔ verified (kisi)\x1b[0m");
  });

  it("shows a forward's status or its failure", () => {
    const ok = formatHeard(heard({ forward: { url: "http://x/y", status: 204, durationMs: 7 } }));
    expect(ok).toContain("   ↪ forwarded to http://x/y: 204 in 7 ms\n");
    const failed = formatHeard(
      heard({ forward: { url: "http://x/y", error: "connect ECONNREFUSED", durationMs: 1 } }),
    );
    expect(failed).toContain("   ↪ forward to http://x/y failed after 1 ms: connect ECONNREFUSED\n");
  });
});

describe("bodyText and eventOf", () => {
  it("cuts a long body and says how much is left out", () => {
    const text = bodyText(Buffer.from("x".repeat(5000)));
    expect(text).toBe(`${"x".repeat(4096)}\n… 904 more characters`);
  });

  it("shows a body that is not JSON as it came, and finds no event in it", () => {
    expect(bodyText(Buffer.from("a=1&b=2"))).toBe("a=1&b=2");
    expect(eventOf(Buffer.from("a=1&b=2"))).toEqual({});
    expect(eventOf(Buffer.from("[1,2]"))).toEqual({});
  });

  it("finds gatehouse's id and Kisi's uuid", () => {
    expect(eventOf(Buffer.from('{"id":"e1","type":"door.opened"}'))).toEqual({
      id: "e1",
      type: "door.opened",
    });
    expect(eventOf(Buffer.from('{"uuid":"u1","type":"lock.unlock"}'))).toEqual({
      id: "u1",
      type: "lock.unlock",
    });
  });
});

describe("heardAsJson", () => {
  it("is one line with the whole body", () => {
    const line = heardAsJson(heard({ body: Buffer.from(`{"big":"${"y".repeat(6000)}"}`) }));
    expect(line.endsWith("\n")).toBe(true);
    expect(line.trim()).not.toContain("\n");
    const parsed = JSON.parse(line);
    expect(parsed).toMatchObject({ number: 4, verified: false, status: 200, forward: null });
    expect(parsed.body).toHaveLength(6010);
  });
});

describe("forwardedHeaders", () => {
  it("drops hop-by-hop headers, those Connection names, host and length", () => {
    expect(
      forwardedHeaders({
        host: "127.0.0.1:4000",
        connection: "keep-alive, X-Trace-Hop",
        "keep-alive": "timeout=5",
        "transfer-encoding": "chunked",
        "x-trace-hop": "1",
        "content-length": "12",
        "content-type": "application/json",
        "webhook-signature": "v1,abc",
      }),
    ).toEqual({ "content-type": "application/json", "webhook-signature": "v1,abc" });
  });
});
