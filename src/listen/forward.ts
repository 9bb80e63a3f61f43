// Passes a request `gatehouse listen` received on to another receiver: the same method, body bytes and
// end-to-end headers.
import { request as httpRequest, type IncomingHttpHeaders } from "node:http";
import { request as httpsRequest } from "node:https";

export interface ForwardResult {
  url: string;
  /** The forward's response status; absent when it failed. */
  status?: number;
  error?: string;
  durationMs: number;
}

// RFC 9110 §7.6.1: these describe one connection, not the message, so a proxy does not pass them on.
const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "proxy-authenticate",
  "proxy-authorization",
  "proxy-connection",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
]);

/** The headers to send on: hop-by-hop ones (and those `Connection` names) dropped, host and length redone. */
export function forwardedHeaders(headers: IncomingHttpHeaders): Record<string, string | string[]> {
  const named = String(headers.connection ?? "")
    .split(",")
    .map((h) => h.trim().toLowerCase())
    .filter(Boolean);
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || HOP_BY_HOP.has(name) || named.includes(name)) continue;
    if (name === "host" || name === "content-length") continue;
    out[name] = value;
  }
  return out;
}

export function forward(
  url: string,
  method: string,
  headers: IncomingHttpHeaders,
  body: Buffer,
  timeoutMs = 10_000,
): Promise<ForwardResult> {
  const started = performance.now();
  const target = new URL(url);
  const send = target.protocol === "https:" ? httpsRequest : httpRequest;
  const elapsed = () => Math.round(performance.now() - started);
  return new Promise((resolve) => {
    const req = send(
      target,
      {
        method,
        headers: { ...forwardedHeaders(headers), "content-length": String(body.length) },
        timeout: timeoutMs,
      },
      (res) => {
        // The forward's answer is only reported by status; read it to the end so the socket is freed.
        res.resume();
        res.on("end", () => resolve({ url, status: res.statusCode ?? 0, durationMs: elapsed() }));
        res.on("error", (error) => resolve({ url, error: error.message, durationMs: elapsed() }));
      },
    );
    req.on("timeout", () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on("error", (error) => resolve({ url, error: error.message, durationMs: elapsed() }));
    req.end(body);
  });
}
