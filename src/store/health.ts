// Watches the store's connection: while it is lost, the node reports not-ready and refuses what it cannot commit.
import { sql } from "kysely";
import type { Logger } from "../lib/logger.js";
import type { Store } from "./store.js";

/** Errors that mean "the database is unreachable", as opposed to a bad query. */
export function isConnectionError(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = String((e as { code?: unknown }).code ?? "");
    if (
      /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|ENOTFOUND|EHOSTUNREACH|57P0[123]|08\w{3}|53300)$/.test(code)
    ) {
      return true;
    }
    const message = String((e as { message?: unknown }).message ?? "");
    if (/Connection terminated|connection timeout|Client has encountered a connection error/i.test(message)) {
      return true;
    }
  }
  return false;
}

export class StoreHealth {
  private healthy = true;
  private lastError: string | null = null;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private delayMs: number;

  constructor(
    private readonly store: Store,
    private readonly logger: Logger,
    /** How often the connection is checked while healthy; failures back off from a quarter of it. */
    private readonly intervalMs = 2_000,
  ) {
    this.delayMs = intervalMs;
  }

  get ok(): boolean {
    return this.healthy;
  }

  get error(): string | null {
    return this.lastError;
  }

  start(): void {
    this.schedule(this.intervalMs);
  }

  /** Called where a request met a connection error, so readiness drops at once rather than at the next probe. */
  reportFailure(error: unknown): void {
    if (!isConnectionError(error)) return;
    this.markDown(error);
    this.delayMs = 250;
    this.schedule(250);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.probe(), ms);
    this.timer.unref();
  }

  private async probe(): Promise<void> {
    try {
      await sql`select 1`.execute(this.store.db);
      if (!this.healthy) this.logger.info("database reachable again; accepting events");
      this.healthy = true;
      this.lastError = null;
      this.delayMs = this.intervalMs;
    } catch (error) {
      const wasHealthy = this.healthy;
      this.markDown(error);
      // Back off while it stays down: 250 ms, 500 ms, 1 s… up to the normal interval.
      this.delayMs = wasHealthy ? 250 : Math.min(this.delayMs * 2, this.intervalMs);
    }
    this.schedule(this.healthy ? this.intervalMs : this.delayMs);
  }

  private markDown(error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    if (this.healthy)
      this.logger.error({ err: error }, "database unreachable; refusing events until it is back");
    this.healthy = false;
    this.lastError = message;
  }
}
