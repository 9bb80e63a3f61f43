// The door's live state in the store: read it, feed it an input or the passing of time, keep the result,
// and answer the events the pure state machine (core/door-state.ts) produced.
import type { Kysely } from "kysely";
import {
  advanceDoor,
  applyDoorInput,
  type DoorConfig,
  type DoorEffect,
  type DoorInput,
  type DoorState,
  initialDoorState,
} from "../core/door-state.js";
import type { EventIn } from "../events/ingest.js";
import type { Database } from "../store/schema.js";
import type { DoorOut } from "./doors.js";

export type { DoorInput, DoorState };

const configOf = (door: DoorOut): DoorConfig => ({
  id: door.id,
  name: door.name,
  mode: door.mode,
  unlock_duration_s: door.unlock_duration_s,
  held_open_threshold_s: door.held_open_threshold_s,
  reader_name: door.reader_name,
  lock_name: door.lock_name,
  sensor_name: door.sensor_name,
});

/** The event of an effect, dated when it happened (a timer's own deadline, not the sweep that noticed it). */
const toEvent = (door: DoorOut, e: DoorEffect): EventIn => ({
  type: e.type,
  site_id: door.site_id,
  timestamp: new Date(e.at).toISOString(),
  data: e.data,
});

/** The door's state now; a door never driven yet is closed, and locked unless its mode unlocks it. */
export async function readDoorState(db: Kysely<Database>, door: DoorOut): Promise<DoorState> {
  const row = await db
    .selectFrom("door_states")
    .select("state")
    .where("door_id", "=", door.id)
    .executeTakeFirst();
  return row ? (JSON.parse(row.state) as DoorState) : initialDoorState(door.mode);
}

async function saveDoorState(
  db: Kysely<Database>,
  doorId: number,
  state: DoorState,
  now: number,
): Promise<void> {
  const values = { state: JSON.stringify(state), due_at: state.due_at, updated_at: now };
  await db
    .insertInto("door_states")
    .values({ door_id: doorId, ...values })
    .onConflict((oc) => oc.column("door_id").doUpdateSet(values))
    .execute();
}

/** Feeds one input to the door (a sensor, an exit button, a grant, a mode) and keeps the new state. */
export async function driveDoor(
  db: Kysely<Database>,
  door: DoorOut,
  input: DoorInput,
  now: number,
): Promise<EventIn[]> {
  const before = await readDoorState(db, door);
  const { state, events } = applyDoorInput(configOf(door), before, input, now);
  await saveDoorState(db, door.id, state, now);
  return events.map((e) => toEvent(door, e));
}

/** Lets time pass for the door (relock, held open) if it is due; nothing when another node got there first. */
export async function advanceDoorIfDue(db: Kysely<Database>, door: DoorOut, now: number): Promise<EventIn[]> {
  const before = await readDoorState(db, door);
  if (before.due_at === null || before.due_at > now) return [];
  const { state, events } = advanceDoor(configOf(door), before, now);
  await saveDoorState(db, door.id, state, now);
  return events.map((e) => toEvent(door, e));
}

/** Doors whose state needs a look at `now`, oldest first, with their site (to lock it before the look). */
export async function dueDoors(
  db: Kysely<Database>,
  now: number,
  limit: number,
): Promise<Array<{ door_id: number; site_id: number }>> {
  const rows = await db
    .selectFrom("door_states as s")
    .innerJoin("doors as d", "d.id", "s.door_id")
    .select(["s.door_id", "d.site_id"])
    .where("s.due_at", "<=", now)
    .orderBy("s.due_at")
    .limit(limit)
    .execute();
  return rows.map((r) => ({ door_id: Number(r.door_id), site_id: Number(r.site_id) }));
}
