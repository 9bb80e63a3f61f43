// A real HTTP receiver on loopback that records every request and verifies Standard Webhooks signatures
// with the `standardwebhooks` package, so our signing is checked by code that is not ours.
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook as StandardWebhook } from "standardwebhooks";
import { waitFor } from "./wait.js";

export interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  json: { id: string; type: string; sequence: number; data: Record<string, unknown>; [k: string]: unknown };
  /** Whether the signature verified with the secret the receiver was given (undefined: no secret given). */
  verified?: boolean;
  at: number;
}

export interface Reply {
  status?: number;
  headers?: Record<string, string>;
  body?: string;
  /** Wait this long before answering. */
  delayMs?: number;
}

export class Receiver {
  readonly received: Received[] = [];
  private server!: Server;
  /** Decides each reply; by default 200 OK. */
  reply: (req: Received, index: number) => Reply = () => ({ status: 200 });
  secret?: string;
  url = "";

  static async start(secret?: string): Promise<Receiver> {
    const r = new Receiver();
    r.secret = secret;
    await r.listen();
    return r;
  }

  private listen(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const body = Buffer.concat(chunks).toString("utf8");
        let json: Received["json"];
        try {
          json = JSON.parse(body);
        } catch {
          json = { id: "", type: "", sequence: 0, data: {} };
        }
        const rec: Received = { path: req.url ?? "/", headers: req.headers, body, json, at: Date.now() };
        if (this.secret) rec.verified = verifyStandard(this.secret, req.headers, body);
        const index = this.received.length;
        this.received.push(rec);
        const reply = this.reply(rec, index);
        const send = () => {
          if (res.destroyed) return;
          res.writeHead(reply.status ?? 200, reply.headers ?? {});
          res.end(reply.body ?? "ok");
        };
        if (reply.delayMs) setTimeout(send, reply.delayMs);
        else send();
      });
    });
    this.server.keepAliveTimeout = 60_000;
    return new Promise((resolve) => {
      this.server.listen(0, "127.0.0.1", () => {
        this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
        resolve();
      });
    });
  }

  /** Distinct event ids received. */
  eventIds(): Set<string> {
    return new Set(this.received.map((r) => r.json.id));
  }

  waitForCount(n: number, timeoutMs = 10_000): Promise<Received[]> {
    return waitFor(() => (this.received.length >= n ? this.received : undefined), {
      timeoutMs,
      what: `${n} deliveries (got ${this.received.length})`,
    });
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** A non-whsec secret's key is its UTF-8 bytes, which the library calls the raw format. */
export function verifyStandard(secret: string, headers: IncomingHttpHeaders, body: string): boolean {
  const wh = secret.startsWith("whsec_")
    ? new StandardWebhook(secret)
    : new StandardWebhook(secret, { format: "raw" });
  try {
    wh.verify(body, {
      "webhook-id": String(headers["webhook-id"]),
      "webhook-timestamp": String(headers["webhook-timestamp"]),
      "webhook-signature": String(headers["webhook-signature"]),
    });
    return true;
  } catch {
    return false;
  }
}
