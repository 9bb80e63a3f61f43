// The bench's handle on its receiver process: start it, reset and read its counters, wait for a count, stop it.
import { type ChildProcess, fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { now } from "./clock.js";
import type { FromReceiver, ReceiverStats, ToReceiver } from "./receiver-protocol.js";

const SCRIPT = fileURLToPath(new URL("./receiver-process.ts", import.meta.url));
const ROOT = fileURLToPath(new URL("..", import.meta.url));

type Body<T> = T extends unknown ? Omit<T, "id"> : never;

export class ReceiverProcess {
  private nextId = 1;
  private readonly pending = new Map<number, (m: FromReceiver) => void>();

  private constructor(
    readonly child: ChildProcess,
    readonly url: string,
  ) {
    child.on("message", (m: FromReceiver) => {
      if (m.type === "ready") return;
      const resolve = this.pending.get(m.id);
      this.pending.delete(m.id);
      resolve?.(m);
    });
  }

  static async start(timeoutMs = 20_000): Promise<ReceiverProcess> {
    const child = fork(SCRIPT, [], {
      cwd: ROOT,
      execArgv: ["--import", "tsx"],
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("the receiver process did not start")), timeoutMs);
      child.once("exit", (code) => reject(new Error(`the receiver process exited with ${code}`)));
      child.on("message", (m: FromReceiver) => {
        if (m.type !== "ready") return;
        clearTimeout(timer);
        resolve(m.port);
      });
    });
    return new ReceiverProcess(child, `http://127.0.0.1:${port}`);
  }

  get pid(): number {
    return this.child.pid as number;
  }

  private call(message: Body<ToReceiver>, timeoutMs = 10_000): Promise<FromReceiver> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`the receiver did not answer "${message.type}" within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, (m) => {
        clearTimeout(timer);
        resolve(m);
      });
      this.child.send({ ...message, id } as ToReceiver);
    });
  }

  /** Zeroes the counters; `secret` (whsec_…) is what sampled signatures are checked with. */
  async reset(secret: string): Promise<void> {
    await this.call({ type: "reset", secret });
  }

  async stats(latencies = false): Promise<ReceiverStats> {
    const m = await this.call({ type: "stats", latencies }, 30_000);
    if (m.type !== "stats") throw new Error(`unexpected receiver answer ${m.type}`);
    return m.stats;
  }

  /** Resolves true once `count` distinct deliveries arrived, false at the deadline. */
  async awaitUnique(count: number, timeoutMs: number): Promise<boolean> {
    try {
      await this.call({ type: "await", count }, timeoutMs);
      return true;
    } catch {
      return false;
    }
  }

  /**
   * The receiver's clock minus ours, from the ping with the shortest round trip (NTP-style). Both use
   * wall-clock time, so this should be well under a millisecond; it is reported as a sanity check.
   */
  async clockOffset(samples = 20): Promise<{ offsetMs: number; rttMs: number }> {
    let best = { offsetMs: Number.NaN, rttMs: Number.POSITIVE_INFINITY };
    for (let i = 0; i < samples; i++) {
      const t0 = now();
      const m = await this.call({ type: "ping" });
      const t1 = now();
      if (m.type === "pong" && t1 - t0 < best.rttMs)
        best = { offsetMs: m.at - (t0 + t1) / 2, rttMs: t1 - t0 };
    }
    return best;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once("exit", () => resolve()));
    this.child.disconnect();
    const timer = setTimeout(() => this.child.kill("SIGKILL"), 5_000);
    await exited;
    clearTimeout(timer);
  }
}
