// The access decision at scale: a store holding 100,000 users and 300,000 credentials, then card, QR and
// mobile presentations at random doors, timed one by one. What is timed is the decision itself, as the
// access-request route runs it: the indexed reads it needs and the pure rules, not the event's commit.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Kysely } from "kysely";
import { type AccessRequestIn, decide } from "../src/access/access-requests.js";
import { cardLookup } from "../src/access/credentials.js";
import { type DoorOut, getDoor } from "../src/access/doors.js";
import type { Database } from "../src/store/schema.js";
import { openStore } from "../src/store/store.js";
import { mulberry32 } from "../test/support/random.js";
import { summarize } from "./stats.js";

export interface DecisionRun {
  store: string;
  users: number;
  credentials: number;
  doors: number;
  seedSeconds: number;
  samples: number;
  perSecond: number;
  granted: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number };
}

export const TARGET_DECISION_P99_MS = 1;

const DOORS = 40;
const GROUPS = 20;
const CHUNK = 500;

async function insertChunked<T extends keyof Database & string>(
  db: Kysely<Database>,
  table: T,
  rows: Array<Record<string, unknown>>,
): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) {
    await db
      .insertInto(table)
      .values(rows.slice(i, i + CHUNK) as never)
      .execute();
  }
}

/** One site, 40 doors, 20 groups of 8 doors on office hours, `users` people with 3 credentials each. */
async function seed(db: Kysely<Database>, users: number, now: number): Promise<void> {
  const stamps = { created_at: now, updated_at: now };
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto("sites")
      .values({ id: 1, name: "Bench HQ", time_zone: "Europe/Berlin", ...stamps })
      .execute();
    const always = [0, 1, 2, 3, 4, 5, 6].map((day) => ({ day, start: "00:00", end: "24:00" }));
    await trx
      .insertInto("schedules")
      .values({ id: 1, site_id: 1, name: "Always", windows: JSON.stringify(always), ...stamps })
      .execute();
    const doors = Array.from({ length: DOORS }, (_, i) => ({
      id: i + 1,
      site_id: 1,
      name: `Door ${i + 1}`,
      mode: "normal",
      requires_pin: 0,
      unlock_duration_s: 5,
      held_open_threshold_s: 30,
      // Every fourth door is an entry or exit of one area, so anti-passback is read too.
      area_id: i % 4 === 0 ? "building" : null,
      area_direction: i % 4 === 0 ? (i % 8 === 0 ? "entry" : "exit") : null,
      reader_name: "Reader",
      lock_name: "Lock",
      sensor_name: "Door contact",
      ...stamps,
    }));
    await insertChunked(trx, "doors", doors);
    await insertChunked(
      trx,
      "access_groups",
      Array.from({ length: GROUPS }, (_, g) => ({
        id: g + 1,
        site_id: 1,
        name: `Group ${g + 1}`,
        schedule_id: 1,
        ...stamps,
      })),
    );
    const groupDoors = [];
    for (let g = 0; g < GROUPS; g++)
      for (let k = 0; k < 8; k++) groupDoors.push({ group_id: g + 1, door_id: ((g * 2 + k) % DOORS) + 1 });
    await insertChunked(trx, "access_group_doors", groupDoors);
    const userRows = [];
    const memberships = [];
    const credentials = [];
    for (let u = 1; u <= users; u++) {
      userRows.push({
        id: u,
        name: `Person ${u}`,
        email: null,
        status: u % 50 === 0 ? "suspended" : "active",
        valid_from: null,
        valid_until: null,
        ...stamps,
      });
      memberships.push({ user_id: u, group_id: (u % GROUPS) + 1 });
      if (u % 3 === 0) memberships.push({ user_id: u, group_id: ((u + 7) % GROUPS) + 1 });
      const common = { user_id: u, status: "active", valid_from: null, valid_until: null, ...stamps };
      credentials.push({
        ...common,
        kind: "card",
        lookup: cardLookup(10, String(u)),
        facility_code: 10,
        card_number: String(u),
        value: null,
      });
      credentials.push({
        ...common,
        kind: "qr",
        lookup: `qr-${u}`,
        facility_code: null,
        card_number: null,
        value: `qr-${u}`,
      });
      credentials.push({
        ...common,
        kind: "mobile",
        lookup: `mobile-${u}`,
        facility_code: null,
        card_number: null,
        value: `mobile-${u}`,
      });
    }
    await insertChunked(trx, "users", userRows);
    await insertChunked(trx, "user_groups", memberships);
    await insertChunked(trx, "credentials", credentials);
  });
}

/** A presentation: mostly known cards, some QR and mobile, a few unknown cards. */
function presentation(next: () => number, users: number): AccessRequestIn {
  const u = 1 + Math.floor(next() * users);
  const r = next();
  if (r < 0.03)
    return { credential: { kind: "card", card: { facility_code: 10, card_number: String(users + u) } } };
  if (r < 0.15) return { credential: { kind: "qr", value: `qr-${u}` } };
  if (r < 0.25) return { credential: { kind: "mobile", value: `mobile-${u}` } };
  return { credential: { kind: "card", card: { facility_code: 10, card_number: String(u) } } };
}

export async function measureDecisions(options: {
  users: number;
  samples: number;
  databaseUrl?: string;
  progress(message: string): void;
}): Promise<DecisionRun> {
  const dataDir = mkdtempSync(join(tmpdir(), "gatehouse-bench-decisions-"));
  const store = await openStore({ dataDir, databaseUrl: options.databaseUrl, poolSize: 2 });
  try {
    const now = Date.parse("2026-03-02T09:00:00Z");
    options.progress(
      `decisions: seeding ${options.users.toLocaleString("en-US")} users, ${(options.users * 3).toLocaleString("en-US")} credentials`,
    );
    const seedStart = performance.now();
    await seed(store.db, options.users, now);
    const seedSeconds = (performance.now() - seedStart) / 1000;
    const doors: DoorOut[] = [];
    for (let d = 1; d <= DOORS; d++) doors.push((await getDoor(store.db, d)) as DoorOut);
    const next = mulberry32(42);
    const run = async (count: number, timings?: number[]) => {
      let granted = 0;
      for (let i = 0; i < count; i++) {
        const door = doors[Math.floor(next() * DOORS)] as DoorOut;
        const input = presentation(next, options.users);
        const started = performance.now();
        const outcome = await decide(store.db, door, input, now);
        timings?.push(performance.now() - started);
        if (outcome.decision.granted) granted++;
      }
      return granted;
    };
    options.progress("decisions: warming up");
    await run(Math.min(2_000, options.samples));
    options.progress(`decisions: timing ${options.samples.toLocaleString("en-US")} presentations`);
    const timings: number[] = [];
    const started = performance.now();
    const granted = await run(options.samples, timings);
    const elapsed = (performance.now() - started) / 1000;
    const s = summarize(timings);
    return {
      store: store.adapter.name,
      users: options.users,
      credentials: options.users * 3,
      doors: DOORS,
      seedSeconds,
      samples: options.samples,
      perSecond: options.samples / elapsed,
      granted,
      latencyMs: { p50: s.p50, p90: s.p90, p99: s.p99, max: s.max },
    };
  } finally {
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export function formatDecisions(d: DecisionRun): string[] {
  const ms = (n: number) => `${n.toFixed(3)} ms`;
  const met = d.latencyMs.p99 < TARGET_DECISION_P99_MS;
  return [
    `access decisions on ${d.store}: ${d.users.toLocaleString("en-US")} users, ${d.credentials.toLocaleString("en-US")} credentials, ${d.doors} doors (seeded in ${d.seedSeconds.toFixed(1)} s)`,
    `  ${Math.round(d.perSecond).toLocaleString("en-US")} decisions/s, one at a time; ${d.granted.toLocaleString("en-US")} of ${d.samples.toLocaleString("en-US")} granted`,
    `  latency p50 ${ms(d.latencyMs.p50)}, p90 ${ms(d.latencyMs.p90)}, p99 ${ms(d.latencyMs.p99)}, max ${ms(d.latencyMs.max)}   target p99 < ${TARGET_DECISION_P99_MS} ms  ${met ? "PASS" : "MISS"}`,
  ];
}
