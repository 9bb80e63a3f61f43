// What a run caused, read back from the server's event log: the events of this run's site, doors,
// devices, people and credentials since the cursor taken before seeding, counted by type.
import type { OwnedIds } from "./building.js";
import type { ApiClient, EventOut } from "./client.js";

export interface Summary {
  site: { id: number; name: string };
  runId: string;
  /** Pass it as --seed to plan the same day again. */
  seed: number;
  /** The event log positions the counts cover: after `from`, up to and including `to`. */
  cursor: { from: string; to: string };
  events: { total: number; byType: Record<string, number> };
  requests: number;
  retries: number;
  failures: number;
  errors: string[];
  unexpected: string[];
  skipped: number;
  durationMs: number;
  ratio: number;
}

const numberIn = (set: Set<number>, value: unknown) => typeof value === "number" && set.has(value);
const idOf = (value: unknown): unknown =>
  typeof value === "object" && value !== null ? (value as { id?: unknown }).id : undefined;

/**
 * Whether an event is this run's: of a door, device, person or credential it created, or the audit of
 * something it created. Other runs and other clients on the same server (even at a reused site) are left out.
 */
export function belongsToRun(event: EventOut, owned: OwnedIds): boolean {
  const data = event.data;
  if (event.type.startsWith("audit.")) {
    const resource = data.resource as { type?: unknown; id?: unknown } | undefined;
    const ids = typeof resource?.type === "string" ? owned.audited.get(resource.type) : undefined;
    return ids !== undefined && numberIn(ids, resource?.id);
  }
  if (typeof data.serial_number === "string") return owned.serials.has(data.serial_number);
  if (numberIn(owned.doors, idOf(data.door))) return true;
  if (event.type.startsWith("credential.")) return numberIn(owned.credentials, idOf(data.credential));
  if (event.type.startsWith("schedule.")) {
    const schedules = owned.audited.get("schedule");
    return schedules !== undefined && numberIn(schedules, idOf(data.schedule));
  }
  return numberIn(owned.users, idOf(data.user));
}

/** Counts this run's events after `from`, reading the log to its end; `to` is where it ended. */
export async function countEvents(
  client: ApiClient,
  from: string,
  owned: OwnedIds,
): Promise<{ to: string; total: number; byType: Record<string, number> }> {
  const byType: Record<string, number> = {};
  let total = 0;
  let cursor = from;
  for (;;) {
    const page = await client.events(cursor);
    for (const event of page.events) {
      if (!belongsToRun(event, owned)) continue;
      byType[event.type] = (byType[event.type] ?? 0) + 1;
      total++;
    }
    cursor = page.next_cursor;
    if (!page.has_more) break;
  }
  const sorted = Object.fromEntries(Object.entries(byType).sort(([a], [b]) => a.localeCompare(b)));
  return { to: cursor, total, byType: sorted };
}

/** The summary as a table for people. */
export function formatSummary(s: Summary): string {
  const width = Math.max(10, ...Object.keys(s.events.byType).map((t) => t.length));
  const rows = Object.entries(s.events.byType).map(
    ([type, n]) => `  ${type.padEnd(width)}  ${String(n).padStart(6)}`,
  );
  const lines = [
    `site ${s.site.name} (id ${s.site.id}), run ${s.runId}, seed ${s.seed}, ${Math.round(s.ratio)}× real time`,
    "",
    `  ${"event type".padEnd(width)}  ${"count".padStart(6)}`,
    `  ${"-".repeat(width)}  ${"-".repeat(6)}`,
    ...rows,
    `  ${"total".padEnd(width)}  ${String(s.events.total).padStart(6)}`,
    "",
    `requests ${s.requests} (retried ${s.retries}), failed ${s.failures}, unexpected decisions ${s.unexpected.length}` +
      `${s.skipped > 0 ? `, actions skipped at the duration cap ${s.skipped}` : ""}, took ${(s.durationMs / 1000).toFixed(1)} s`,
  ];
  for (const e of s.errors) lines.push(`  error: ${e}`);
  for (const u of s.unexpected.slice(0, 20)) lines.push(`  unexpected: ${u}`);
  return `${lines.join("\n")}\n`;
}
