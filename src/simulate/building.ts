// The simulated building: its layout (pure: who and what, by index) and its seeding through the public API.
import type { ApiClient, CardIn } from "./client.js";

/**
 * Door and device timers the server runs on its own clock (real time), chosen so the incidents happen
 * within a run of a minute or less, whatever the simulated speed:
 * - the server room raises door.held_open after 2 s open (the held-door incident keeps it open longer);
 *   other doors after 20 s, far above the ~0.1 s a simulated passage keeps a door open;
 * - devices are reported disconnected after 10 s without a heartbeat (the API's minimum); the runner
 *   beats every 3 s real time, and the dropped device stays silent for 14 s.
 */
export const TIMERS = {
  serverRoomHeldOpenS: 2,
  doorHeldOpenS: 20,
  unlockDurationS: 5,
  heartbeatTimeoutS: 10,
  heartbeatEveryMs: 3_000,
  silenceMs: 14_000,
} as const;

export const FACILITY_CODE = 100;
/** The fewest doors a day needs: entrance, exit, server room and an office door. */
export const MIN_DOORS = 4;
/** The fewest people: IT, a suspended one, one who gets a new card, staff, a contractor. */
export const MIN_PEOPLE = 5;
export const MAX_PEOPLE = 10_000;
export const MAX_DOORS = 500;

export type DoorRole = "entrance" | "exit" | "server_room" | "office";
export type PersonRole = "staff" | "it" | "contractor";

export interface DoorLayout {
  index: number;
  name: string;
  role: DoorRole;
}

export interface PersonLayout {
  index: number;
  name: string;
  role: PersonRole;
  hasPin: boolean;
  /** The office door they badge through after the entrance; null for the contractor. */
  officeDoor: number | null;
}

export interface Layout {
  doors: DoorLayout[];
  people: PersonLayout[];
}

const FIRST = ["Ada", "Grace", "Alan", "Edsger", "Barbara", "Ken", "Margaret", "Linus", "Radia", "Dennis"];
const LAST = ["Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Thompson", "Hamilton", "Perlman"];

/** Who and what the building has, by index; the day plan and the seeding both read it. */
export function layoutOf(people: number, doors: number): Layout {
  const doorList: DoorLayout[] = [
    { index: 0, name: "Main entrance", role: "entrance" },
    { index: 1, name: "Main exit", role: "exit" },
    { index: 2, name: "Server room", role: "server_room" },
  ];
  for (let i = 3; i < doors; i++) doorList.push({ index: i, name: `Office ${i - 2}`, role: "office" });
  const offices = doors - 3;
  const itCount = Math.max(1, Math.floor(people / 10));
  const personList: PersonLayout[] = [];
  for (let i = 0; i < people; i++) {
    const role: PersonRole = i === people - 1 ? "contractor" : i < itCount ? "it" : "staff";
    const name = `${FIRST[i % FIRST.length]} ${LAST[Math.floor(i / FIRST.length) % LAST.length]} ${i + 1}`;
    personList.push({
      index: i,
      name,
      role,
      hasPin: role !== "staff",
      officeDoor: role === "contractor" ? null : 3 + (i % offices),
    });
  }
  return { doors: doorList, people: personList };
}

/** What the seeding created, by the layout's indexes. */
export interface Building {
  runId: string;
  site: { id: number; name: string; time_zone: string; reused: boolean };
  doors: Array<{ id: number; name: string; role: DoorRole; serial: string; deviceId: number }>;
  people: Array<{ id: number; name: string; card: CardIn; cardId: number; pin: string | null }>;
  /** The card the admin issues during the day (person index → card), and a card nobody holds. */
  newCards: Map<number, CardIn>;
  unknownCard: CardIn;
  /** Ids of everything this run created, to tell its events from others'. */
  owned: OwnedIds;
}

export interface OwnedIds {
  site: number;
  doors: Set<number>;
  serials: Set<string>;
  users: Set<number>;
  credentials: Set<number>;
  /** Audit resource ids by resource type (site, door, controller, schedule, access_group, …). */
  audited: Map<string, Set<number>>;
}

/** Card numbers and PINs carry the run id, so a second run against the same server never collides. */
export const cardOf = (runId: string, n: number): CardIn => ({
  facility_code: FACILITY_CODE,
  card_number: `${runId}${String(n).padStart(5, "0")}`,
});
const pinOf = (runId: string, n: number) =>
  `${String(Number.parseInt(runId, 16) % 1_000_000).padStart(6, "0")}${String(n).padStart(4, "0")}`;

/** A serial prefix from the site's name: letters and digits, upper case. */
export function serialPrefix(siteName: string): string {
  const slug = siteName
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 24)
    .replace(/-+$/, "");
  return slug || "SITE";
}

const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

/** Today's weekday (0 = Sunday) in the site's time zone. */
function localWeekday(now: number, timeZone: string): number {
  const name = new Intl.DateTimeFormat("en-US", { timeZone, weekday: "short" }).format(now);
  return Math.max(0, WEEKDAYS.indexOf(name));
}

interface Created {
  id: number;
}

/**
 * Creates the building through the API: site (reused when one has the name), schedules, doors with their
 * controllers, access groups, people with cards and PINs. The client bounds the concurrency.
 */
export async function seedBuilding(
  client: ApiClient,
  layout: Layout,
  options: { siteName: string; timeZone: string; runId: string; now: number },
): Promise<Building> {
  const { runId } = options;
  const audited = new Map<string, Set<number>>();
  const own = (resource: string, id: number) => {
    const set = audited.get(resource) ?? new Set<number>();
    set.add(id);
    audited.set(resource, set);
    return id;
  };

  const existing = (await client.list<{ id: number; name: string; time_zone: string }>("sites")).find(
    (s) => s.name === options.siteName,
  );
  const site = existing
    ? { ...existing, reused: true }
    : {
        ...(await client.create<{ id: number; name: string; time_zone: string }>("sites", {
          name: options.siteName,
          time_zone: options.timeZone,
        })),
        reused: false,
      };
  if (!site.reused) own("site", site.id);
  const site_id = site.id;

  // The office schedule is what a real site has; people use the 24/7 one because the server judges
  // schedules by its own clock, which a compressed day does not move. The maintenance window is a
  // weekday three days from today, so the contractor is outside it for the whole run.
  const weekdays = [1, 2, 3, 4, 5].map((day) => ({ day, start: "08:00", end: "18:00" }));
  const always = [0, 1, 2, 3, 4, 5, 6].map((day) => ({ day, start: "00:00", end: "24:00" }));
  const maintenanceDay = (localWeekday(options.now, site.time_zone) + 3) % 7;
  const [office, allDay, maintenance] = await Promise.all([
    client.create<Created>("schedules", { site_id, name: `Office hours ${runId}`, windows: weekdays }),
    client.create<Created>("schedules", { site_id, name: `Always ${runId}`, windows: always }),
    client.create<Created>("schedules", {
      site_id,
      name: `Maintenance window ${runId}`,
      windows: [{ day: maintenanceDay, start: "02:00", end: "03:00" }],
    }),
  ]);
  for (const s of [office, allDay, maintenance]) own("schedule", s.id);

  const prefix = serialPrefix(options.siteName);
  const doors = await Promise.all(
    layout.doors.map(async (d) => {
      const door = await client.create<Created>("doors", {
        site_id,
        name: d.name,
        requires_pin: d.role === "server_room",
        unlock_duration_s: TIMERS.unlockDurationS,
        held_open_threshold_s: d.role === "server_room" ? TIMERS.serverRoomHeldOpenS : TIMERS.doorHeldOpenS,
        area:
          d.role === "entrance"
            ? { id: `building-${runId}`, direction: "entry" }
            : d.role === "exit"
              ? { id: `building-${runId}`, direction: "exit" }
              : null,
      });
      own("door", door.id);
      const serial = `${prefix}-${runId}-C${String(d.index + 1).padStart(2, "0")}`;
      const device = await client.create<Created>("devices", {
        site_id,
        serial_number: serial,
        name: `${d.name} controller`,
        kind: "controller",
        door_id: door.id,
        firmware_version: "4.2.0",
        ip_address: `10.20.0.${(d.index % 250) + 10}`,
        heartbeat_timeout_s: TIMERS.heartbeatTimeoutS,
      });
      own("controller", device.id);
      return { id: door.id, name: d.name, role: d.role, serial, deviceId: device.id };
    }),
  );
  const doorIds = (role: DoorRole) => doors.filter((d) => d.role === role).map((d) => d.id);

  const [staff, it, contractors, visitors] = await Promise.all([
    client.create<Created>("access-groups", {
      site_id,
      name: `Staff ${runId}`,
      schedule_id: allDay.id,
      door_ids: [...doorIds("entrance"), ...doorIds("exit"), ...doorIds("office")],
    }),
    client.create<Created>("access-groups", {
      site_id,
      name: `IT ${runId}`,
      schedule_id: allDay.id,
      door_ids: doorIds("server_room"),
    }),
    client.create<Created>("access-groups", {
      site_id,
      name: `Contractors ${runId}`,
      schedule_id: maintenance.id,
      door_ids: doorIds("server_room"),
    }),
    client.create<Created>("access-groups", {
      site_id,
      name: `Visitors ${runId}`,
      schedule_id: office.id,
      door_ids: [...doorIds("entrance"), ...doorIds("exit")],
    }),
  ]);
  for (const g of [staff, it, contractors, visitors]) own("access_group", g.id);
  const groupsOf: Record<PersonRole, number[]> = {
    staff: [staff.id],
    it: [staff.id, it.id],
    contractor: [contractors.id],
  };

  const users = new Set<number>();
  const credentials = new Set<number>();
  const people = await Promise.all(
    layout.people.map(async (p) => {
      const user = await client.create<Created>("users", {
        name: p.name,
        email: `person${p.index + 1}.${runId}@example.com`,
        group_ids: groupsOf[p.role],
      });
      users.add(user.id);
      own("user", user.id);
      const card = cardOf(runId, p.index);
      const created = await client.create<Created>("credentials", { kind: "card", card, user_id: user.id });
      credentials.add(created.id);
      own("credential", created.id);
      let pin: string | null = null;
      if (p.hasPin) {
        pin = pinOf(runId, p.index);
        const pinCredential = await client.create<Created>("credentials", {
          kind: "pin",
          pin,
          user_id: user.id,
        });
        credentials.add(pinCredential.id);
        own("credential", pinCredential.id);
      }
      return { id: user.id, name: p.name, card, cardId: created.id, pin };
    }),
  );

  return {
    runId,
    site: { id: site.id, name: site.name, time_zone: site.time_zone, reused: site.reused },
    doors,
    people,
    newCards: new Map(layout.people.map((p) => [p.index, cardOf(runId, layout.people.length + 1 + p.index)])),
    unknownCard: cardOf(runId, layout.people.length),
    owned: {
      site: site.id,
      doors: new Set(doors.map((d) => d.id)),
      serials: new Set(doors.map((d) => d.serial)),
      users,
      credentials,
      audited,
    },
  };
}
