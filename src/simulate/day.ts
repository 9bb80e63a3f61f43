// A simulated working day as a timeline of actions, planned from a seed with no I/O: the same options
// always give the same day. Times are simulated milliseconds after the day starts (07:00 local).
import { type Layout, layoutOf, MAX_DOORS, MAX_PEOPLE, MIN_DOORS, MIN_PEOPLE, TIMERS } from "./building.js";
import { seededRandom } from "./random.js";

export interface PlanOptions {
  seed: number;
  people: number;
  doors: number;
  /** Simulated time runs this many times faster than real time (at least). */
  speed: number;
  /** Real time the day must fit in; the day is compressed further when it would not. */
  durationMs: number;
}

export type Action =
  | { at: number; kind: "heartbeat"; device: number }
  /** A person at a door: a card (with their PIN at a card + PIN door) or the exit button, then the door opened and closed. */
  | {
      at: number;
      kind: "passage";
      person: number;
      door: number;
      by: "card" | "new_card" | "exit_button";
      expect: "granted" | "denied";
      /** Keep the door open this long (real ms) instead of a moment: the held-door incident. */
      holdOpenMs?: number;
    }
  | { at: number; kind: "unknown_card"; door: number }
  /** The door contact opens with no grant, then closes. */
  | { at: number; kind: "forced"; door: number }
  | { at: number; kind: "suspend" | "reactivate" | "add_card"; person: number }
  | { at: number; kind: "device_event"; device: number; type: string; data: Record<string, unknown> }
  /** A marker: the device sends nothing until `until` (its heartbeat then reconnects it). */
  | { at: number; kind: "device_silent"; device: number; until: number };

export type ActionKind = Action["kind"];

export interface DayPlan {
  options: PlanOptions;
  layout: Layout;
  /** Simulated ms per real ms: max(speed, day length / duration). */
  ratio: number;
  dayMs: number;
  actions: Action[];
  incidents: {
    forcedDoor: number;
    heldDoor: number;
    heldBy: number;
    suspended: number;
    newCard: number;
    contractor: number;
    silentDevice: number;
    silentFrom: number;
    silentUntil: number;
  };
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
export const DAY_START_HOUR = 7;
export const DAY_MS = 12 * HOUR;
/** The shortest real duration the incidents fit in (the silent device alone needs 14 s). */
export const MIN_DURATION_MS = 20_000;

/** Simulated ms after 07:00 of a wall-clock time. */
const clock = (hour: number, minute = 0) => (hour - DAY_START_HOUR) * HOUR + minute * MINUTE;

/** The local wall-clock time of a simulated instant, "HH:MM". */
export function wallTime(at: number): string {
  const minutes = Math.floor(at / MINUTE) + DAY_START_HOUR * 60;
  return `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
}

export function validatePlanOptions(o: PlanOptions): void {
  const check = (ok: boolean, message: string) => {
    if (!ok) throw new RangeError(message);
  };
  check(
    Number.isInteger(o.people) && o.people >= MIN_PEOPLE && o.people <= MAX_PEOPLE,
    `people: must be ${MIN_PEOPLE}–${MAX_PEOPLE}`,
  );
  check(
    Number.isInteger(o.doors) && o.doors >= MIN_DOORS && o.doors <= MAX_DOORS,
    `doors: must be ${MIN_DOORS}–${MAX_DOORS}`,
  );
  check(Number.isFinite(o.speed) && o.speed >= 1, "speed: must be at least 1");
  check(
    Number.isFinite(o.durationMs) && o.durationMs >= MIN_DURATION_MS,
    `duration: must be at least ${MIN_DURATION_MS / 1000}s (a device must stay silent long enough to be reported)`,
  );
}

export function planDay(options: PlanOptions): DayPlan {
  validatePlanOptions(options);
  const layout = layoutOf(options.people, options.doors);
  const ratio = Math.max(options.speed, DAY_MS / options.durationMs);
  const real = (ms: number) => ms * ratio; // real ms → simulated ms
  const rnd = seededRandom(options.seed);
  const actions: Action[] = [];
  const add = (a: Action) => actions.push(a);

  const people = layout.people;
  const it = people.filter((p) => p.role === "it");
  const staff = people.filter((p) => p.role === "staff");
  const incidents = {
    forcedDoor: 0,
    heldDoor: 2,
    heldBy: it[0]?.index ?? 0,
    suspended: staff[0]?.index ?? 0,
    newCard: staff[1]?.index ?? 0,
    contractor: people.length - 1,
    silentDevice: options.doors - 1,
    // Early, so its long real-time silence ends well within the day.
    silentFrom: Math.max(clock(7, 20), real(1_000)),
    silentUntil: 0,
  };
  incidents.silentUntil = incidents.silentFrom + Math.max(real(TIMERS.silenceMs), 45 * MINUTE);
  if (incidents.silentUntil > DAY_MS - real(1_000)) {
    throw new RangeError("duration: too short for the silent device; give it more time");
  }

  // A door visit at the silent device's door would be a sign of life: people skip it meanwhile (and a
  // little before, in case the runner is late).
  const silentDoorBusy = (at: number) =>
    at >= incidents.silentFrom - real(1_000) && at <= incidents.silentUntil + real(500);
  const visitOffice = (
    person: number,
    door: number | null,
    at: number,
    by: "card" | "new_card" | "exit_button",
  ) => {
    if (door === null || (door === incidents.silentDevice && silentDoorBusy(at))) return;
    add({ at, kind: "passage", person, door, by, expect: "granted" });
  };

  // Heartbeats: every device on one schedule, in real time (the server's timeout is real time).
  const every = real(TIMERS.heartbeatEveryMs);
  for (let at = 0; at < DAY_MS; at += every) {
    for (let device = 0; device < options.doors; device++) {
      const silent =
        device === incidents.silentDevice && at >= incidents.silentFrom && at < incidents.silentUntil;
      if (!silent) add({ at, kind: "heartbeat", device });
    }
  }
  add({
    at: incidents.silentFrom,
    kind: "device_silent",
    device: incidents.silentDevice,
    until: incidents.silentUntil,
  });
  add({ at: incidents.silentUntil, kind: "heartbeat", device: incidents.silentDevice });

  // Before opening, someone forces the main entrance.
  add({ at: clock(7, 5), kind: "forced", door: incidents.forcedDoor });

  const entrance = 0;
  const exit = 1;
  const serverRoom = 2;
  for (const person of people) {
    if (person.role === "contractor") continue;
    const p = person.index;
    const suspended = p === incidents.suspended;
    const card = (at: number) => (p === incidents.newCard && at > clock(11) ? "new_card" : "card");

    // Arrival: the one suspended by mistake comes late, after the admin has put it right.
    const arrive = suspended ? clock(10, 0) : rnd.around(clock(7, 30), clock(9, 45));
    add({ at: arrive, kind: "passage", person: p, door: entrance, by: card(arrive), expect: "granted" });
    visitOffice(p, person.officeDoor, arrive + rnd.int(1, 3) * MINUTE, card(arrive));

    if (person.role === "it" && p !== incidents.heldBy) {
      const visit = rnd.around(clock(10, 30), clock(11, 45));
      add({ at: visit, kind: "passage", person: p, door: serverRoom, by: "card", expect: "granted" });
    }

    if (rnd.chance(0.7)) {
      const out = rnd.around(clock(12), clock(13, 15));
      const back = out + rnd.int(20, 60) * MINUTE;
      visitOffice(p, person.officeDoor, out, "exit_button");
      add({ at: out + MINUTE, kind: "passage", person: p, door: exit, by: card(out), expect: "granted" });
      add({ at: back, kind: "passage", person: p, door: entrance, by: card(back), expect: "granted" });
      visitOffice(p, person.officeDoor, back + 2 * MINUTE, card(back));
    }

    const leave = rnd.around(clock(16, 30), clock(18, 45));
    visitOffice(p, person.officeDoor, leave, "exit_button");
    add({
      at: leave + rnd.int(1, 2) * MINUTE,
      kind: "passage",
      person: p,
      door: exit,
      by: card(leave),
      expect: "granted",
    });
  }

  // The admin suspends a user by mistake; their card is refused; the admin puts it right.
  add({ at: clock(9, 30), kind: "suspend", person: incidents.suspended });
  add({
    at: clock(9, 40),
    kind: "passage",
    person: incidents.suspended,
    door: entrance,
    by: "card",
    expect: "denied",
  });
  add({ at: clock(9, 50), kind: "reactivate", person: incidents.suspended });
  // A lost card is replaced; the new one is used from lunch on.
  add({ at: clock(11), kind: "add_card", person: incidents.newCard });
  // Unknown cards at the entrance.
  add({ at: clock(8, 15), kind: "unknown_card", door: entrance });
  add({ at: clock(15), kind: "unknown_card", door: entrance });
  // The contractor tries the server room outside their maintenance window.
  add({
    at: clock(10, 30),
    kind: "passage",
    person: incidents.contractor,
    door: serverRoom,
    by: "card",
    expect: "denied",
  });
  // An IT engineer props the server room open past its threshold.
  add({
    at: clock(14),
    kind: "passage",
    person: incidents.heldBy,
    door: serverRoom,
    by: "card",
    expect: "granted",
    holdOpenMs: (TIMERS.serverRoomHeldOpenS + 2.5) * 1000,
  });

  // The intercom at the entrance rings; the server room's temperature sensor alarms and clears.
  add({
    at: clock(10, 45),
    kind: "device_event",
    device: entrance,
    type: "call.incoming",
    data: { from: "Courier", to: "Reception" },
  });
  add({
    at: clock(15, 20),
    kind: "device_event",
    device: entrance,
    type: "call.missed",
    data: { from: "Visitor" },
  });
  const alarm = { alarm_group: "Server room", sensor: "temperature", severity: "warning" };
  add({
    at: clock(13),
    kind: "device_event",
    device: serverRoom,
    type: "alarm.triggered",
    data: { ...alarm, value: 31.5 },
  });
  add({
    at: clock(13, 30),
    kind: "device_event",
    device: serverRoom,
    type: "alarm.cleared",
    data: { ...alarm, value: 24 },
  });

  // Stable: actions at the same instant keep the order they were planned in.
  const ordered = actions
    .map((a, i) => ({ a, i }))
    .sort((x, y) => x.a.at - y.a.at || x.i - y.i)
    .map((x) => x.a);
  return { options, layout, ratio, dayMs: DAY_MS, actions: ordered, incidents };
}

/** How many actions of each kind the plan has. */
export function countKinds(plan: DayPlan): Record<ActionKind, number> {
  const counts: Record<ActionKind, number> = {
    heartbeat: 0,
    passage: 0,
    unknown_card: 0,
    forced: 0,
    suspend: 0,
    reactivate: 0,
    add_card: 0,
    device_event: 0,
    device_silent: 0,
  };
  for (const a of plan.actions) counts[a.kind]++;
  return counts;
}
