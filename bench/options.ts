// The bench's command-line flags, parsed and checked.
import { parseArgs } from "node:util";

export interface BenchOptions {
  /** Deliveries in each throughput run (raw, then Gatehouse). */
  events: number;
  /** Offered events/s in the latency run. */
  rate: number;
  /** Seconds the latency run offers load for. */
  durationS: number;
  /**
   * "auto" or a postgres:// admin URL: the Gatehouse phases then run a second time, on a scratch database on
   * that server, and the two stores are compared.
   */
  database?: string;
  json: boolean;
  /** Write a V8 CPU profile of the Gatehouse process. */
  cpuProfile: boolean;
  /** Also measure the reference pipeline (bench/floor.ts) against the same ceiling. */
  floor: boolean;
  /** Users in the access-decision phase (each with 3 credentials). */
  decisionUsers: number;
  /** Presentations timed in the access-decision phase. */
  decisionSamples: number;
}

export const USAGE = `npm run bench -- [flags]

  --events N        deliveries in each throughput run, raw and Gatehouse (default 20000)
  --rate R          offered events/s in the latency run (default 2000)
  --duration S      seconds of offered load in the latency run (default 10)
  --database URL    also run Gatehouse on PostgreSQL and compare it with SQLite: URL is an admin URL
                    (e.g. postgres://postgres@127.0.0.1:5432/postgres) on which a scratch database
                    gatehouse_bench_<random> is created and dropped afterwards; "auto" finds or starts
                    a server as the tests do (default: SQLite only, fresh temp dir)
  --decision-users N  users in the access-decision phase, 3 credentials each (default 100000)
  --decision-samples N  presentations timed in the access-decision phase (default 20000)
  --floor           also run the reference pipeline (bench/floor.ts): the least a Node process can do for
                    the same durable work, on SQLite, so its ratio shows what this machine allows
  --cpu-prof        write a V8 CPU profile of the Gatehouse process under .tmp/bench/profiles/
  --json            print the results as JSON instead of a table
  --help            this text`;

/** A mistake in the flags: reported with the usage, without a stack. */
export class UsageError extends Error {}

function positive(name: string, value: string | undefined, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min)
    throw new UsageError(`--${name}: expected an integer ≥ ${min}, got "${value}"`);
  return n;
}

function parseFlags(argv: string[]) {
  return parseArgs({
    args: argv,
    options: {
      events: { type: "string" },
      rate: { type: "string" },
      duration: { type: "string" },
      database: { type: "string" },
      "cpu-prof": { type: "boolean", default: false },
      floor: { type: "boolean", default: false },
      "decision-users": { type: "string" },
      "decision-samples": { type: "string" },
      json: { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
    strict: true,
  });
}

function database(value: string | undefined): string | undefined {
  if (value === undefined || value === "auto" || /^postgres(ql)?:\/\//.test(value)) return value;
  throw new UsageError(`--database: expected a postgres:// or postgresql:// URL, or "auto"; got "${value}"`);
}

/** Answers null when --help was asked for. */
export function parseOptions(argv: string[]): BenchOptions | null {
  let parsed: ReturnType<typeof parseFlags>;
  try {
    parsed = parseFlags(argv);
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const { values } = parsed;
  if (values.help) return null;
  return {
    events: positive("events", values.events, 20_000, 100),
    rate: positive("rate", values.rate, 2_000),
    durationS: positive("duration", values.duration, 10),
    database: database(values.database),
    json: values.json,
    cpuProfile: values["cpu-prof"],
    floor: values.floor,
    decisionUsers: positive("decision-users", values["decision-users"], 100_000, 100),
    decisionSamples: positive("decision-samples", values["decision-samples"], 20_000, 100),
  };
}
