import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../src/lib/logger.js";
import { validData } from "../support/event-data.js";
import { Receiver } from "../support/receiver.js";
import { ADMIN_KEY, startTestServer, type TestServer } from "../support/server.js";

describe("logs", () => {
  const lines: string[] = [];
  let gh: TestServer;
  let rx: Receiver;
  beforeAll(async () => {
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(...String(chunk).split("\n").filter(Boolean));
        done();
      },
    });
    // The production logger and its redaction, at the most verbose level, written where the test reads it.
    gh = await startTestServer({ logger: createLogger("trace", sink) });
    rx = await Receiver.start();
  });
  afterAll(async () => {
    await gh.stop();
    await rx.close();
  });

  it("are JSON lines and never contain a webhook secret or an API key", async () => {
    const secret = "whsec_c2VjcmV0LXRoYXQtbXVzdC1uZXZlci1sZWFr";
    const hook = await gh.api("POST", "/v1/webhooks", { url: `${rx.url}/x`, secret, event_types: ["*"] });
    expect(hook.status).toBe(201);
    const key = await gh.api("POST", "/v1/api-keys", { name: "ingest", role: "ingest" });
    await gh.api("POST", "/v1/events", { type: "door.opened", data: validData("door.opened") }, key.body.key);
    rx.reply = () => ({ status: 410 });
    await rx.waitForCount(1);
    await gh.api("POST", "/v1/events", { type: "door.closed", data: validData("door.closed") });
    expect(lines.length).toBeGreaterThan(2);
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
    const all = lines.join("\n");
    expect(all).toContain("webhook created");
    expect(all).not.toContain(secret);
    expect(all).not.toContain(secret.slice(6));
    expect(all).not.toContain(ADMIN_KEY);
    expect(all).not.toContain(key.body.key);
  });
});
