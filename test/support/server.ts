// Starts a real Gatehouse in this process on a fresh store (the project's: SQLite or PostgreSQL) and a free
// port, with an API client for it.
import {
  type Config,
  type DeliveryConfig,
  defaultDeliveryConfig,
  senderThreadSetting,
} from "../../src/config.js";
import type { Clock } from "../../src/lib/clock.js";
import { createLogger, type Logger } from "../../src/lib/logger.js";
import { type RunningServer, startServer } from "../../src/server.js";
import { createTestStore, type TestStore } from "./store.js";

export const ADMIN_KEY = "test-admin-key-0123456789";

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export interface TestServer {
  url: string;
  server: RunningServer;
  store: TestStore;
  dataDir: string;
  /** Calls the API with the admin key unless another key (or null for none) is given. */
  api<T = any>(method: string, path: string, body?: unknown, key?: string | null): Promise<ApiResponse<T>>;
  stop(): Promise<void>;
}

export interface TestServerOptions {
  delivery?: Partial<DeliveryConfig>;
  allowPrivateTargets?: boolean;
  /** By default as `gatehouse serve` would choose (GATEHOUSE_SENDER_THREAD, else on with a second core). */
  senderThread?: boolean;
  /** Reuse a store (to restart on it); it is then left in place on stop. By default a fresh one is made and dropped. */
  store?: TestStore;
  clock?: Clock;
  /** Where the server logs; silent unless TEST_LOG_LEVEL is set. */
  logger?: Logger;
}

export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const store = options.store ?? (await createTestStore());
  const config: Config = {
    port: 0,
    host: "127.0.0.1",
    dataDir: store.dataDir,
    databaseUrl: store.databaseUrl,
    poolSize: 5,
    allowPrivateTargets: options.allowPrivateTargets ?? true,
    senderThread: options.senderThread ?? senderThreadSetting(),
    adminKey: ADMIN_KEY,
    logLevel: "silent",
    sweepIntervalMs: 100,
    delivery: {
      ...defaultDeliveryConfig,
      retryScheduleMs: [50, 100, 200],
      pollIntervalMs: 50,
      ...options.delivery,
    },
  };
  const server = await startServer(config, {
    clock: options.clock,
    logger: options.logger ?? createLogger(process.env.TEST_LOG_LEVEL ?? "silent"),
  });
  return {
    url: server.url,
    server,
    store,
    dataDir: store.dataDir,
    api: (method, path, body, key = ADMIN_KEY) => apiCall(server.url, method, path, body, key),
    stop: async () => {
      await server.stop();
      if (!options.store) await store.drop();
    },
  };
}

export async function apiCall<T = any>(
  base: string,
  method: string,
  path: string,
  body?: unknown,
  key: string | null = ADMIN_KEY,
): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = {};
  if (key !== null) headers.authorization = `Bearer ${key}`;
  let payload: string | undefined;
  if (body !== undefined) {
    headers["content-type"] = "application/json";
    payload = typeof body === "string" ? body : JSON.stringify(body);
  }
  const res = await fetch(`${base}${path}`, { method, headers, body: payload });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: leave the text
  }
  return { status: res.status, body: parsed as T, headers: res.headers };
}
