// A presentation at a reader, end to end: load what the pure decision needs with a handful of indexed
// queries, decide, move anti-passback and the door on a grant, and say which event records the outcome.
import { z } from "@hono/zod-openapi";
import type { Kysely } from "kysely";
import { decideAccess } from "../core/decision.js";
import { wallClock } from "../core/local-time.js";
import { maskCredential } from "../core/mask.js";
import type {
  AccessGroup,
  AntiPassbackState,
  CredentialKind,
  Direction,
  Holiday,
  Schedule,
} from "../core/model.js";
import type { Decision } from "../core/rules.js";
import type { Database } from "../store/schema.js";
import {
  cardLookup,
  cardNumber,
  facilityCode,
  lookupOf,
  pinCode,
  toCoreCredential,
  tokenValue,
} from "./credentials.js";
import { type DoorOut, toCoreDoor } from "./doors.js";
import { toCoreUser } from "./users.js";

export const AccessRequestIn = z
  .strictObject({
    credential: z.discriminatedUnion(
      "kind",
      [
        z.strictObject({
          kind: z.literal("card"),
          card: z.strictObject({ facility_code: facilityCode, card_number: cardNumber }),
        }),
        z.strictObject({ kind: z.literal("pin"), pin: pinCode }),
        z.strictObject({ kind: z.enum(["qr", "mobile", "face"]), value: tokenValue }),
      ],
      { error: "kind: must be one of: card, pin, qr, mobile, face" },
    ),
    pin: pinCode.optional().openapi({ description: "The PIN typed after the card at a card + PIN door" }),
  })
  .openapi("AccessRequestIn");
export type AccessRequestIn = z.infer<typeof AccessRequestIn>;

/** What a reader saw, as the lookup and the events need it. */
interface Presented {
  kind: CredentialKind;
  /** The stored lookup key. */
  lookup: string;
  /** What events may show of it, masked. */
  shown: string;
}

async function presentedOf(db: Kysely<Database>, input: AccessRequestIn["credential"]): Promise<Presented> {
  switch (input.kind) {
    case "card":
      return {
        kind: "card",
        lookup: cardLookup(input.card.facility_code, input.card.card_number),
        shown: input.card.card_number,
      };
    case "pin":
      return { kind: "pin", lookup: await lookupOf(db, "pin", input.pin), shown: "" };
    default:
      return { kind: input.kind, lookup: input.value, shown: input.value };
  }
}

export interface Outcome {
  decision: Decision;
  /** The `access.granted` / `access.denied` data (EVENTS.md), credential masked. */
  eventData: Record<string, unknown>;
  /** Set on a grant through a door with an area: the passage to record for anti-passback. */
  passage: { user_id: number; area_id: string; direction: Direction } | null;
}

/**
 * Loads and decides one presentation at `door` at `now`; writes nothing. Run it inside the transaction
 * that records the outcome, so two presentations of one card cannot both pass anti-passback.
 */
export async function decide(
  db: Kysely<Database>,
  door: DoorOut,
  input: AccessRequestIn,
  now: number,
): Promise<Outcome> {
  const presented = await presentedOf(db, input.credential);
  const site = await db
    .selectFrom("sites")
    .select(["id", "time_zone"])
    .where("id", "=", door.site_id)
    .executeTakeFirstOrThrow();
  const credentialRow = await db
    .selectFrom("credentials")
    .selectAll()
    .where("kind", "=", presented.kind)
    .where("lookup", "=", presented.lookup)
    .executeTakeFirst();
  const userId = credentialRow?.user_id == null ? null : Number(credentialRow.user_id);
  const userRow =
    userId === null
      ? undefined
      : await db.selectFrom("users").selectAll().where("id", "=", userId).executeTakeFirst();
  const loaded = userRow
    ? await loadAuthorisation(db, door, Number(userRow.id), site.time_zone, now)
    : emptyAuthorisation;
  const pinOk =
    input.pin === undefined || !userRow ? undefined : await pinMatches(db, Number(userRow.id), input.pin);

  const decision = decideAccess({
    at: now,
    site: { id: String(site.id), time_zone: site.time_zone },
    door: toCoreDoor(door),
    presented: { kind: presented.kind, value: presented.shown },
    credential: credentialRow ? toCoreCredential(credentialRow) : null,
    user: userRow ? toCoreUser(userRow) : null,
    groups: loaded.groups,
    schedules: loaded.schedules,
    holidays: loaded.holidays,
    antiPassback: loaded.antiPassback,
    pinOk,
  });

  const eventData: Record<string, unknown> = {
    door: { id: door.id, name: door.name },
    reader: { name: door.reader_name },
    user: userRow ? { id: Number(userRow.id), name: userRow.name } : null,
    ...(userRow ? { groups: loaded.groupRefs } : {}),
    credential: {
      id: credentialRow ? Number(credentialRow.id) : null,
      kind: presented.kind,
      masked: maskCredential(presented.kind, presented.shown) ?? "****",
    },
    ...(decision.granted ? { method: decision.method } : { reason: decision.reason }),
    ...(decision.detail === undefined ? {} : { detail: decision.detail }),
  };
  const passage =
    decision.granted && door.area && userRow
      ? { user_id: Number(userRow.id), area_id: door.area.id, direction: door.area.direction }
      : null;
  return { decision, eventData, passage };
}

interface Authorisation {
  groups: AccessGroup[];
  /** The same groups as events name them. */
  groupRefs: Array<{ id: number; name: string }>;
  schedules: Schedule[];
  holidays: Holiday[];
  antiPassback: AntiPassbackState;
}

const emptyAuthorisation: Authorisation = {
  groups: [],
  groupRefs: [],
  schedules: [],
  holidays: [],
  antiPassback: {},
};

/** The user's groups for this door, their schedules, the site's holidays around today, and passages. */
async function loadAuthorisation(
  db: Kysely<Database>,
  door: DoorOut,
  userId: number,
  timeZone: string,
  now: number,
): Promise<Authorisation> {
  const groupRows = await db
    .selectFrom("user_groups as ug")
    .innerJoin("access_group_doors as gd", (join) =>
      join.onRef("gd.group_id", "=", "ug.group_id").on("gd.door_id", "=", door.id),
    )
    .innerJoin("access_groups as g", "g.id", "ug.group_id")
    .select(["g.id", "g.name", "g.schedule_id"])
    .where("ug.user_id", "=", userId)
    .execute();
  const groups = groupRows.map((g) => ({
    id: String(g.id),
    door_ids: [String(door.id)],
    schedule_id: String(g.schedule_id),
  }));
  const scheduleIds = [...new Set(groupRows.map((g) => Number(g.schedule_id)))];
  const scheduleRows =
    scheduleIds.length === 0
      ? []
      : await db.selectFrom("schedules").select(["id", "windows"]).where("id", "in", scheduleIds).execute();
  const today = wallClock(now, timeZone).date;
  const holidayRows = await db
    .selectFrom("holidays")
    .select(["date", "all_day", "start", "end"])
    .where("site_id", "=", door.site_id)
    .where("date", "=", today)
    .execute();
  const passages = door.area
    ? await db
        .selectFrom("anti_passback")
        .select(["area_id", "direction"])
        .where("user_id", "=", userId)
        .where("area_id", "=", door.area.id)
        .execute()
    : [];
  return {
    groups,
    groupRefs: groupRows.map((g) => ({ id: Number(g.id), name: g.name })),
    schedules: scheduleRows.map((s) => ({ id: String(s.id), windows: JSON.parse(s.windows) })),
    holidays: holidayRows.map((h): Holiday => {
      const base = { site_id: String(door.site_id), date: h.date, behaviour: "deny" as const };
      return h.all_day || h.start === null || h.end === null
        ? { ...base, all_day: true }
        : { ...base, all_day: false, start: h.start, end: h.end };
    }),
    antiPassback: Object.fromEntries(passages.map((p) => [p.area_id, p.direction as Direction])),
  };
}

/** True when `pin` is one of the user's own active PIN credentials. */
async function pinMatches(db: Kysely<Database>, userId: number, pin: string): Promise<boolean> {
  const row = await db
    .selectFrom("credentials")
    .select("id")
    .where("kind", "=", "pin")
    .where("lookup", "=", await lookupOf(db, "pin", pin))
    .where("user_id", "=", userId)
    .where("status", "=", "active")
    .executeTakeFirst();
  return row !== undefined;
}

/** Records a granted passage for anti-passback: the user's last direction in that area. */
export async function recordPassage(
  db: Kysely<Database>,
  passage: NonNullable<Outcome["passage"]>,
  now: number,
): Promise<void> {
  await db
    .insertInto("anti_passback")
    .values({ ...passage, at: now })
    .onConflict((oc) =>
      oc.columns(["user_id", "area_id"]).doUpdateSet({ direction: passage.direction, at: now }),
    )
    .execute();
}
