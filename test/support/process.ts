// Runs `gatehouse serve` as a real child process, for crash and restart tests, and other scripts that need a
// process of their own.
import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { ADMIN_KEY } from "./server.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  /** Every log line the process printed. */
  logs: string[];
  exited: Promise<number | null>;
}

export async function spawnServer(
  args: string[],
  env: Record<string, string> = {},
  { timeoutMs = 20_000 } = {},
): Promise<ServerProcess> {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "src/cli/main.ts", "serve", "--port", "0", ...args],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        GATEHOUSE_ADMIN_KEY: ADMIN_KEY,
        GATEHOUSE_ALLOW_PRIVATE_TARGETS: "1",
        GATEHOUSE_LOG_LEVEL: "info",
        ...env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  const logs: string[] = [];
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${logs.join("\n")}`)), timeoutMs);
    let buffered = "";
    const onData = (chunk: Buffer) => {
      buffered += chunk.toString("utf8");
      const lines = buffered.split("\n");
      buffered = lines.pop() ?? "";
      for (const line of lines) {
        logs.push(line);
        if (line.includes('"gatehouse ready"')) {
          const { port, host } = JSON.parse(line) as { port: number; host: string };
          clearTimeout(timer);
          resolve(`http://${host}:${port}`);
        }
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", (c: Buffer) => logs.push(c.toString("utf8")));
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before it was ready:\n${logs.join("\n")}`));
    });
  });
  return { url, child, logs, exited };
}

/** Kills every child still running and waits until all have exited. */
export async function killAll(children: readonly ServerProcess[]): Promise<void> {
  for (const p of children) {
    if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill("SIGKILL");
  }
  await Promise.all(children.map((p) => p.exited));
}

/**
 * Runs an ES module script in a child `node --import tsx` from the repository root, so it imports the sources
 * as `./src/…`. Answers its exit code and stdout; a child still alive after `timeoutMs` is killed and fails.
 */
export function runModuleScript(
  script: string,
  timeoutMs = 15_000,
): Promise<{ code: number | null; out: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  child.stdout.on("data", (c: Buffer) => {
    out += c.toString("utf8");
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`the child process was still alive after ${timeoutMs} ms`));
    }, timeoutMs);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}
