// A real `gatehouse serve` child process on a fresh data directory (or, with --floor, the reference pipeline of
// bench/floor.ts), and the few API calls the bench makes to it.
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { request } from "undici";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

export interface GatehouseOptions {
  /** Passed through as `--database`; absent means embedded SQLite in the fresh data directory. */
  database?: string;
  /** Write a V8 CPU profile of the server into this directory when it exits. */
  cpuProfileDir?: string;
  /** Start the reference pipeline (`bench/floor.ts`, embedded SQLite only) instead of `gatehouse serve`. */
  floor?: boolean;
}

export class GatehouseProcess {
  /** Warnings and errors the server logged (it runs at level warn). */
  readonly logs: string[] = [];
  readonly exited: Promise<number | null>;

  private constructor(
    readonly child: ChildProcess,
    readonly url: string,
    readonly adminKey: string,
    readonly dataDir: string,
  ) {
    this.exited = new Promise((resolve) => {
      if (child.exitCode !== null) resolve(child.exitCode);
      else child.once("exit", (code) => resolve(code));
    });
    const collect = (chunk: Buffer) => {
      for (const line of chunk.toString("utf8").split("\n")) if (line.trim()) this.logs.push(line);
    };
    child.stdout?.on("data", collect);
    child.stderr?.on("data", collect);
  }

  static async start(options: GatehouseOptions, timeoutMs = 30_000): Promise<GatehouseProcess> {
    const dataDir = mkdtempSync(join(tmpdir(), "gatehouse-bench-"));
    const adminKey = `bench_${randomBytes(18).toString("base64url")}`;
    const port = await freePort();
    const nodeArgs = ["--import", "tsx"];
    if (options.cpuProfileDir) {
      mkdirSync(options.cpuProfileDir, { recursive: true });
      nodeArgs.push("--cpu-prof", "--cpu-prof-dir", options.cpuProfileDir);
    }
    const listen = ["--port", String(port), "--host", "127.0.0.1", "--data", dataDir];
    const serveArgs = options.floor ? ["bench/floor.ts", ...listen] : ["src/cli/main.ts", "serve", ...listen];
    if (options.database) serveArgs.push("--database", options.database);
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      GATEHOUSE_ADMIN_KEY: adminKey,
      GATEHOUSE_ALLOW_PRIVATE_TARGETS: "1",
      GATEHOUSE_LOG_LEVEL: "warn",
    };
    // The store is the bench's choice alone: a URL in the environment would make the SQLite run PostgreSQL.
    delete env.GATEHOUSE_DATABASE_URL;
    const child = spawn(process.execPath, [...nodeArgs, ...serveArgs], {
      cwd: ROOT,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const gh = new GatehouseProcess(child, `http://127.0.0.1:${port}`, adminKey, dataDir);
    try {
      await gh.waitReady(timeoutMs);
    } catch (error) {
      await gh.stop();
      throw error;
    }
    return gh;
  }

  get pid(): number {
    return this.child.pid as number;
  }

  /** The server logs nothing at level warn when it starts, so readiness is /healthz answering 200. */
  private async waitReady(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let exitCode: number | null | undefined;
    void this.exited.then((code) => {
      exitCode = code;
    });
    while (Date.now() < deadline) {
      if (exitCode !== undefined) {
        throw new Error(
          `gatehouse serve exited with ${exitCode} before it was ready:\n${this.logs.join("\n")}`,
        );
      }
      try {
        const res = await request(`${this.url}/healthz`, { headersTimeout: 1_000, bodyTimeout: 1_000 });
        await res.body.dump();
        if (res.statusCode === 200) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`gatehouse serve was not ready within ${timeoutMs} ms:\n${this.logs.join("\n")}`);
  }

  /** Calls the API as the bootstrap admin and answers the parsed JSON; anything but `expect` throws. */
  async api<T>(method: "GET" | "POST", path: string, body: unknown, expect: number): Promise<T> {
    const res = await request(`${this.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${this.adminKey}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
      headersTimeout: 10_000,
      bodyTimeout: 10_000,
    });
    const text = await res.body.text();
    if (res.statusCode !== expect) throw new Error(`${method} ${path} answered ${res.statusCode}: ${text}`);
    return JSON.parse(text) as T;
  }

  /** A webhook subscribed to every event type; answers its signing secret. */
  async createWebhook(url: string): Promise<{ uid: number; secret: string }> {
    return this.api("POST", "/v1/webhooks", { url, event_types: ["*"], name: "bench receiver" }, 201);
  }

  /** Pending deliveries in the store, from /metrics: 0 means every attempt has been recorded. */
  async pendingDeliveries(): Promise<number> {
    const res = await request(`${this.url}/metrics`, { headersTimeout: 10_000, bodyTimeout: 10_000 });
    const text = await res.body.text();
    const line = text.split("\n").find((l) => l.startsWith("gatehouse_delivery_queue_depth "));
    return line ? Number(line.split(" ")[1]) : Number.NaN;
  }

  /** Waits (bounded) until the store has no pending deliveries, so trailing commits count in CPU figures. */
  async waitDrained(timeoutMs = 30_000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if ((await this.pendingDeliveries()) === 0) return true;
      await new Promise((r) => setTimeout(r, 50));
    }
    return false;
  }

  /** SIGTERM (the server drains and exits 0), SIGKILL if it has not gone within the grace period. */
  async stop(graceMs = 15_000): Promise<number | null> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill("SIGTERM");
    const timer = setTimeout(() => this.child.kill("SIGKILL"), graceMs);
    const code = await this.exited;
    clearTimeout(timer);
    rmSync(this.dataDir, { recursive: true, force: true });
    return code;
  }
}

/** A port nobody is listening on right now (the server binds it a moment later). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}
