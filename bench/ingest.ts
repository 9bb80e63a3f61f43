// The ingest client: posts events to Gatehouse's API over undici, either as fast as it takes them or at a paced rate.
import { Pool } from "undici";
import { now } from "./clock.js";
import { EVENT_TYPE, eventData, siteFor } from "./payload.js";

export interface IngestResult {
  events: number;
  requests: number;
  failed: number;
  /** POST → 202 per request, ms. */
  ackMs: number[];
  /** The largest array posted; in a paced run, more than rate × tick means the timer fell behind. */
  maxPerPost: number;
  /** When the last request was sent. */
  lastSentAt: number;
  firstError?: string;
  startedAt: number;
  endedAt: number;
}

export class IngestClient {
  private readonly pool: Pool;
  private seq = 0;

  constructor(
    url: string,
    private readonly apiKey: string,
    connections: number,
  ) {
    this.pool = new Pool(url, { connections, keepAliveTimeout: 30_000 });
  }

  /** Posts `count` events with the send time stamped in each just before the request goes; answers POST → 202 ms. */
  private async post(count: number): Promise<number> {
    const sentAt = now();
    const events = [];
    for (let i = 0; i < count; i++) {
      const seq = this.seq++;
      events.push({ type: EVENT_TYPE, site_id: siteFor(seq), data: eventData(seq, sentAt) });
    }
    const res = await this.pool.request({
      path: "/v1/events",
      method: "POST",
      headers: { authorization: `Bearer ${this.apiKey}`, "content-type": "application/json" },
      body: JSON.stringify(events),
      headersTimeout: 30_000,
      bodyTimeout: 30_000,
    });
    const text = await res.body.text();
    if (res.statusCode !== 202) throw new Error(`POST /v1/events answered ${res.statusCode}: ${text}`);
    return now() - sentAt;
  }

  /** Posts `total` events in arrays of `batch`, `concurrency` requests at a time, as fast as Gatehouse accepts them. */
  async flood(total: number, batch: number, concurrency: number): Promise<IngestResult> {
    const result = emptyResult();
    let left = total;
    const worker = async () => {
      while (left > 0) {
        const n = Math.min(batch, left);
        left -= n;
        await this.track(result, n);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    result.endedAt = now();
    return result;
  }

  /**
   * Offers `rate` events/s for `durationMs`, open loop: a timer every `tickMs` posts whatever is due by
   * then, without waiting for earlier requests, so a slow server does not slow the offered rate.
   */
  async paced(rate: number, durationMs: number, tickMs: number): Promise<IngestResult> {
    const result = emptyResult();
    const total = Math.round((rate * durationMs) / 1000);
    const inFlight = new Set<Promise<void>>();
    let offered = 0;
    const start = now();
    result.startedAt = start;
    await new Promise<void>((resolve) => {
      const tick = () => {
        const due = Math.min(total, Math.floor(((now() - start) * rate) / 1000));
        const n = due - offered;
        if (n > 0) {
          offered += n;
          const p = this.track(result, n).finally(() => inFlight.delete(p));
          inFlight.add(p);
        }
        if (offered >= total) resolve();
        else setTimeout(tick, tickMs);
      };
      tick();
    });
    await Promise.all(inFlight);
    result.endedAt = now();
    return result;
  }

  private async track(result: IngestResult, n: number): Promise<void> {
    result.requests++;
    result.maxPerPost = Math.max(result.maxPerPost, n);
    result.lastSentAt = now();
    try {
      result.ackMs.push(await this.post(n));
      result.events += n;
    } catch (error) {
      result.failed += n;
      result.firstError ??= error instanceof Error ? error.message : String(error);
    }
  }

  async close(): Promise<void> {
    await this.pool.close();
  }
}

function emptyResult(): IngestResult {
  const t = now();
  return {
    events: 0,
    requests: 0,
    failed: 0,
    ackMs: [],
    maxPerPost: 0,
    lastSentAt: t,
    startedAt: t,
    endedAt: t,
  };
}
