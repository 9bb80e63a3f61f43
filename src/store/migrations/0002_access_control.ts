// The access-control core: sites, doors and their live state, devices, users, credentials, access groups,
// schedules, holidays and anti-passback positions.
import type { Kysely } from "kysely";
import type { StoreAdapter } from "../dialect.js";

export async function up(db: Kysely<unknown>, a: StoreAdapter): Promise<void> {
  const big = a.bigintType;
  await db.schema
    .createTable("settings")
    .addColumn("key", "text", (c) => c.primaryKey())
    .addColumn("value", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("sites")
    .addColumn("id", a.identityType, a.identity)
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("time_zone", "text", (c) => c.notNull())
    .addColumn("created_at", big, (c) => c.notNull())
    .addColumn("updated_at", big, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("schedules")
    .addColumn("id", a.identityType, a.identity)
    .addColumn("site_id", big, (c) => c.notNull().references("sites.id"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("windows", "text", (c) => c.notNull())
    .addColumn("created_at", big, (c) => c.notNull())
    .addColumn("updated_at", big, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("holidays")
    .addColumn("id", a.identityType, a.identity)
    .addColumn("site_id", big, (c) => c.notNull().references("sites.id"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("date", "text", (c) => c.notNull())
    .addColumn("all_day", "integer", (c) => c.notNull())
    .addColumn("start", "text")
    .addColumn("end", "text")
    .addColumn("created_at", big, (c) => c.notNull())
    .addColumn("updated_at", big, (c) => c.notNull())
    .execute();
  await db.schema.createIndex("holidays_site").on("holidays").columns(["site_id", "date"]).execute();

  await db.schema
    .createTable("doors")
    .addColumn("id", a.identityType, a.identity)
    .addColumn("site_id", big, (c) => c.notNull().references("sites.id"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("mode", "text", (c) => c.notNull())
    .addColumn("requires_pin", "integer", (c) => c.notNull())
    .addColumn("unlock_duration_s", "integer", (c) => c.notNull())
    .addColumn("held_open_threshold_s", "integer", (c) => c.notNull())
    .addColumn("area_id", "text")
    .addColumn("area_direction", "text")
    .addColumn("reader_name", "text", (c) => c.notNull())
    .addColumn("lock_name", "text", (c) => c.notNull())
    .addColumn("sensor_name", "text", (c) => c.notNull())
    .addColumn("created_at", big, (c) => c.notNull())
    .addColumn("updated_at", big, (c) => c.notNull())
    .execute();
  await db.schema.createIndex("doors_site").on("doors").columns(["site_id", "id"]).execute();

  // What the door is doing now; `due_at` is when the sweeper must look at it next (relock, held open).
  await db.schema
    .createTable("door_states")
    .addColumn("door_id", big, (c) => c.primaryKey().references("doors.id").onDelete("cascade"))
    .addColumn("state", "text", (c) => c.notNull())
    .addColumn("due_at", big)
    .addColumn("updated_at", big, (c) => c.notNull())
    .execute();
  await db.schema.createIndex("door_states_due").on("door_states").columns(["due_at"]).execute();

  await db.schema
    .createTable("devices")
    .addColumn("id", a.identityType, a.identity)
    .addColumn("site_id", big, (c) => c.notNull().references("sites.id"))
    .addColumn("serial_number", "text", (c) => c.notNull().unique())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("door_id", big, (c) => c.references("doors.id").onDelete("set null"))
    .addColumn("firmware_version", "text", (c) => c.notNull())
    .addColumn("ip_address", "text", (c) => c.notNull())
    .addColumn("heartbeat_timeout_s", "integer", (c) => c.notNull())
    .addColumn("connected", "integer", (c) => c.notNull())
    .addColumn("last_seen_at", big)
    .addColumn("liveness_due_at", big)
    .addColumn("created_at", big, (c) => c.notNull())
    .addColumn("updated_at", big, (c) => c.notNull())
    .execute();
  await db.schema.createIndex("devices_liveness_due").on("devices").columns(["liveness_due_at"]).execute();

  await db.schema
    .createTable("users")
    .addColumn("id", a.identityType, a.identity)
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("email", "text")
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("valid_from", big)
    .addColumn("valid_until", big)
    .addColumn("created_at", big, (c) => c.notNull())
    .addColumn("updated_at", big, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("credentials")
    .addColumn("id", a.identityType, a.identity)
    .addColumn("user_id", big, (c) => c.references("users.id").onDelete("set null"))
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    // What a reader sends, normalised per kind ("fc:number" for cards, a keyed hash for PINs): the lookup key.
    .addColumn("lookup", "text", (c) => c.notNull())
    .addColumn("facility_code", "integer")
    .addColumn("card_number", "text")
    .addColumn("value", "text")
    .addColumn("valid_from", big)
    .addColumn("valid_until", big)
    .addColumn("created_at", big, (c) => c.notNull())
    .addColumn("updated_at", big, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("credentials_lookup")
    .on("credentials")
    .columns(["kind", "lookup"])
    .unique()
    .execute();
  await db.schema.createIndex("credentials_user").on("credentials").columns(["user_id"]).execute();

  await db.schema
    .createTable("access_groups")
    .addColumn("id", a.identityType, a.identity)
    .addColumn("site_id", big, (c) => c.notNull().references("sites.id"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("schedule_id", big, (c) => c.notNull().references("schedules.id"))
    .addColumn("created_at", big, (c) => c.notNull())
    .addColumn("updated_at", big, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("access_group_doors")
    .addColumn("group_id", big, (c) => c.notNull().references("access_groups.id").onDelete("cascade"))
    .addColumn("door_id", big, (c) => c.notNull().references("doors.id").onDelete("cascade"))
    .addPrimaryKeyConstraint("access_group_doors_pk", ["group_id", "door_id"])
    .execute();
  await db.schema
    .createIndex("access_group_doors_door")
    .on("access_group_doors")
    .columns(["door_id"])
    .execute();

  await db.schema
    .createTable("user_groups")
    .addColumn("user_id", big, (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("group_id", big, (c) => c.notNull().references("access_groups.id").onDelete("cascade"))
    .addPrimaryKeyConstraint("user_groups_pk", ["user_id", "group_id"])
    .execute();
  await db.schema.createIndex("user_groups_group").on("user_groups").columns(["group_id"]).execute();

  await db.schema
    .createTable("anti_passback")
    .addColumn("user_id", big, (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("area_id", "text", (c) => c.notNull())
    .addColumn("direction", "text", (c) => c.notNull())
    .addColumn("at", big, (c) => c.notNull())
    .addPrimaryKeyConstraint("anti_passback_pk", ["user_id", "area_id"])
    .execute();
}
