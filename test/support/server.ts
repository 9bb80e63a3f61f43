// Starts a real Gatehouse in this process on a fresh SQLite file and a free port, with an API client for it.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Config, type DeliveryConfig, defaultDeliveryConfig } from "../../src/config.js";
import { createLogger, type Logger } from "../../src/lib/logger.js";
import { type RunningServer, startServer } from "../../src/server.js";

export const ADMIN_KEY = "test-admin-key-0123456789";

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export interface TestServer {
  url: string;
  server: RunningServer;
  dataDir: string;
  /** Calls the API with the admin key unless another key (or null for none) is given. */
  api<T = any>(method: string, path: string, body?: unknown, key?: string | null): Promise<ApiResponse<T>>;
  stop(): Promise<void>;
}

export interface TestServerOptions {
  delivery?: Partial<DeliveryConfig>;
  allowPrivateTargets?: boolean;
  dataDir?: string;
  /** Where the server logs; silent unless TEST_LOG_LEVEL is set. */
  logger?: Logger;
}

export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), "gatehouse-test-"));
  const config: Config = {
    port: 0,
    host: "127.0.0.1",
    dataDir,
    allowPrivateTargets: options.allowPrivateTargets ?? true,
    adminKey: ADMIN_KEY,
    logLevel: "silent",
    delivery: {
      ...defaultDeliveryConfig,
      retryScheduleMs: [50, 100, 200],
      pollIntervalMs: 50,
      ...options.delivery,
    },
  };
  const server = await startServer(config, {
    logger: options.logger ?? createLogger(process.env.TEST_LOG_LEVEL ?? "silent"),
  });
  return {
    url: server.url,
    server,
    dataDir,
    api: (method, path, body, key = ADMIN_KEY) => apiCall(server.url, method, path, body, key),
    stop: async () => {
      await server.stop();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
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
