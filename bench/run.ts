// `npm run bench`: the raw undici ceiling and Gatehouse end to end against one receiver, then latency at a fixed rate.
import { mkdirSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadConfig } from "../src/config.js";
import { GatehouseProcess } from "./gatehouse.js";
import { IngestClient } from "./ingest.js";
import { parseOptions, USAGE, UsageError } from "./options.js";
import { BATCH, deadlineFor, measureGatehouseThroughput, measureLatency, measureRaw } from "./phases.js";
import { rawBodies } from "./raw.js";
import { ReceiverProcess } from "./receiver.js";
import { type BenchResults, formatTable, TARGET_P99_MS, TARGET_RATIO } from "./report.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const OUT_DIR = join(ROOT, ".tmp", "bench");
const INGEST_CONNECTIONS = 16;

function progress(message: string): void {
  process.stderr.write(`bench: ${message}\n`);
}

/** The main thread's profile of the process `pid`: the largest of its files (the others are loader threads). */
function profileOf(dir: string, pid: number): string | null {
  try {
    const files = readdirSync(dir)
      .filter((f) => f.endsWith(".cpuprofile") && f.includes(`.${pid}.`))
      .map((f) => ({ path: join(dir, f), size: statSync(join(dir, f)).size }))
      .sort((a, b) => b.size - a.size);
    return files[0]?.path ?? null;
  } catch {
    return null;
  }
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  if (!options) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  // The same concurrency Gatehouse's delivery uses toward one webhook (GATEHOUSE_MAX_IN_FLIGHT_PER_WEBHOOK).
  const connections = loadConfig({}).delivery.maxInFlightPerWebhook;
  // Every wait has its own deadline; this is the backstop should something hang regardless.
  const watchdog = setTimeout(
    () => {
      progress("gave up: the run took longer than its overall deadline");
      process.exit(2);
    },
    5 * 60_000 + 3 * deadlineFor(options.events) + 2 * deadlineFor(options.rate * options.durationS),
  );
  watchdog.unref();
  const problems: string[] = [];
  const machine = {
    cpus: cpus().length,
    model: cpus()[0]?.model.trim() ?? "unknown",
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    loadavg: loadavg(),
  };
  const profileDir = join(OUT_DIR, "profiles");

  progress("starting the receiver process");
  const rx = await ReceiverProcess.start();
  let gh: GatehouseProcess | undefined;
  let ingest: IngestClient | undefined;
  const killChildren = () => {
    for (const child of [rx.child, gh?.child]) if (child && child.exitCode === null) child.kill("SIGKILL");
  };
  process.once("exit", killChildren);
  try {
    const clock = await rx.clockOffset();
    progress(`raw ceiling: ${options.events} signed POSTs over ${connections} connections`);
    const raw = await measureRaw(rx, options.events, connections);

    progress("starting gatehouse serve");
    gh = await GatehouseProcess.start({
      database: options.database,
      cpuProfileDir: options.cpuProfile ? profileDir : undefined,
    });
    const { secret } = await gh.createWebhook(`${rx.url}/gatehouse`);
    ingest = new IngestClient(gh.url, gh.adminKey, INGEST_CONNECTIONS);
    progress(`gatehouse throughput: ${options.events} events in POSTs of ${BATCH}`);
    const gatehouse = await measureGatehouseThroughput(gh, rx, ingest, secret, options.events, problems);
    progress(`gatehouse latency: ${options.rate} events/s for ${options.durationS} s`);
    const latency = await measureLatency(gh, rx, ingest, secret, options, problems);

    await ingest.close();
    ingest = undefined;
    const code = await gh.stop();
    if (code !== 0) problems.push(`gatehouse serve exited with ${code} on SIGTERM`);

    const ratio = gatehouse.perSecond / raw.perSecond;
    for (const [name, t] of [
      ["raw", raw],
      ["gatehouse", gatehouse],
    ] as const) {
      if (t.delivered < t.expected) problems.push(`${name}: ${t.expected - t.delivered} deliveries missing`);
      if (t.signaturesBad > 0) problems.push(`${name}: ${t.signaturesBad} sampled signatures did not verify`);
    }
    if (latency.missing > 0) problems.push(`latency run: ${latency.missing} deliveries missing`);
    const results: BenchResults = {
      at: new Date().toISOString(),
      machine,
      options: {
        events: options.events,
        rate: options.rate,
        durationS: options.durationS,
        database: options.database ?? null,
      },
      store: options.database ? "postgres (--database)" : "SQLite (fresh temp dir)",
      connections,
      bodyBytes: Buffer.byteLength(rawBodies(1, 0)[0]?.body ?? ""),
      clock,
      raw,
      gatehouse,
      ratio,
      latency,
      targets: {
        ratio: { target: TARGET_RATIO, value: ratio, met: ratio >= TARGET_RATIO },
        p99: {
          targetMs: TARGET_P99_MS,
          valueMs: latency.receipt.p99,
          met: latency.receipt.p99 < TARGET_P99_MS,
        },
      },
      gatehouseLogs: gh.logs.slice(0, 50),
      cpuProfile: options.cpuProfile ? profileOf(profileDir, gh.pid) : null,
      problems,
    };
    mkdirSync(OUT_DIR, { recursive: true });
    writeFileSync(join(OUT_DIR, "latest.json"), `${JSON.stringify(results, null, 2)}\n`);
    process.stdout.write(
      options.json ? `${JSON.stringify(results, null, 2)}\n` : `${formatTable(results)}\n`,
    );
    progress(`results written to ${join(".tmp", "bench", "latest.json")}`);
    return problems.length > 0 ? 1 : 0;
  } finally {
    await ingest?.close();
    await gh?.stop();
    await rx.stop();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UsageError) {
      progress(`${error.message}\n\n${USAGE}`);
      process.exitCode = 2;
      return;
    }
    progress(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exitCode = 1;
  },
);
