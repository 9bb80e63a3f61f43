// Runtime configuration: one typed object built from CLI flags and GATEHOUSE_* environment variables.
import { availableParallelism } from "node:os";
import { resolve } from "node:path";

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  /** A postgres:// URL; absent means embedded SQLite under dataDir. */
  databaseUrl?: string;
  /** Connections this node keeps to PostgreSQL. */
  poolSize: number;
  allowPrivateTargets: boolean;
  /** Webhook requests go out from a worker thread (delivery/sender-thread.ts) instead of the main event loop. */
  senderThread: boolean;
  adminKey?: string;
  logLevel: string;
  /** How often doors (relock, held open) and devices (silent too long) are checked. */
  sweepIntervalMs: number;
  delivery: DeliveryConfig;
}

export interface DeliveryConfig {
  /** Delays before retry 1, 2, 3…; the last one repeats. Full jitter is applied to each. */
  retryScheduleMs: number[];
  /** The longest wait a receiver's Retry-After may impose. */
  maxRetryAfterMs: number;
  /** How long a claim is held before another worker may take the delivery over. */
  leaseMs: number;
  /** How often the store is polled for due retries and orphaned claims. */
  pollIntervalMs: number;
  /** Requests in flight at once, across all webhooks. */
  maxInFlight: number;
  /** Requests in flight at once to one webhook. */
  maxInFlightPerWebhook: number;
  /** Deliveries held in memory awaiting a send; beyond this they wait in the store. */
  maxQueued: number;
  /** How long SIGTERM waits for in-flight requests before exiting anyway. */
  drainTimeoutMs: number;
}

export const defaultDeliveryConfig: DeliveryConfig = {
  retryScheduleMs: [5_000, 30_000, 120_000, 600_000, 3_600_000],
  maxRetryAfterMs: 3_600_000,
  leaseMs: 60_000,
  pollIntervalMs: 1_000,
  maxInFlight: 256,
  maxInFlightPerWebhook: 32,
  maxQueued: 20_000,
  drainTimeoutMs: 30_000,
};

const ON = ["1", "true", "yes"];
const OFF = ["0", "false", "no"];

function flag(value: string | undefined): boolean {
  return value !== undefined && ON.includes(value);
}

/** A switch that is on or off when set, and `fallback` when not; anything else is a mistake worth naming. */
function onOff(name: string, value: string | undefined, fallback: boolean): boolean {
  if (value === undefined || value === "") return fallback;
  if (ON.includes(value)) return true;
  if (OFF.includes(value)) return false;
  throw new Error(`${name}: expected 1 or 0, got "${value}"`);
}

/**
 * GATEHOUSE_SENDER_THREAD, by default on when there is a second core to run the thread: on a single core
 * the thread would only add the crossing to the same CPU the main loop uses.
 */
export function senderThreadSetting(env: NodeJS.ProcessEnv = process.env): boolean {
  return onOff("GATEHOUSE_SENDER_THREAD", env.GATEHOUSE_SENDER_THREAD, availableParallelism() >= 2);
}

function numberList(value: string | undefined): number[] | undefined {
  if (!value) return undefined;
  const list = value.split(",").map((v) => Number(v.trim()));
  if (list.length === 0 || list.some((n) => !Number.isFinite(n) || n < 0)) {
    throw new Error(`GATEHOUSE_RETRY_SCHEDULE_MS: expected comma-separated milliseconds, got "${value}"`);
  }
  return list;
}

function positive(name: string, value: string | undefined): number | undefined {
  if (value === undefined || value === "") return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name}: expected a positive integer, got "${value}"`);
  return n;
}

export interface ConfigFlags {
  port?: number;
  host?: string;
  data?: string;
  database?: string;
  allowPrivateTargets?: boolean;
}

export function loadConfig(flags: ConfigFlags, env: NodeJS.ProcessEnv = process.env): Config {
  const d = defaultDeliveryConfig;
  return {
    port: flags.port ?? positive("GATEHOUSE_PORT", env.GATEHOUSE_PORT) ?? 8080,
    host: flags.host ?? env.GATEHOUSE_HOST ?? "127.0.0.1",
    dataDir: resolve(flags.data ?? env.GATEHOUSE_DATA ?? "./gatehouse-data"),
    databaseUrl: flags.database ?? env.GATEHOUSE_DATABASE_URL ?? undefined,
    poolSize: positive("GATEHOUSE_PG_POOL_SIZE", env.GATEHOUSE_PG_POOL_SIZE) ?? 10,
    allowPrivateTargets: flags.allowPrivateTargets === true || flag(env.GATEHOUSE_ALLOW_PRIVATE_TARGETS),
    senderThread: senderThreadSetting(env),
    adminKey: env.GATEHOUSE_ADMIN_KEY || undefined,
    logLevel: env.GATEHOUSE_LOG_LEVEL ?? "info",
    sweepIntervalMs: positive("GATEHOUSE_SWEEP_INTERVAL_MS", env.GATEHOUSE_SWEEP_INTERVAL_MS) ?? 1_000,
    delivery: {
      retryScheduleMs: numberList(env.GATEHOUSE_RETRY_SCHEDULE_MS) ?? d.retryScheduleMs,
      maxRetryAfterMs:
        positive("GATEHOUSE_MAX_RETRY_AFTER_MS", env.GATEHOUSE_MAX_RETRY_AFTER_MS) ?? d.maxRetryAfterMs,
      leaseMs: positive("GATEHOUSE_LEASE_MS", env.GATEHOUSE_LEASE_MS) ?? d.leaseMs,
      pollIntervalMs:
        positive("GATEHOUSE_POLL_INTERVAL_MS", env.GATEHOUSE_POLL_INTERVAL_MS) ?? d.pollIntervalMs,
      maxInFlight: positive("GATEHOUSE_MAX_IN_FLIGHT", env.GATEHOUSE_MAX_IN_FLIGHT) ?? d.maxInFlight,
      maxInFlightPerWebhook:
        positive("GATEHOUSE_MAX_IN_FLIGHT_PER_WEBHOOK", env.GATEHOUSE_MAX_IN_FLIGHT_PER_WEBHOOK) ??
        d.maxInFlightPerWebhook,
      maxQueued: positive("GATEHOUSE_MAX_QUEUED", env.GATEHOUSE_MAX_QUEUED) ?? d.maxQueued,
      drainTimeoutMs:
        positive("GATEHOUSE_DRAIN_TIMEOUT_MS", env.GATEHOUSE_DRAIN_TIMEOUT_MS) ?? d.drainTimeoutMs,
    },
  };
}
