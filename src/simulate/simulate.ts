// `simulate(options)`: seed a building through the public API, play a planned day against it, and read
// back what the server recorded. The CLI (`gatehouse simulate`) is a thin wrapper around it.
import { randomBytes } from "node:crypto";
import { layoutOf, seedBuilding } from "./building.js";
import { ApiClient } from "./client.js";
import { planDay } from "./day.js";
import { noProgress, type ProgressOutput, progressTo } from "./progress.js";
import { runDay } from "./run.js";
import { countEvents, type Summary } from "./summary.js";

export interface SimulateOptions {
  url: string;
  key: string;
  site: string;
  timeZone?: string;
  people: number;
  doors: number;
  speed: number;
  /** Real time the run may take (the day is compressed to fit). */
  durationMs: number;
  /** The day's randomness; by default a fresh one per run. */
  seed?: number;
  /** Progress goes here (stderr in the CLI); none when left out. */
  progress?: ProgressOutput;
  /** Concurrent API requests. */
  concurrency?: number;
}

export async function simulate(options: SimulateOptions): Promise<Summary> {
  const started = performance.now();
  const runId = randomBytes(4).toString("hex").toUpperCase();
  const seed = options.seed ?? randomBytes(4).readUInt32BE(0);
  const plan = planDay({
    seed,
    people: options.people,
    doors: options.doors,
    speed: options.speed,
    durationMs: options.durationMs,
  });
  const observer = options.progress ? progressTo(options.progress) : noProgress;
  const client = new ApiClient({
    url: options.url,
    key: options.key,
    concurrency: options.concurrency ?? 16,
  });

  const from = await client.latestCursor();
  observer.note(
    `seeding ${options.people} people and ${options.doors} doors at site "${options.site}" (run ${runId})`,
  );
  const building = await seedBuilding(client, layoutOf(options.people, options.doors), {
    siteName: options.site,
    timeZone: options.timeZone ?? "UTC",
    runId,
    now: Date.now(),
  });
  observer.note(
    `playing 07:00–19:00 at ${Math.round(plan.ratio)}× (${plan.actions.length} actions, seed ${seed})`,
  );
  // The cap leaves the run a little slack past the plan's last action, which lands before the duration.
  const outcome = await runDay(client, building, plan, observer, { capMs: options.durationMs + 2_000 });
  observer.end();
  const counted = await countEvents(client, from, building.owned);

  return {
    site: { id: building.site.id, name: building.site.name },
    runId,
    seed,
    cursor: { from, to: counted.to },
    events: { total: counted.total, byType: counted.byType },
    requests: client.stats.requests,
    retries: client.stats.retries,
    failures: client.stats.failures,
    errors: outcome.errors,
    unexpected: outcome.unexpected,
    skipped: outcome.skipped,
    durationMs: Math.round(performance.now() - started),
    ratio: plan.ratio,
  };
}
