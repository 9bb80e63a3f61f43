// Schedules opening and closing: once a minute each schedule is read in its site's time zone, and a change
// since the last look is recorded as schedule.activated or schedule.deactivated with the doors it affects.
import type { Kysely } from "kysely";
import type { ScheduleWindow } from "../core/model.js";
import { isWithinSchedule } from "../core/schedule.js";
import type { EventIn } from "../events/ingest.js";
import type { Database } from "../store/schema.js";

const MINUTE = 60_000;

/** The start of the minute after `now`: a schedule cannot change state before it. */
export const nextMinute = (now: number): number => (Math.floor(now / MINUTE) + 1) * MINUTE;

/** Schedules due a look at `now`, with their site. */
export async function dueSchedules(
  db: Kysely<Database>,
  now: number,
  limit: number,
): Promise<Array<{ id: number; site_id: number }>> {
  const rows = await db
    .selectFrom("schedules")
    .select(["id", "site_id"])
    .where("check_at", "<=", now)
    .orderBy("check_at")
    .limit(limit)
    .execute();
  return rows.map((r) => ({ id: Number(r.id), site_id: Number(r.site_id) }));
}

/** Looks at one schedule if still due; the first look records its state, later ones report changes. */
export async function checkSchedule(db: Kysely<Database>, id: number, now: number): Promise<EventIn[]> {
  const row = await db
    .selectFrom("schedules as s")
    .innerJoin("sites", "sites.id", "s.site_id")
    .select(["s.id", "s.site_id", "s.name", "s.windows", "s.active", "s.check_at", "sites.time_zone"])
    .where("s.id", "=", id)
    .executeTakeFirst();
  if (!row || row.check_at === null || Number(row.check_at) > now) return [];
  const windows = JSON.parse(row.windows) as ScheduleWindow[];
  const active = isWithinSchedule({ id: String(row.id), windows }, now, row.time_zone);
  await db
    .updateTable("schedules")
    .set({ active: active ? 1 : 0, check_at: nextMinute(now) })
    .where("id", "=", id)
    .execute();
  if (row.active === null || Boolean(row.active) === active) return [];
  const doors = await db
    .selectFrom("access_groups as g")
    .innerJoin("access_group_doors as gd", "gd.group_id", "g.id")
    .innerJoin("doors as d", "d.id", "gd.door_id")
    .select(["d.id", "d.name"])
    .distinct()
    .where("g.schedule_id", "=", id)
    .orderBy("d.id")
    .execute();
  return [
    {
      type: active ? "schedule.activated" : "schedule.deactivated",
      site_id: Number(row.site_id),
      data: {
        schedule: { id: Number(row.id), name: row.name },
        doors: doors.map((d) => ({ id: Number(d.id), name: d.name })),
      },
    },
  ];
}
