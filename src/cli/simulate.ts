// `gatehouse simulate`: parse the options, run the simulator, print its summary, and fail when the API did.
import { InvalidArgumentError } from "commander";
import { simulate } from "../simulate/simulate.js";
import { formatSummary } from "../simulate/summary.js";

export interface SimulateCliOptions {
  url: string;
  key?: string;
  site: string;
  timeZone: string;
  people: number;
  doors: number;
  speed: number;
  duration: number;
  seed?: number;
  json?: boolean;
}

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** "30s", "5m", "1h", "1500ms" (a bare number is seconds) → milliseconds. */
export function parseDuration(value: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(value.trim());
  if (!match) throw new InvalidArgumentError('must be a duration like "30s", "5m" or "1h"');
  return Math.round(Number(match[1]) * (UNITS[match[2] ?? "s"] ?? 1000));
}

export function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError("must be an integer ≥ 1");
  return n;
}

export function seedValue(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff)
    throw new InvalidArgumentError("must be an integer 0–4294967295");
  return n;
}

export function positiveNumber(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError("must be a number > 0");
  return n;
}

export async function runSimulate(opts: SimulateCliOptions): Promise<void> {
  const key = opts.key ?? process.env.GATEHOUSE_API_KEY ?? process.env.GATEHOUSE_ADMIN_KEY;
  if (!key) throw new Error("an admin API key is needed: --key or GATEHOUSE_API_KEY");
  const summary = await simulate({
    url: opts.url,
    key,
    site: opts.site,
    timeZone: opts.timeZone,
    people: opts.people,
    doors: opts.doors,
    speed: opts.speed,
    durationMs: opts.duration,
    ...(opts.seed === undefined ? {} : { seed: opts.seed }),
    progress: process.stderr,
  });
  process.stdout.write(opts.json ? `${JSON.stringify(summary, null, 2)}\n` : formatSummary(summary));
  if (summary.failures > 0 || summary.unexpected.length > 0) process.exitCode = 1;
}
