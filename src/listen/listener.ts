// The receiver behind `gatehouse listen`: takes any request, verifies its signature, answers, and forwards it.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { type SignatureScheme, verifyWebhook } from "../verify.js";
import { forward } from "./forward.js";
import { eventOf, type HeardRequest, SHOWN_HEADERS } from "./report.js";

export interface ListenOptions {
  /** 0 picks a free port. */
  port: number;
  host?: string;
  scheme: SignatureScheme;
  /** Any of them may have signed (a rotation); none is needed for scheme `none`. */
  secrets: readonly string[];
  /** The status every request is answered with. Default 200. */
  status?: number;
  /** Also send each request on to this URL. */
  forwardTo?: string;
  /** For the schemes that sign a timestamp. Default 300 s. */
  toleranceSec?: number;
  now?: () => number;
  /** Called once per request, after it was answered and forwarded. */
  onRequest: (heard: HeardRequest) => void;
}

export interface Listener {
  url: string;
  port: number;
  /** Stops taking requests, and waits for those under way to be reported. */
  close(): Promise<void>;
}

/** Gatehouse's bodies are small; this only keeps a stray upload from filling memory. */
export const MAX_BODY_BYTES = 10 * 1024 * 1024;

function shownHeaders(req: IncomingMessage): Record<string, string> {
  const shown: Record<string, string> = {};
  for (const name of SHOWN_HEADERS) {
    const value = req.headers[name];
    if (value !== undefined) shown[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return shown;
}

function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on("end", () => resolve(size <= MAX_BODY_BYTES ? Buffer.concat(chunks) : undefined));
    req.on("error", reject);
  });
}

function verdict(
  options: ListenOptions,
  body: Buffer,
  req: IncomingMessage,
): Pick<HeardRequest, "verified" | "reason"> {
  const { scheme } = options;
  if (scheme === "none") return { verified: null, reason: "scheme none: deliveries carry no signature" };
  const result = verifyWebhook({
    scheme,
    body,
    headers: req.headers,
    secret: options.secrets,
    // BAS-IP's timestamp is not signed, so holding it to a tolerance would prove nothing.
    toleranceSec: scheme === "basip" ? undefined : options.toleranceSec,
    now: options.now,
  });
  return result.ok ? { verified: true, reason: scheme } : { verified: false, reason: result.reason };
}

export async function startListener(options: ListenOptions): Promise<Listener> {
  const now = options.now ?? Date.now;
  const status = options.status ?? 200;
  const underWay = new Set<Promise<void>>();
  let count = 0;

  const handle = async (req: IncomingMessage, res: ServerResponse, number: number): Promise<void> => {
    const receivedAt = now();
    const body = await readBody(req);
    const base = {
      number,
      receivedAt,
      method: req.method ?? "GET",
      path: req.url ?? "/",
      headers: shownHeaders(req),
    };
    if (body === undefined) {
      res.writeHead(413, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: `body larger than ${MAX_BODY_BYTES} bytes` }));
      const reason = `body larger than ${MAX_BODY_BYTES} bytes, not read`;
      options.onRequest({ ...base, body: Buffer.alloc(0), event: {}, verified: false, reason, status: 413 });
      return;
    }
    const { verified, reason } = verdict(options, body, req);
    // Answer first: the sender should not wait on the forward.
    res.writeHead(status, { "content-type": "application/json" });
    res.end(
      JSON.stringify(
        verified === false ? { received: true, verified, reason } : { received: true, verified },
      ),
    );
    const heard: HeardRequest = { ...base, body, event: eventOf(body), verified, reason, status };
    if (options.forwardTo) heard.forward = await forward(options.forwardTo, base.method, req.headers, body);
    options.onRequest(heard);
  };

  const server = createServer((req, res) => {
    count += 1;
    const work = handle(req, res, count)
      .catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(500).end();
        process.stderr.write(`gatehouse listen: ${error instanceof Error ? error.message : String(error)}\n`);
      })
      .finally(() => underWay.delete(work));
    underWay.add(work);
  });

  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const shownHost = host.includes(":") ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${port}`,
    port,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Every request already answered was answered at once; a body still arriving is cut off.
      server.closeAllConnections();
      await Promise.allSettled([...underWay]);
      await closed;
    },
  };
}
