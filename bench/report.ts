// The bench's results: their shape, the table printed for people, and the targets they are judged by.
import type { CpuPerDelivery } from "./cpu.js";
import type { Summary } from "./stats.js";

export const TARGET_RATIO = 0.6;
export const TARGET_P99_MS = 25;

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

export interface BenchResults {
  at: string;
  machine: { cpus: number; model: string; node: string; platform: string; loadavg: number[] };
  options: { events: number; rate: number; durationS: number; database: string | null };
  store: string;
  connections: number;
  bodyBytes: number;
  clock: { offsetMs: number; rttMs: number };
  raw: Throughput;
  gatehouse: GatehouseThroughput;
  ratio: number;
  latency: Latency;
  targets: {
    ratio: { target: number; value: number; met: boolean };
    p99: { targetMs: number; valueMs: number; met: boolean };
  };
  gatehouseLogs: string[];
  cpuProfile: string | null;
  problems: string[];
}

const int = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString("en-US") : "–");
const ms = (n: number) => (Number.isFinite(n) ? `${n.toFixed(1)} ms` : "–");
const us = (n: number) => (Number.isFinite(n) ? n.toFixed(0) : "–");
const verdict = (met: boolean) => (met ? "PASS" : "MISS");
const pct = (share: number) => (Number.isFinite(share) ? `${(share * 100).toFixed(0)}%` : "–");

/** Was Gatehouse short of CPU? Its event loop's run-queue wait, and how busy the whole machine was. */
function contention(c: CpuPerDelivery): string {
  return `of one core; its event loop waited for a CPU ${pct(c.gatehouseWaitShare)} of the time; machine ${pct(c.machineBusyShare)} busy`;
}

function cpuCells(c: CpuPerDelivery, gatehouse: boolean): string {
  const g = gatehouse ? us(c.gatehouseUs) : "–";
  return `${g.padStart(9)} ${us(c.benchUs).padStart(9)} ${us(c.receiverUs).padStart(9)} ${us(c.totalUs).padStart(9)} ${us(c.machineUs).padStart(9)}`;
}

function pad(label: string, width = 34): string {
  return label.padEnd(width);
}

export function formatTable(r: BenchResults): string {
  const lines: string[] = [];
  const m = r.machine;
  lines.push(
    `Gatehouse bench — ${m.cpus} CPU (${m.model}), Node ${m.node}, store ${r.store}, ` +
      `${r.connections} connections, ~${int(r.bodyBytes)} B bodies, load avg before ${m.loadavg.map((l) => l.toFixed(2)).join(" ")}`,
  );
  lines.push("");
  lines.push(
    `${pad(`throughput, ${int(r.options.events)} deliveries each`)}${"deliv/s".padStart(9)}   ` +
      `CPU µs/delivery: ${"gatehouse".padStart(9)} ${"bench".padStart(9)} ${"receiver".padStart(9)} ${"sum".padStart(9)} ${"machine".padStart(9)}`,
  );
  lines.push(
    `${pad("  raw undici → receiver")}${int(r.raw.perSecond).padStart(9)}   ${" ".repeat(17)}${cpuCells(r.raw.cpu, false)}`,
  );
  lines.push(
    `${pad("  gatehouse ingest → receiver")}${int(r.gatehouse.perSecond).padStart(9)}   ${" ".repeat(17)}${cpuCells(r.gatehouse.cpu, true)}`,
  );
  lines.push(
    `${pad("  ratio gatehouse ÷ raw")}${`${r.ratio.toFixed(2)}×`.padStart(9)}   target ≥ ${TARGET_RATIO.toFixed(2)}×  ${verdict(r.targets.ratio.met)}`,
  );
  const g = r.gatehouse;
  lines.push(
    `${pad("  gatehouse ingest alone")}${int(g.ingestPerSecond).padStart(9)}   events/s accepted (POST of 100 → 202 p50 ${ms(g.ack.p50)}, p99 ${ms(g.ack.p99)})`,
  );
  lines.push(
    `${pad("  gatehouse while saturated")}${"".padStart(9)}   ingest → receipt p50 ${ms(g.receipt.p50)}, p99 ${ms(g.receipt.p99)} (queueing)`,
  );
  lines.push(
    `${pad("  gatehouse CPU while saturated")}${pct(g.cpu.gatehouseCores).padStart(9)}   ${contention(g.cpu)}`,
  );
  lines.push("");
  const l = r.latency;
  lines.push(
    `latency at ${int(l.offeredRate)} events/s offered for ${l.durationS} s ` +
      `(${int(l.accepted)} events, ${l.eventsPerPost.toFixed(1)} per POST on average, ${l.maxEventsPerPost} at most; offered ${int(l.achievedRate)}/s)`,
  );
  lines.push(
    `${pad("  ingest → receipt")}p50 ${ms(l.receipt.p50).padStart(9)}  p90 ${ms(l.receipt.p90).padStart(9)}  ` +
      `p99 ${ms(l.receipt.p99).padStart(9)}  max ${ms(l.receipt.max).padStart(9)}   target p99 < ${TARGET_P99_MS} ms  ${verdict(r.targets.p99.met)}`,
  );
  lines.push(
    `${pad("  POST → 202")}p50 ${ms(l.ack.p50).padStart(9)}  p90 ${ms(l.ack.p90).padStart(9)}  ` +
      `p99 ${ms(l.ack.p99).padStart(9)}  max ${ms(l.ack.max).padStart(9)}`,
  );
  lines.push(
    `${pad("  CPU µs/delivery at this rate")}gatehouse ${us(l.cpu.gatehouseUs)}, bench ${us(l.cpu.benchUs)}, ` +
      `receiver ${us(l.cpu.receiverUs)}, sum ${us(l.cpu.totalUs)}, machine ${us(l.cpu.machineUs)}`,
  );
  lines.push(
    `${pad("  gatehouse CPU at this rate")}${pct(l.cpu.gatehouseCores).padStart(9)}   ${contention(l.cpu)}`,
  );
  lines.push("");
  const dupes = r.raw.duplicates + g.duplicates + l.duplicates;
  const bad = r.raw.signaturesBad + g.signaturesBad;
  const checked = r.raw.signaturesChecked + g.signaturesChecked;
  lines.push(
    `checks: delivered ${int(r.raw.delivered)}/${int(r.raw.expected)} raw, ${int(g.delivered)}/${int(g.expected)} gatehouse, ` +
      `${int(l.delivered)}/${int(l.accepted)} paced; duplicates ${dupes}; signatures ${checked - bad}/${checked} sampled ok; ` +
      `clock offset receiver−bench ${r.clock.offsetMs.toFixed(2)} ms (rtt ${r.clock.rttMs.toFixed(2)} ms)`,
  );
  if (r.gatehouseLogs.length > 0)
    lines.push(`gatehouse logged ${r.gatehouseLogs.length} warning/error line(s)`);
  if (r.cpuProfile) lines.push(`cpu profile: ${r.cpuProfile}`);
  for (const p of r.problems) lines.push(`PROBLEM: ${p}`);
  return lines.join("\n");
}
