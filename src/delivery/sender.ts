// Sends one request over undici's per-origin connection pools, with the SSRF guard in the socket's DNS lookup.
import { Agent, type Dispatcher } from "undici";
import { checkLiteralHost, ForbiddenTargetError, guardedLookup } from "../lib/network-guard.js";
import type { RequestSender, SendResult, WireRequest } from "./request-sender.js";

export const MAX_RESPONSE_BODY = 64 * 1024;

export interface SenderOptions {
  allowPrivateTargets: boolean;
  connectionsPerOrigin: number;
}

export class Sender implements RequestSender {
  private readonly agent: Agent;
  /** Parsed target URLs by their text: a webhook's URL rarely changes, and parsing one costs ~1 µs. */
  private readonly targets = new Map<string, URL>();

  constructor(private readonly options: SenderOptions) {
    this.agent = new Agent({
      connections: options.connectionsPerOrigin,
      keepAliveTimeout: 30_000,
      connect: options.allowPrivateTargets ? {} : { lookup: guardedLookup },
    });
  }

  send(req: WireRequest, timeoutMs: number): Promise<SendResult> {
    return new Promise<SendResult>((resolve) => {
      let url: URL;
      try {
        url = this.target(req.url);
        if (!this.options.allowPrivateTargets) checkLiteralHost(url.hostname);
      } catch (error) {
        resolve({ ...describeError(error, timeoutMs), durationMs: 0 });
        return;
      }
      // undici's dispatch API rather than request(): the response is read by a small handler, with no
      // stream, async iterator or AbortSignal per request (together ~15% of a delivery's CPU).
      this.agent.dispatch(
        {
          origin: url.origin,
          path: `${url.pathname}${url.search}`,
          method: "POST",
          headers: req.headers,
          body: req.body,
          headersTimeout: timeoutMs,
          bodyTimeout: timeoutMs,
        },
        new ResponseReader(timeoutMs, resolve),
      );
    });
  }

  private target(text: string): URL {
    let url = this.targets.get(text);
    if (!url) {
      url = new URL(text);
      if (this.targets.size >= 1000) this.targets.clear();
      this.targets.set(text, url);
    }
    return url;
  }

  /** Closes the pools once the requests under way have finished. */
  async close(): Promise<void> {
    if (!this.agent.destroyed) await this.agent.close();
  }

  /** Aborts every request under way and closes the pools. */
  async destroy(): Promise<void> {
    if (!this.agent.destroyed) await this.agent.destroy();
  }
}

/**
 * One request's handler: keeps the status, the headers and at most MAX_RESPONSE_BODY bytes of the body, and
 * answers once, when the response is complete, has failed, has passed the cap, or missed its deadline.
 */
class ResponseReader implements Dispatcher.DispatchHandler {
  private readonly started = performance.now();
  private readonly timer: NodeJS.Timeout;
  private controller: Dispatcher.DispatchController | null = null;
  private status = 0;
  private headers: Record<string, string> = {};
  private chunks: Buffer[] = [];
  private size = 0;
  private done = false;

  constructor(
    private readonly timeoutMs: number,
    private readonly resolve: (result: SendResult) => void,
  ) {
    // The whole exchange has one deadline, connecting included: it answers at once, and aborts whatever
    // undici is still doing. The reason's name is what describeError recognises.
    this.timer = setTimeout(() => {
      const reason = new DOMException(`no complete response within ${timeoutMs} ms`, "TimeoutError");
      this.finish({ ...describeError(reason, timeoutMs), durationMs: this.elapsed() });
      this.controller?.abort(reason);
    }, timeoutMs);
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    if (this.done) controller.abort(new DOMException("past its deadline before it started", "TimeoutError"));
  }

  onResponseStart(
    _controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: Record<string, string | string[] | undefined>,
  ): void {
    this.status = statusCode;
    this.headers = flattenHeaders(headers);
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.done) return;
    this.chunks.push(
      this.size + chunk.length > MAX_RESPONSE_BODY ? chunk.subarray(0, MAX_RESPONSE_BODY - this.size) : chunk,
    );
    this.size += chunk.length;
    if (this.size >= MAX_RESPONSE_BODY) {
      // A huge reply cannot fill memory: keep what fits and drop the connection.
      this.succeed();
      controller.abort(new Error("response body over the cap"));
    }
  }

  onResponseEnd(): void {
    this.succeed();
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    if (this.done) return;
    this.finish({ ...describeError(error, this.timeoutMs), durationMs: this.elapsed() });
  }

  private succeed(): void {
    if (this.done) return;
    const body =
      this.chunks.length === 1
        ? (this.chunks[0] as Buffer).toString("utf8")
        : Buffer.concat(this.chunks).toString("utf8");
    this.finish({ status: this.status, headers: this.headers, body, durationMs: this.elapsed() });
  }

  private finish(result: SendResult): void {
    this.done = true;
    this.chunks = [];
    clearTimeout(this.timer);
    this.resolve(result);
  }

  private elapsed(): number {
    return Math.round(performance.now() - this.started);
  }
}

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k in headers) {
    const v = headers[k];
    if (v !== undefined) out[k] = Array.isArray(v) ? v.join(", ") : v;
  }
  return out;
}

function describeError(error: unknown, timeoutMs: number): { error: string; refused?: boolean } {
  const chain: unknown[] = [];
  for (let e: unknown = error; e && chain.length < 5; e = (e as { cause?: unknown }).cause) chain.push(e);
  const refused = chain.find((e) => e instanceof ForbiddenTargetError);
  if (refused) return { error: (refused as Error).message, refused: true };
  // Both: a DOMException's code is a number (23 for TimeoutError), so its name must be looked at too.
  const names = chain.flatMap((e) => [(e as { code?: unknown }).code, (e as { name?: string }).name]);
  if (
    names.some(
      (n) =>
        n === "TimeoutError" ||
        n === "UND_ERR_HEADERS_TIMEOUT" ||
        n === "UND_ERR_BODY_TIMEOUT" ||
        n === "UND_ERR_CONNECT_TIMEOUT",
    )
  ) {
    return { error: `timeout: no complete response within ${timeoutMs} ms` };
  }
  const first = chain.find((e) => (e as { code?: string }).code) as
    | { code?: string; message?: string }
    | undefined;
  const top = error as Error;
  return {
    error: first?.code ? `${first.code}: ${first.message ?? top.message}` : `network error: ${top.message}`,
  };
}
