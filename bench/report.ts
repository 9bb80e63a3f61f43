// The bench's results: their shape, the table printed for people, and the targets they are judged by.
import type { CpuPerDelivery } from "./cpu.js";
import type { DecisionRun } from "./decisions.js";
import type { PostgresActivity, PostgresServerInfo } from "./postgres.js";
import type { Summary } from "./stats.js";

export const TARGET_RATIO = 0.6;
export const TARGET_P99_MS = 25;
/** PostgreSQL's deliveries/s as a share of SQLite's, measured in the same run. */
export const TARGET_POSTGRES_RATIO = 0.6;

export interface Throughput {
  expected: number;
  /** Distinct deliveries the receiver got. */
  delivered: number;
  duplicates: number;
  failedRequests: number;
  /** First request sent → last delivery received. */
  seconds: number;
  perSecond: number;
  signaturesChecked: number;
  signaturesBad: number;
  cpu: CpuPerDelivery;
}

export interface GatehouseThroughput extends Throughput {
  /** First POST sent → last 202. */
  ingestSeconds: number;
  ingestPerSecond: number;
  ack: Summary;
  /** Ingest-to-receipt at saturation: mostly queueing, shown for context. */
  receipt: Summary;
}

export interface Latency {
  offeredRate: number;
  durationS: number;
  /** Events posted and accepted, and events whose POST failed. */
  accepted: number;
  failed: number;
  /** Events offered ÷ (first POST → last POST): what the timer actually offered. */
  achievedRate: number;
  eventsPerPost: number;
  maxEventsPerPost: number;
  delivered: number;
  missing: number;
  duplicates: number;
  receipt: Summary;
  ack: Summary;
  cpu: CpuPerDelivery;
}

export interface Targets {
  ratio: { target: number; value: number; met: boolean };
  p99: { targetMs: number; valueMs: number; met: boolean };
}

/** The Gatehouse phases on one store. */
export interface StoreRun {
  store: string;
  gatehouse: GatehouseThroughput;
  /** Gatehouse ÷ the ceiling (the mean of the two raw runs). */
  ratio: number;
  latency: Latency;
  targets: Targets;
  gatehouseLogs: string[];
  cpuProfile: string | null;
}

export interface PostgresRun extends StoreRun {
  server: PostgresServerInfo;
  /** Null when it could not be read. */
  activity: PostgresActivity | null;
}

export interface StoreComparison {
  deliveriesPerSecond: { sqlite: number; postgres: number; ratio: number; target: number; met: boolean };
  /** The latency run's ingest → receipt p99 on each. */
  p99Ms: { sqlite: number; postgres: number };
}

/**
 * The SQLite run's fields sit at the top level, where they were before there was a PostgreSQL run to compare
 * it with; `postgres` and `postgresVsSqlite` are null without --database.
 */
export interface BenchResults extends StoreRun {
  at: string;
  machine: { cpus: number; model: string; node: string; platform: string; loadavg: number[] };
  options: { events: number; rate: number; durationS: number; database: string | null };
  connections: number;
  bodyBytes: number;
  clock: { offsetMs: number; rttMs: number };
  /** The raw ceiling measured before the Gatehouse runs, and again after them. */
  raw: Throughput;
  rawAgain: Throughput;
  /** The mean of the two raw runs' deliveries/s: what every ratio is against. */
  ceiling: number;
  postgres: PostgresRun | null;
  postgresVsSqlite: StoreComparison | null;
  /**
   * With --floor: the reference pipeline (bench/floor.ts) through the same phases against the same ceiling,
   * the least a Node process can do for the same durable work; its `targets` are Gatehouse's, for comparison.
   */
  floor: StoreRun | null;
  problems: string[];
  /** Access decisions per second and their latency with a large store (bench/decisions.ts). */
  decisions: DecisionRun;
}

const int = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString("en-US") : "–");
const ms = (n: number) => (Number.isFinite(n) ? `${n.toFixed(1)} ms` : "–");
const us = (n: number) => (Number.isFinite(n) ? n.toFixed(0) : "–");
const verdict = (met: boolean) => (met ? "PASS" : "MISS");
const pct = (share: number) => (Number.isFinite(share) ? `${(share * 100).toFixed(0)}%` : "–");
const times = (n: number) => (Number.isFinite(n) ? `${n.toFixed(2)}×` : "–");

/** Was Gatehouse short of CPU? Its event loop's run-queue wait, and how busy the whole machine was. */
function contention(c: CpuPerDelivery): string {
  const store = Number.isFinite(c.storeCores) ? `; postgres ${pct(c.storeCores)} of one core` : "";
  return `of one core; its event loop waited for a CPU ${pct(c.gatehouseWaitShare)} of the time${store}; machine ${pct(c.machineBusyShare)} busy`;
}

/** The CPU columns; `postgres` only when a PostgreSQL run is in the table. */
function cpuCells(c: CpuPerDelivery, gatehouse: boolean, postgres: boolean): string {
  const cells = [gatehouse ? us(c.gatehouseUs) : "–"];
  if (postgres) cells.push(us(c.storeUs));
  cells.push(us(c.benchUs), us(c.receiverUs), us(c.totalUs), us(c.machineUs));
  return cells.map((cell) => cell.padStart(9)).join(" ");
}

function pad(label: string, width = 34): string {
  return label.padEnd(width);
}

/** `name` is "gatehouse", or "reference" for the reference pipeline, which has no target of its own. */
function throughputLines(
  r: StoreRun,
  postgres: boolean,
  machine: { cpus: number; ceiling: number },
  name = "gatehouse",
): string[] {
  const g = r.gatehouse;
  // The machine's CPU per delivery bounds deliveries/s however the work is spread over threads and processes.
  const bound = (machine.cpus * 1e6) / g.cpu.machineUs;
  const judged =
    name === "gatehouse"
      ? `target ≥ ${TARGET_RATIO.toFixed(2)}×  ${verdict(r.targets.ratio.met)}`
      : "what this machine allows for the same durable work (no target)";
  return [
    `${pad(`  ${name} ingest → receiver`)}${int(g.perSecond).padStart(9)}   ${" ".repeat(17)}${cpuCells(g.cpu, true, postgres)}`,
    `${pad(`  ratio ${name} ÷ raw ceiling`)}${times(r.ratio).padStart(9)}   ${judged}`,
    `${pad(`  ${name} ingest alone`)}${int(g.ingestPerSecond).padStart(9)}   events/s accepted (POST of 100 → 202 p50 ${ms(g.ack.p50)}, p99 ${ms(g.ack.p99)})`,
    `${pad(`  ${name} while saturated`)}${"".padStart(9)}   ingest → receipt p50 ${ms(g.receipt.p50)}, p99 ${ms(g.receipt.p99)} (queueing)`,
    `${pad(`  ${name} CPU while saturated`)}${pct(g.cpu.gatehouseCores).padStart(9)}   ${contention(g.cpu)}`,
    `${pad(`  ${name} bound by CPU`)}${int(bound).padStart(9)}   ${times(bound / machine.ceiling)} of the ceiling, ` +
      `were all ${machine.cpus} CPUs busy at ${us(g.cpu.machineUs)} µs of machine CPU per delivery`,
  ];
}

/** Gatehouse beside the reference pipeline: throughput and CPU per delivery, saturated and at the fixed rate. */
function referenceLines(r: StoreRun, f: StoreRun): string[] {
  const cpu = (run: StoreRun, at: "gatehouse" | "latency") => run[at].cpu.gatehouseUs;
  return [
    `${pad("  gatehouse ÷ reference")}${times(r.gatehouse.perSecond / f.gatehouse.perSecond).padStart(9)}   ` +
      `deliveries/s ${int(r.gatehouse.perSecond)} ÷ ${int(f.gatehouse.perSecond)}`,
    `${pad("  CPU µs/delivery, gatehouse ÷ ref.")}${times(cpu(r, "gatehouse") / cpu(f, "gatehouse")).padStart(9)}   ` +
      `saturated ${us(cpu(r, "gatehouse"))} ÷ ${us(cpu(f, "gatehouse"))}; at ${int(r.latency.offeredRate)} events/s ` +
      `${us(cpu(r, "latency"))} ÷ ${us(cpu(f, "latency"))} (${times(cpu(r, "latency") / cpu(f, "latency"))})`,
    `${pad("  reference latency")}${"".padStart(9)}   ingest → receipt p50 ${ms(f.latency.receipt.p50)}, ` +
      `p99 ${ms(f.latency.receipt.p99)} at ${int(f.latency.offeredRate)} events/s (gatehouse p99 ${ms(r.latency.receipt.p99)})`,
  ];
}

function latencyLines(r: StoreRun): string[] {
  const l = r.latency;
  const store = Number.isFinite(l.cpu.storeUs) ? `, postgres ${us(l.cpu.storeUs)}` : "";
  return [
    `${pad("  ingest → receipt")}p50 ${ms(l.receipt.p50).padStart(9)}  p90 ${ms(l.receipt.p90).padStart(9)}  ` +
      `p99 ${ms(l.receipt.p99).padStart(9)}  max ${ms(l.receipt.max).padStart(9)}   target p99 < ${TARGET_P99_MS} ms  ${verdict(r.targets.p99.met)}`,
    `${pad("  POST → 202")}p50 ${ms(l.ack.p50).padStart(9)}  p90 ${ms(l.ack.p90).padStart(9)}  ` +
      `p99 ${ms(l.ack.p99).padStart(9)}  max ${ms(l.ack.max).padStart(9)}`,
    `${pad("  CPU µs/delivery at this rate")}gatehouse ${us(l.cpu.gatehouseUs)}${store}, bench ${us(l.cpu.benchUs)}, ` +
      `receiver ${us(l.cpu.receiverUs)}, sum ${us(l.cpu.totalUs)}, machine ${us(l.cpu.machineUs)}`,
    `${pad("  gatehouse CPU at this rate")}${pct(l.cpu.gatehouseCores).padStart(9)}   ${contention(l.cpu)}`,
  ];
}

function offered(l: Latency): string {
  return (
    `${int(l.accepted)} events, ${l.eventsPerPost.toFixed(1)} per POST on average, ${l.maxEventsPerPost} at most; ` +
    `offered ${int(l.achievedRate)}/s`
  );
}

/** What the PostgreSQL server did per delivery over the whole run, from its own counters. */
function activityLines(a: PostgresActivity): string[] {
  const per = (n: number) => n / a.deliveries;
  const f = (n: number, digits: number) => (Number.isFinite(n) ? n.toFixed(digits) : "–");
  return [
    `${pad("  PostgreSQL's counters")}${"".padStart(9)}   whole run, ${int(a.deliveries)} deliveries with the warm-up: ` +
      `${int(a.commits)} transactions committed (${f(a.deliveries / a.commits, 0)} deliveries each)`,
    `${pad("    per delivery")}${"".padStart(9)}   ${f(per(a.rowsWritten), 1)} rows written, ${f(per(a.rowsRead), 1)} read; ` +
      `backends executing ${us(per(a.activeMs * 1000))} µs, idle in a transaction ${us(per(a.idleInTransactionMs * 1000))} µs; ` +
      `WAL ${int(per(a.walBytes))} B`,
  ];
}

export function formatTable(r: BenchResults): string {
  const lines: string[] = [];
  const m = r.machine;
  const pg = r.postgres;
  const stores = pg ? "" : `store ${r.store}, `;
  lines.push(
    `Gatehouse bench — ${m.cpus} CPU (${m.model}), Node ${m.node}, ${stores}` +
      `${r.connections} connections, ~${int(r.bodyBytes)} B bodies, load avg before ${m.loadavg.map((l) => l.toFixed(2)).join(" ")}`,
  );
  if (pg) lines.push(`stores, one after the other: ${r.store}, then ${pg.store}`);
  lines.push("");
  const storeHeader = pg ? ` ${"postgres".padStart(9)}` : "";
  lines.push(
    `${pad(`throughput, ${int(r.options.events)} deliveries each`)}${"deliv/s".padStart(9)}   ` +
      `CPU µs/delivery: ${"gatehouse".padStart(9)}${storeHeader} ${"bench".padStart(9)} ${"receiver".padStart(9)} ${"sum".padStart(9)} ${"machine".padStart(9)}`,
  );
  lines.push(
    `${pad("  raw undici → receiver, before")}${int(r.raw.perSecond).padStart(9)}   ${" ".repeat(17)}${cpuCells(r.raw.cpu, false, pg !== null)}`,
    `${pad("  raw undici → receiver, after")}${int(r.rawAgain.perSecond).padStart(9)}   ${" ".repeat(17)}${cpuCells(r.rawAgain.cpu, false, pg !== null)}`,
    `${pad("  raw ceiling (mean of the two)")}${int(r.ceiling).padStart(9)}   ` +
      `machine ${pct(r.raw.cpu.machineBusyShare)} and ${pct(r.rawAgain.cpu.machineBusyShare)} busy`,
  );
  const box = { cpus: m.cpus, ceiling: r.ceiling };
  if (pg) {
    lines.push("SQLite");
    lines.push(...throughputLines(r, true, box));
    lines.push("PostgreSQL");
    lines.push(...throughputLines(pg, true, box));
  } else {
    lines.push(...throughputLines(r, false, box));
  }
  if (r.floor) {
    lines.push("reference pipeline, bench/floor.ts on SQLite (the same durable work, nothing else)");
    lines.push(...throughputLines(r.floor, pg !== null, box, "reference"));
    lines.push(...referenceLines(r, r.floor));
  }
  lines.push("");
  const l = r.latency;
  if (pg) {
    lines.push(`latency at ${int(l.offeredRate)} events/s offered for ${l.durationS} s`);
    lines.push(`SQLite (${offered(l)})`);
    lines.push(...latencyLines(r));
    lines.push(`PostgreSQL (${offered(pg.latency)})`);
    lines.push(...latencyLines(pg));
  } else {
    lines.push(`latency at ${int(l.offeredRate)} events/s offered for ${l.durationS} s (${offered(l)})`);
    lines.push(...latencyLines(r));
  }
  const c = r.postgresVsSqlite;
  if (pg && c) {
    lines.push("");
    lines.push("PostgreSQL ÷ SQLite");
    const d = c.deliveriesPerSecond;
    lines.push(
      `${pad("  ratio PostgreSQL ÷ SQLite")}${times(d.ratio).padStart(9)}   deliveries/s ${int(d.postgres)} ÷ ${int(d.sqlite)}   ` +
        `target ≥ ${d.target.toFixed(2)}×  ${verdict(d.met)}`,
    );
    lines.push(
      `${pad("  latency p99, side by side")}${"".padStart(9)}   SQLite ${ms(c.p99Ms.sqlite)}, PostgreSQL ${ms(c.p99Ms.postgres)} ` +
        `(ingest → receipt at ${int(l.offeredRate)} events/s)`,
    );
    if (pg.activity) lines.push(...activityLines(pg.activity));
  }
  lines.push("");
  const runs = [r, pg, r.floor].filter((s): s is StoreRun => s !== null);
  const dupes =
    r.raw.duplicates +
    r.rawAgain.duplicates +
    runs.reduce((n, s) => n + s.gatehouse.duplicates + s.latency.duplicates, 0);
  const bad =
    r.raw.signaturesBad + r.rawAgain.signaturesBad + runs.reduce((n, s) => n + s.gatehouse.signaturesBad, 0);
  const checked =
    r.raw.signaturesChecked +
    r.rawAgain.signaturesChecked +
    runs.reduce((n, s) => n + s.gatehouse.signaturesChecked, 0);
  const delivered = (s: StoreRun, label: string) =>
    `${int(s.gatehouse.delivered)}/${int(s.gatehouse.expected)} ${label}gatehouse, ` +
    `${int(s.latency.delivered)}/${int(s.latency.accepted)} ${label}paced`;
  lines.push(
    `checks: delivered ${int(r.raw.delivered + r.rawAgain.delivered)}/${int(r.raw.expected + r.rawAgain.expected)} raw, ${delivered(r, pg ? "SQLite " : "")}` +
      `${pg ? `, ${delivered(pg, "PostgreSQL ")}` : ""}${r.floor ? `, ${delivered(r.floor, "reference ")}` : ""}; duplicates ${dupes}; signatures ${checked - bad}/${checked} sampled ok; ` +
      `clock offset receiver−bench ${r.clock.offsetMs.toFixed(2)} ms (rtt ${r.clock.rttMs.toFixed(2)} ms)`,
  );
  for (const [s, label] of [
    [r, pg ? " on SQLite" : ""],
    [pg, " on PostgreSQL"],
    [r.floor, " in the reference pipeline"],
  ] as const) {
    if (!s) continue;
    if (s.gatehouseLogs.length > 0)
      lines.push(`gatehouse logged ${s.gatehouseLogs.length} warning/error line(s)${label}`);
    if (s.cpuProfile) lines.push(`cpu profile${label}: ${s.cpuProfile}`);
  }
  for (const p of r.problems) lines.push(`PROBLEM: ${p}`);
  return lines.join("\n");
}
