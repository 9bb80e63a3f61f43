// `gatehouse listen`: a local receiver that shows each delivery and whether its signature verifies.
import { InvalidArgumentError } from "commander";
import type { SignatureScheme } from "../delivery/signing/index.js";
import { type Listener, startListener } from "../listen/listener.js";
import { formatHeard, heardAsJson } from "../listen/report.js";

export interface ListenCliOptions {
  port: number;
  host: string;
  secret: string[];
  scheme: SignatureScheme;
  status: number;
  forward?: string;
  tolerance: number;
  json?: boolean;
}

export function statusCode(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 200 || n > 599)
    throw new InvalidArgumentError("must be an HTTP status 200–599");
  return n;
}

export function seconds(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError("must be a whole number of seconds ≥ 0");
  return n;
}

export function httpUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidArgumentError("must be an http:// or https:// URL");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new InvalidArgumentError("must be an http:// or https:// URL");
  }
  return url.toString();
}

/** Repeated `--secret`s collect into a list: a rotation's old and new secret. */
export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** Where the listener is and what it does with a request, on stderr, so stdout holds only deliveries. */
function banner(listener: Listener, opts: ListenCliOptions, secrets: readonly string[]): string {
  const checks =
    opts.scheme === "none"
      ? "not verifying (scheme none)"
      : `verifying ${opts.scheme} signatures with ${secrets.length === 1 ? "1 secret" : `${secrets.length} secrets`}`;
  const tolerance =
    opts.scheme === "standard" || opts.scheme === "alocity" ? `, tolerance ${opts.tolerance} s` : "";
  const forwarding = opts.forward ? `; forwarding to ${opts.forward}` : "";
  return `gatehouse listen: ${listener.url} (any path)\n  ${checks}${tolerance}; answering ${opts.status}${forwarding}\n  Ctrl-C to stop\n`;
}

export async function runListen(opts: ListenCliOptions): Promise<void> {
  const fromEnv = process.env.GATEHOUSE_LISTEN_SECRET;
  const secrets = opts.secret.length > 0 ? opts.secret : fromEnv ? [fromEnv] : [];
  if (secrets.length === 0 && opts.scheme !== "none") {
    throw new Error(
      "a secret is needed to verify signatures: --secret or GATEHOUSE_LISTEN_SECRET (or --scheme none)",
    );
  }
  const color = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;
  const listener = await startListener({
    port: opts.port,
    host: opts.host,
    scheme: opts.scheme,
    secrets,
    status: opts.status,
    toleranceSec: opts.tolerance,
    ...(opts.forward ? { forwardTo: opts.forward } : {}),
    onRequest: (heard) => {
      process.stdout.write(opts.json ? heardAsJson(heard) : formatHeard(heard, { color }));
    },
  });
  process.stderr.write(banner(listener, opts, secrets));
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  await listener.close();
}
