// The raw ceiling: an undici Pool POSTing pre-serialised, Standard-Webhooks-signed bodies straight to the receiver.
import { createHmac, randomUUID } from "node:crypto";
import { Pool } from "undici";
import { EVENT_TYPE, eventData, siteFor } from "./payload.js";

export interface RawBody {
  id: string;
  body: string;
}

/** The bodies Gatehouse would send, in its envelope, serialised before the clock starts. */
export function rawBodies(count: number, firstSeq: number): RawBody[] {
  const recorded = new Date().toISOString();
  return Array.from({ length: count }, (_, i) => {
    const seq = firstSeq + i;
    const id = randomUUID();
    const body = JSON.stringify({
      id,
      type: EVENT_TYPE,
      timestamp: recorded,
      recorded_at: recorded,
      site_id: siteFor(seq),
      sequence: seq,
      data: eventData(seq, 0),
    });
    return { id, body };
  });
}

export class RawSender {
  private readonly pool: Pool;
  private readonly target: URL;
  private readonly key: Buffer;

  /**
   * `url` is the receiver's, path included; `secret` (whsec_…) signs; `connections` is both the pool
   * size and the requests in flight, the same as Gatehouse's per-webhook limit.
   */
  constructor(
    url: string,
    secret: string,
    private readonly connections: number,
  ) {
    this.target = new URL(url);
    this.key = Buffer.from(secret.replace(/^whsec_/, ""), "base64");
    this.pool = new Pool(this.target.origin, { connections, keepAliveTimeout: 30_000 });
  }

  /** Sends every body once; signing happens per request, as any sender's would. Answers how many failed. */
  async send(bodies: readonly RawBody[]): Promise<number> {
    let next = 0;
    let failed = 0;
    const worker = async () => {
      while (next < bodies.length) {
        const { id, body } = bodies[next++] as RawBody;
        const ts = String(Math.floor(Date.now() / 1000));
        const signature = createHmac("sha256", this.key).update(`${id}.${ts}.${body}`).digest("base64");
        try {
          const res = await this.pool.request({
            path: this.target.pathname,
            method: "POST",
            headers: {
              "content-type": "application/json",
              "user-agent": "gatehouse-bench-raw",
              "webhook-id": id,
              "webhook-timestamp": ts,
              "webhook-signature": `v1,${signature}`,
            },
            body,
            headersTimeout: 10_000,
            bodyTimeout: 10_000,
          });
          await res.body.text();
          if (res.statusCode !== 200) failed++;
        } catch {
          failed++;
        }
      }
    };
    await Promise.all(Array.from({ length: this.connections }, worker));
    return failed;
  }

  async close(): Promise<void> {
    await this.pool.close();
  }
}
