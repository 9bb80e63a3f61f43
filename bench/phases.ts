// The three measured phases: the raw ceiling, Gatehouse's throughput, and Gatehouse's latency at a fixed rate.
import { randomBytes } from "node:crypto";
import { now } from "./clock.js";
import { cpuPerDelivery, readCpu } from "./cpu.js";
import type { GatehouseProcess } from "./gatehouse.js";
import type { IngestClient } from "./ingest.js";
import type { BenchOptions } from "./options.js";
import { RawSender, rawBodies } from "./raw.js";
import type { ReceiverProcess } from "./receiver.js";
import type { GatehouseThroughput, Latency, Throughput } from "./report.js";
import { summarize } from "./stats.js";

/** Requests (raw) or events (Gatehouse) sent before each throughput run, outside its figures. */
export const WARMUP = 2_000;
/** Events per POST in the throughput run. */
export const BATCH = 100;
const INGEST_CONCURRENCY = 4;
const PACE_TICK_MS = 5;

/** CPU ms by pid of a separate database server's processes, or null: read at each end of a phase. */
export type StoreCpu = () => Promise<Map<number, number> | null>;
const noStore: StoreCpu = async () => null;

/** How long to wait for the receiver to see `count` deliveries before calling them missing. */
export function deadlineFor(count: number): number {
  return 30_000 + count * 2;
}

export async function measureRaw(
  rx: ReceiverProcess,
  events: number,
  connections: number,
): Promise<Throughput> {
  const secret = `whsec_${randomBytes(24).toString("base64")}`;
  const sender = new RawSender(`${rx.url}/raw`, secret, connections);
  try {
    await rx.reset(secret);
    await sender.send(rawBodies(WARMUP, 0));
    await rx.awaitUnique(WARMUP, deadlineFor(WARMUP));
    const bodies = rawBodies(events, WARMUP);
    await rx.reset(secret);
    const before = readCpu({ receiver: rx.pid });
    const startedAt = now();
    const failed = await sender.send(bodies);
    await rx.awaitUnique(events, deadlineFor(events));
    const s = await rx.stats();
    const after = readCpu({ receiver: rx.pid });
    const seconds = ((s.lastAt ?? now()) - startedAt) / 1000;
    return {
      expected: events,
      delivered: s.unique,
      duplicates: s.duplicates,
      failedRequests: failed,
      seconds,
      perSecond: s.unique / seconds,
      signaturesChecked: s.signaturesChecked,
      signaturesBad: s.signaturesBad,
      cpu: cpuPerDelivery(before, after, s.unique, now() - startedAt),
    };
  } finally {
    await sender.close();
  }
}

export async function measureGatehouseThroughput(
  gh: GatehouseProcess,
  rx: ReceiverProcess,
  ingest: IngestClient,
  secret: string,
  events: number,
  problems: string[],
  storeCpu: StoreCpu = noStore,
): Promise<GatehouseThroughput> {
  const pids = { receiver: rx.pid, gatehouse: gh.pid };
  await rx.reset(secret);
  const warm = await ingest.flood(WARMUP, BATCH, INGEST_CONCURRENCY);
  if (warm.failed > 0) throw new Error(`warm-up ingest failed: ${warm.firstError}`);
  await rx.awaitUnique(WARMUP, deadlineFor(WARMUP));
  await gh.waitDrained();

  await rx.reset(secret);
  const before = readCpu(pids, await storeCpu());
  const posted = await ingest.flood(events, BATCH, INGEST_CONCURRENCY);
  if (posted.failed > 0)
    problems.push(`throughput ingest: ${posted.failed} events failed: ${posted.firstError}`);
  if (!(await rx.awaitUnique(posted.events, deadlineFor(posted.events)))) {
    problems.push("throughput run: not every accepted event was delivered before the deadline");
  }
  const s = await rx.stats(true);
  if (!(await gh.waitDrained()))
    problems.push("throughput run: attempts still pending in the store afterwards");
  const after = readCpu(pids, await storeCpu());
  const seconds = ((s.lastAt ?? now()) - posted.startedAt) / 1000;
  const ingestSeconds = (posted.endedAt - posted.startedAt) / 1000;
  return {
    expected: events,
    delivered: s.unique,
    duplicates: s.duplicates,
    failedRequests: posted.failed,
    seconds,
    perSecond: s.unique / seconds,
    signaturesChecked: s.signaturesChecked,
    signaturesBad: s.signaturesBad,
    cpu: cpuPerDelivery(before, after, s.unique, now() - posted.startedAt),
    ingestSeconds,
    ingestPerSecond: posted.events / ingestSeconds,
    ack: summarize(posted.ackMs),
    receipt: summarize(s.latenciesMs ?? []),
  };
}

export async function measureLatency(
  gh: GatehouseProcess,
  rx: ReceiverProcess,
  ingest: IngestClient,
  secret: string,
  options: Pick<BenchOptions, "rate" | "durationS">,
  problems: string[],
  storeCpu: StoreCpu = noStore,
): Promise<Latency> {
  const pids = { receiver: rx.pid, gatehouse: gh.pid };
  await rx.reset(secret);
  const before = readCpu(pids, await storeCpu());
  const posted = await ingest.paced(options.rate, options.durationS * 1000, PACE_TICK_MS);
  if (posted.failed > 0) problems.push(`paced ingest: ${posted.failed} events failed: ${posted.firstError}`);
  if (!(await rx.awaitUnique(posted.events, deadlineFor(posted.events)))) {
    problems.push("latency run: not every accepted event was delivered before the deadline");
  }
  const s = await rx.stats(true);
  if (!(await gh.waitDrained())) problems.push("latency run: attempts still pending in the store afterwards");
  const after = readCpu(pids, await storeCpu());
  const offered = posted.events + posted.failed;
  return {
    offeredRate: options.rate,
    durationS: options.durationS,
    accepted: posted.events,
    failed: posted.failed,
    // The window is the start of the run → the last send: what the timer actually kept up.
    achievedRate: offered / ((posted.lastSentAt - posted.startedAt) / 1000),
    eventsPerPost: offered / Math.max(1, posted.requests),
    maxEventsPerPost: posted.maxPerPost,
    delivered: s.unique,
    missing: Math.max(0, posted.events - s.unique),
    duplicates: s.duplicates,
    receipt: summarize(s.latenciesMs ?? []),
    ack: summarize(posted.ackMs),
    cpu: cpuPerDelivery(before, after, Math.max(1, s.unique), now() - posted.startedAt),
  };
}
