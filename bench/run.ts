// `npm run bench`: the raw undici ceiling and Gatehouse end to end against one receiver, then latency at a fixed
// rate; with --database, the Gatehouse phases once on SQLite and once on PostgreSQL, compared.
import { mkdirSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadConfig } from "../src/config.js";
import { type DecisionRun, formatDecisions, measureDecisions } from "./decisions.js";
import { GatehouseProcess } from "./gatehouse.js";
import { IngestClient } from "./ingest.js";
import { type BenchOptions, parseOptions, USAGE, UsageError } from "./options.js";
import {
  BATCH,
  deadlineFor,
  measureGatehouseThroughput,
  measureLatency,
  measureRaw,
  type StoreCpu,
  WARMUP,
} from "./phases.js";
import { BenchPostgres, type PostgresActivity, PostgresSetupError, redactUrl } from "./postgres.js";
import { rawBodies } from "./raw.js";
import { ReceiverProcess } from "./receiver.js";
import {
  type BenchResults,
  formatTable,
  type PostgresRun,
  type StoreRun,
  TARGET_P99_MS,
  TARGET_POSTGRES_RATIO,
  TARGET_RATIO,
  type Throughput,
} from "./report.js";

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

/** One store's Gatehouse run: what to start `gatehouse serve` with, and how to read a database server's side. */
interface StoreSetup {
  label: "SQLite" | "PostgreSQL" | "Reference";
  store: string;
  database?: string;
  storeCpu?: StoreCpu;
  /** The reference pipeline (bench/floor.ts) instead of `gatehouse serve`. */
  floor?: boolean;
}

/** What is running now, for the cleanup on the way out, however the run ends. */
interface Running {
  gh?: GatehouseProcess;
  ingest?: IngestClient;
}

/** The Gatehouse phases on one store, on a `gatehouse serve` of its own; problems are labelled with the store. */
async function runStore(
  setup: StoreSetup,
  ctx: { rx: ReceiverProcess; options: BenchOptions; profileDir: string; running: Running },
  problems: string[],
): Promise<Measured> {
  const { rx, options, running } = ctx;
  const found: string[] = [];
  progress(`${setup.label}: starting ${setup.floor ? "bench/floor.ts" : "gatehouse serve"}`);
  const gh = await GatehouseProcess.start({
    database: setup.database,
    cpuProfileDir: options.cpuProfile ? ctx.profileDir : undefined,
    floor: setup.floor,
  });
  running.gh = gh;
  const { secret } = await gh.createWebhook(`${rx.url}/gatehouse`);
  const ingest = new IngestClient(gh.url, gh.adminKey, INGEST_CONNECTIONS);
  running.ingest = ingest;
  progress(`${setup.label}: throughput, ${options.events} events in POSTs of ${BATCH}`);
  const gatehouse = await measureGatehouseThroughput(
    gh,
    rx,
    ingest,
    secret,
    options.events,
    found,
    setup.storeCpu,
  );
  progress(`${setup.label}: latency, ${options.rate} events/s for ${options.durationS} s`);
  const latency = await measureLatency(gh, rx, ingest, secret, options, found, setup.storeCpu);

  await ingest.close();
  running.ingest = undefined;
  const code = await gh.stop();
  running.gh = undefined;
  if (code !== 0) found.push(`gatehouse serve exited with ${code} on SIGTERM`);
  if (gatehouse.delivered < gatehouse.expected)
    found.push(`gatehouse: ${gatehouse.expected - gatehouse.delivered} deliveries missing`);
  if (gatehouse.signaturesBad > 0)
    found.push(`gatehouse: ${gatehouse.signaturesBad} sampled signatures did not verify`);
  if (latency.missing > 0) found.push(`latency run: ${latency.missing} deliveries missing`);
  for (const p of found) problems.push(setup.label === "SQLite" ? p : `${setup.label}: ${p}`);

  return {
    store: setup.store,
    gatehouse,
    latency,
    gatehouseLogs: gh.logs.slice(0, 50),
    cpuProfile: options.cpuProfile ? profileOf(ctx.profileDir, gh.pid) : null,
  };
}

/** A store's run before it is judged: everything but the ratio, which waits for the second raw run. */
type Measured = Omit<StoreRun, "ratio" | "targets">;

/** Judges a store's run against the targets; the ratio is against `ceiling`, the raw runs' mean. */
function judge<T extends Measured>(run: T, ceiling: number): T & Pick<StoreRun, "ratio" | "targets"> {
  const ratio = run.gatehouse.perSecond / ceiling;
  const p99 = run.latency.receipt.p99;
  return {
    ...run,
    ratio,
    targets: {
      ratio: { target: TARGET_RATIO, value: ratio, met: ratio >= TARGET_RATIO },
      p99: { targetMs: TARGET_P99_MS, valueMs: p99, met: p99 < TARGET_P99_MS },
    },
  };
}

function checkRaw(label: string, raw: Throughput, problems: string[]): void {
  if (raw.delivered < raw.expected)
    problems.push(`${label}: ${raw.expected - raw.delivered} deliveries missing`);
  if (raw.signaturesBad > 0)
    problems.push(`${label}: ${raw.signaturesBad} sampled signatures did not verify`);
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  if (!options) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const config = loadConfig({});
  // The same concurrency Gatehouse's delivery uses toward one webhook (GATEHOUSE_MAX_IN_FLIGHT_PER_WEBHOOK).
  const connections = config.delivery.maxInFlightPerWebhook;
  const running: Running = {};
  let pg: BenchPostgres | undefined;
  let rx: ReceiverProcess | undefined;
  let cleaning: Promise<void> | undefined;
  // However the run ends: nothing left running, and the scratch database dropped.
  const cleanup = () => {
    cleaning ??= (async () => {
      await running.ingest?.close().catch(() => {});
      await running.gh?.stop().catch(() => {});
      await rx?.stop().catch(() => {});
      if (pg) {
        const name = pg.info.database;
        await pg.close().then(
          () => progress(`dropped the scratch database ${name}`),
          (error: unknown) =>
            progress(`could not drop ${name}: ${error instanceof Error ? error.message : String(error)}`),
        );
      }
    })();
    return cleaning;
  };
  const bail = (code: number, message: string) => {
    progress(message);
    const hard = setTimeout(() => process.exit(code), 20_000);
    hard.unref();
    void cleanup().finally(() => process.exit(code));
  };
  // Every wait has its own deadline; this is the backstop should something hang regardless.
  const stores = (options.database ? 2 : 1) + (options.floor ? 1 : 0);
  const watchdog = setTimeout(
    () => bail(2, "gave up: the run took longer than its overall deadline"),
    7 * 60_000 +
      (2 + 2 * stores) * deadlineFor(options.events) +
      2 * stores * deadlineFor(options.rate * options.durationS),
  );
  watchdog.unref();
  process.once("SIGINT", () => bail(130, "interrupted: stopping and cleaning up"));
  process.once("SIGTERM", () => bail(143, "terminated: stopping and cleaning up"));
  const problems: string[] = [];
  const machine = {
    cpus: cpus().length,
    model: cpus()[0]?.model.trim() ?? "unknown",
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    loadavg: loadavg(),
  };
  const profileDir = join(OUT_DIR, "profiles");

  const killChildren = () => {
    for (const child of [rx?.child, running.gh?.child])
      if (child && child.exitCode === null) child.kill("SIGKILL");
  };
  process.once("exit", killChildren);
  try {
    if (options.database) {
      // First, so that a wrong URL fails before anything is measured.
      progress(options.database === "auto" ? "finding or starting PostgreSQL" : "connecting to PostgreSQL");
      pg = await BenchPostgres.open(options.database, progress);
      progress(`created the scratch database ${pg.info.database}`);
    }
    progress("starting the receiver process");
    rx = await ReceiverProcess.start();
    const clock = await rx.clockOffset();
    progress(`raw ceiling: ${options.events} signed POSTs over ${connections} connections`);
    const raw = await measureRaw(rx, options.events, connections);
    checkRaw("raw", raw, problems);
    const ctx = { rx, options, profileDir, running };

    const measuredSqlite = await runStore(
      { label: "SQLite", store: "SQLite (fresh temp dir)" },
      ctx,
      problems,
    );
    let measuredPostgres: (Measured & Pick<PostgresRun, "server" | "activity">) | null = null;
    if (pg) {
      const server = pg;
      const walStart = await server.walLsn();
      const run = await runStore(
        {
          label: "PostgreSQL",
          store: server.describe(config.poolSize),
          database: server.url,
          storeCpu: () => server.serverCpu(),
        },
        ctx,
        problems,
      );
      const deliveries = WARMUP + run.gatehouse.delivered + run.latency.delivered;
      let activity: PostgresActivity | null = null;
      try {
        activity = await server.activitySince(walStart, deliveries);
      } catch (error) {
        progress(
          `could not read PostgreSQL's counters: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
      measuredPostgres = { ...run, server: { ...server.info }, activity };
    }

    const measuredFloor = options.floor
      ? await runStore(
          { label: "Reference", store: "reference pipeline (bench/floor.ts), SQLite", floor: true },
          ctx,
          problems,
        )
      : null;

    // The ceiling drifts on a shared machine (runs minutes apart have differed by a quarter): measured again
    // after the Gatehouse runs, the ratio is against the mean of the two, so a lucky or unlucky moment for
    // either side moves it less.
    progress(`raw ceiling again: ${options.events} signed POSTs over ${connections} connections`);
    const rawAgain = await measureRaw(rx, options.events, connections);
    checkRaw("raw (again)", rawAgain, problems);
    const ceiling = (raw.perSecond + rawAgain.perSecond) / 2;
    const sqlite = judge(measuredSqlite, ceiling);
    const postgres: PostgresRun | null = measuredPostgres ? judge(measuredPostgres, ceiling) : null;
    const floor: StoreRun | null = measuredFloor ? judge(measuredFloor, ceiling) : null;

    progress("access decisions: the decision itself, at scale, on SQLite");
    const decisions: DecisionRun = await measureDecisions({
      users: options.decisionUsers,
      samples: options.decisionSamples,
      progress,
    });

    const pgRatio = postgres ? postgres.gatehouse.perSecond / sqlite.gatehouse.perSecond : Number.NaN;
    const results: BenchResults = {
      at: new Date().toISOString(),
      machine,
      options: {
        events: options.events,
        rate: options.rate,
        durationS: options.durationS,
        database: options.database ? redactUrl(options.database) : null,
      },
      connections,
      bodyBytes: Buffer.byteLength(rawBodies(1, 0)[0]?.body ?? ""),
      clock,
      raw,
      rawAgain,
      ceiling,
      ...sqlite,
      postgres,
      postgresVsSqlite: postgres
        ? {
            deliveriesPerSecond: {
              sqlite: sqlite.gatehouse.perSecond,
              postgres: postgres.gatehouse.perSecond,
              ratio: pgRatio,
              target: TARGET_POSTGRES_RATIO,
              met: pgRatio >= TARGET_POSTGRES_RATIO,
            },
            p99Ms: { sqlite: sqlite.latency.receipt.p99, postgres: postgres.latency.receipt.p99 },
          }
        : null,
      floor,
      problems,
      decisions,
    };
    mkdirSync(OUT_DIR, { recursive: true });
    writeFileSync(join(OUT_DIR, "latest.json"), `${JSON.stringify(results, null, 2)}\n`);
    process.stdout.write(
      options.json
        ? `${JSON.stringify(results, null, 2)}\n`
        : `${formatTable(results)}\n\n${formatDecisions(decisions).join("\n")}\n`,
    );
    progress(`results written to ${join(".tmp", "bench", "latest.json")}`);
    return problems.length > 0 ? 1 : 0;
  } finally {
    await cleanup();
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
    if (error instanceof PostgresSetupError) progress(error.message);
    else progress(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exitCode = 1;
  },
);
