// Whether each schedule is open now, and when to look again, so the sweeper can report schedule.activated
// and schedule.deactivated as windows open and close.
import type { Kysely } from "kysely";
import type { StoreAdapter } from "../dialect.js";

export async function up(db: Kysely<unknown>, a: StoreAdapter): Promise<void> {
  await db.schema.alterTable("schedules").addColumn("active", "integer").execute();
  await db.schema.alterTable("schedules").addColumn("check_at", a.bigintType).execute();
  await db.schema.createIndex("schedules_check_at").on("schedules").columns(["check_at"]).execute();
}
