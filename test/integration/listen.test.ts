// `gatehouse listen` receiving real HTTP deliveries: signed under each scheme or badly, from a real
// Gatehouse, forwarded to a second receiver, and once as the real command in a child process.
import { type ChildProcess, spawn } from "node:child_process";
import { request } from "node:http";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  SIGNATURE_SCHEMES,
  type SignatureScheme,
  signatureHeaders,
} from "../../src/delivery/signing/index.js";
import { type Listener, type ListenOptions, startListener } from "../../src/listen/listener.js";
import { formatHeard, type HeardRequest } from "../../src/listen/report.js";
import { Receiver } from "../support/receiver.js";
import { startTestServer, type TestServer } from "../support/server.js";
import { waitFor } from "../support/wait.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const SECRET = "whsec_bGlzdGVuLXRlc3Qta2V5LTAxMjM0NTY3";
const BODY = JSON.stringify({
  id: "0194f1a2-7b3c-7d4e-8f50-6a7b8c9d0e1f",
  type: "access.granted",
  data: { door: { id: 3, name: "Front door" }, method: "credential" },
});

/** A listener in this process; what it prints is kept as the command would print it (no colours). */
async function listen(options: Partial<ListenOptions> = {}) {
  const heard: HeardRequest[] = [];
  const printed: string[] = [];
  const listener = await startListener({
    port: 0,
    scheme: "standard",
    secrets: [SECRET],
    ...options,
    onRequest: (h) => {
      heard.push(h);
      printed.push(formatHeard(h));
    },
  });
  const waitForCount = (n: number) =>
    waitFor(() => heard.length >= n && heard, { what: `${n} requests heard (${heard.length})` });
  return { listener, heard, printed, waitForCount };
}

function signed(scheme: SignatureScheme, body = BODY, secrets = [SECRET]): Record<string, string> {
  const msgId = "0194f1a2-7b3c-7d4e-8f50-6a7b8c9d0e1f";
  const timestampSec = Math.floor(Date.now() / 1000);
  return {
    "content-type": "application/json",
    ...signatureHeaders(scheme, { msgId, timestampSec, attempt: 1, body, secrets }),
  };
}

async function post(url: string, headers: Record<string, string>, body = BODY) {
  const res = await fetch(`${url}/hooks/in`, { method: "POST", headers, body });
  return { status: res.status, body: (await res.json()) as { received: boolean; verified: boolean | null } };
}

/** A POST through node:http, which (unlike fetch) sends hop-by-hop headers such as Connection as given. */
function rawPost(url: string, headers: Record<string, string>, body = BODY): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/hooks/in`, { method: "POST", headers }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.on("error", reject);
    req.end(body);
  });
}

describe("gatehouse listen (in process)", () => {
  const open: Listener[] = [];
  const receivers: Receiver[] = [];
  afterEach(async () => {
    await Promise.all([
      ...open.splice(0).map((l) => l.close()),
      ...receivers.splice(0).map((r) => r.close()),
    ]);
  });

  it("verifies a real POST signed under each scheme, and says so", async () => {
    for (const scheme of SIGNATURE_SCHEMES) {
      const { listener, printed, waitForCount } = await listen({ scheme });
      open.push(listener);
      const answer = await post(listener.url, signed(scheme));
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({ received: true, verified: scheme === "none" ? null : true });
      await waitForCount(1);
      const block = printed[0] ?? "";
      expect(block).toMatch(/^#1 {2}\d{4}-\d\d-\d\dT[\d:.]+Z {2}POST \/hooks\/in {2}\(\d+ bytes\)\n/);
      expect(block).toContain("event: access.granted   id: 0194f1a2-7b3c-7d4e-8f50-6a7b8c9d0e1f");
      expect(block).toContain('"name": "Front door"');
      expect(block).toContain(scheme === "none" ? "– not verified: scheme none" : `✔ verified (${scheme})`);
      expect(block).toContain("← answered 200");
      expect(block).not.toContain(SECRET);
    }
  });

  it("shows the signature headers it checked", async () => {
    const { listener, printed, waitForCount } = await listen({ scheme: "basip" });
    open.push(listener);
    await post(listener.url, signed("basip"));
    await waitForCount(1);
    expect(printed[0]).toMatch(/x-webhook-signature: [0-9a-f]{64}\n/);
    expect(printed[0]).toMatch(/x-webhook-attempt: 1\n/);
  });

  it("says why a bad signature, a wrong secret or a missing header does not verify", async () => {
    const { listener, printed, waitForCount } = await listen({
      scheme: "kisi",
      secrets: ["kisi-secret-0001"],
    });
    open.push(listener);
    const good = signed("kisi", BODY, ["kisi-secret-0001"]);
    const tampered = await post(listener.url, good, BODY.replace("Front", "Back"));
    expect(tampered.body).toMatchObject({ verified: false, reason: expect.stringMatching(/X-Signature/) });
    await post(listener.url, signed("kisi", BODY, ["some-other-secret"]));
    await post(listener.url, { "content-type": "application/json" });
    await waitForCount(3);
    const verdicts = printed.map((block) => block.split("\n").find((line) => line.includes("verified")));
    expect(verdicts).toEqual([
      "   ✘ NOT verified: X-Signature does not match the body signed with the secret",
      "   ✘ NOT verified: X-Signature does not match the body signed with the secret",
      "   ✘ NOT verified: the X-Signature header is missing",
    ]);
  });

  it("refuses a stale timestamp by the tolerance", async () => {
    const later = () => Date.now() + 301_000;
    const { listener, printed, waitForCount } = await listen({ scheme: "alocity", now: later });
    open.push(listener);
    await post(listener.url, signed("alocity"));
    const { listener: lenient, printed: lenientPrinted } = await listen({
      scheme: "alocity",
      now: later,
      toleranceSec: 600,
    });
    open.push(lenient);
    await post(lenient.url, signed("alocity"));
    await waitForCount(1);
    expect(printed[0]).toMatch(
      /✘ NOT verified: Alocity-Signature's t is 30[12] s old, beyond the tolerance of 300 s/,
    );
    await waitFor(() => lenientPrinted[0]);
    expect(lenientPrinted[0]).toContain("✔ verified (alocity)");
  });

  it("answers the status it was given", async () => {
    const { listener, heard, waitForCount } = await listen({ status: 503 });
    open.push(listener);
    expect((await post(listener.url, signed("standard"))).status).toBe(503);
    await waitForCount(1);
    expect(heard[0]?.status).toBe(503);
  });

  it("forwards the same body and signature to a second receiver, which verifies it too", async () => {
    const downstream = await Receiver.start(SECRET);
    receivers.push(downstream);
    downstream.reply = () => ({ status: 202 });
    const { listener, printed, waitForCount } = await listen({ forwardTo: `${downstream.url}/next?x=1` });
    open.push(listener);
    const headers = {
      ...signed("standard"),
      "x-custom": "kept",
      connection: "keep-alive, x-drop",
      "x-drop": "1",
    };
    expect(await rawPost(listener.url, headers)).toBe(200);
    const [got] = await downstream.waitForCount(1);
    expect(got?.body).toBe(BODY);
    expect(got?.path).toBe("/next?x=1");
    // The standardwebhooks package on the far side accepts the forwarded signature.
    expect(got?.verified).toBe(true);
    expect(got?.headers["x-custom"]).toBe("kept");
    expect(got?.headers["x-drop"]).toBeUndefined();
    await waitForCount(1);
    expect(printed[0]).toMatch(new RegExp(`↪ forwarded to ${downstream.url}/next\\?x=1: 202 in \\d+ ms`));
  });

  it("reports a forward that fails, and still answers", async () => {
    const gone = await Receiver.start();
    const deadUrl = gone.url;
    await gone.close();
    const { listener, printed, waitForCount } = await listen({ forwardTo: deadUrl });
    open.push(listener);
    expect((await post(listener.url, signed("standard"))).status).toBe(200);
    await waitForCount(1);
    expect(printed[0]).toMatch(
      /↪ forward to http:\/\/127\.0\.0\.1:\d+ failed after \d+ ms: connect ECONNREFUSED/,
    );
  });
});

describe("gatehouse listen receiving from a real Gatehouse", () => {
  let gh: TestServer;
  beforeAll(async () => {
    gh = await startTestServer();
  });
  afterAll(async () => {
    await gh.stop();
  });

  it("verifies what Gatehouse sends under each scheme, and shows the event", async () => {
    for (const scheme of SIGNATURE_SCHEMES) {
      const secret = `whsec_Z2F0ZWhvdXNlLWxpc3Rlbi0${scheme.length}`;
      const { listener, printed, waitForCount } = await listen({ scheme, secrets: [secret] });
      try {
        const created = await gh.api("POST", "/v1/webhooks", {
          url: `${listener.url}/gh`,
          secret,
          signature_scheme: scheme,
          event_types: ["webhook.*"],
        });
        expect(created.status, JSON.stringify(created.body)).toBe(201);
        expect((await gh.api("POST", `/v1/webhooks/${created.body.uid}/test`)).status).toBeLessThan(300);
        await waitForCount(1);
        expect(printed[0]).toContain("POST /gh");
        expect(printed[0]).toMatch(/event: webhook\.test {3}id: \S+/);
        expect(printed[0]).toContain(scheme === "none" ? "– not verified" : `✔ verified (${scheme})`);
      } finally {
        await listener.close();
      }
    }
  });

  it("verifies a standard delivery during a rotation with the old secret alone", async () => {
    const old = "whsec_b2xkLXNlY3JldC1mb3ItbGlzdGVu";
    const { listener, printed, waitForCount } = await listen({ secrets: [old] });
    try {
      const created = await gh.api("POST", "/v1/webhooks", {
        url: `${listener.url}/rotating`,
        secret: old,
        event_types: ["webhook.*"],
      });
      const rotated = await gh.api("POST", `/v1/webhooks/${created.body.uid}/secret/rotate`, {
        overlap_seconds: 3600,
      });
      expect(rotated.body.previous_secret).toBe(old);
      await gh.api("POST", `/v1/webhooks/${created.body.uid}/test`);
      await waitForCount(1);
      expect(printed[0]).toMatch(/webhook-signature: v1,\S+ v1,\S+\n/);
      expect(printed[0]).toContain("✔ verified (standard)");
    } finally {
      await listener.close();
    }
  });
});

describe("gatehouse listen (the command)", () => {
  let child: ChildProcess | undefined;
  afterAll(() => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  });

  it("prints a JSON line per delivery, takes the secret from the environment, and exits 0 on SIGTERM", async () => {
    const secret = "genea-cli-secret-0001";
    child = spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        "src/cli/main.ts",
        "listen",
        "--port",
        "0",
        "--scheme",
        "genea",
        "--json",
        "--status",
        "201",
      ],
      {
        cwd: ROOT,
        env: { ...process.env, GATEHOUSE_LISTEN_SECRET: secret },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (c: Buffer) => {
      stdout += c.toString("utf8");
    });
    child.stderr?.on("data", (c: Buffer) => {
      stderr += c.toString("utf8");
    });
    const exited = new Promise<number | null>((resolve) => child?.on("exit", (code) => resolve(code)));
    const url = await waitFor(() => /gatehouse listen: (http:\/\/127\.0\.0\.1:\d+)/.exec(stderr)?.[1], {
      timeoutMs: 20_000,
      what: `the listener's address (stderr: ${stderr})`,
    });
    expect(stderr).toContain("verifying genea signatures with 1 secret");

    expect((await post(url, signed("genea", BODY, [secret]))).status).toBe(201);
    expect((await post(url, signed("genea", BODY, ["not-the-secret"]))).status).toBe(201);
    const lines = await waitFor(() => {
      const done = stdout.split("\n").filter(Boolean);
      return done.length >= 2 && done.map((line) => JSON.parse(line));
    });
    expect(lines[0]).toMatchObject({
      number: 1,
      method: "POST",
      path: "/hooks/in",
      event_type: "access.granted",
      event_id: "0194f1a2-7b3c-7d4e-8f50-6a7b8c9d0e1f",
      verified: true,
      status: 201,
      body: BODY,
      forward: null,
    });
    expect(lines[0].headers["x-sequr-signature"]).toMatch(/^sha1=[0-9a-f]{40}$/);
    expect(lines[1]).toMatchObject({
      verified: false,
      reason: expect.stringMatching(/X-Sequr-Signature does not/),
    });

    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(stdout + stderr).not.toContain(secret);
  });
});
