// Plays a planned day against the server: each action at its time (simulated time compressed into real
// time), one at a time per door and per person, so a passage never overlaps another at the same door.
import type { Building } from "./building.js";
import { ApiCallError, type ApiClient, sleep } from "./client.js";
import type { Action, DayPlan } from "./day.js";

/** How long a passage keeps the door open (real ms): a moment, far below any held-open threshold. */
const PASSAGE_OPEN_MS = 100;

export interface RunProgress {
  /** Simulated ms into the day of the last action started. */
  at: number;
  done: number;
  total: number;
  requests: number;
  failures: number;
}

export interface RunObserver {
  progress(state: RunProgress): void;
  note(message: string): void;
}

export interface RunOutcome {
  actions: number;
  /** Actions not started because the run reached its duration cap. */
  skipped: number;
  /** API calls that failed (after retries), with their messages (the first few). */
  errors: string[];
  /** Decisions the plan did not expect (a granted card refused, a refused card granted). */
  unexpected: string[];
}

/** Runs tasks one after another per key; a task with several keys waits for all of them. */
class KeyedSerial {
  private readonly tails = new Map<string, Promise<void>>();

  run(keys: string[], task: () => Promise<void>): Promise<void> {
    const before = keys.map((k) => this.tails.get(k) ?? Promise.resolve());
    const done = Promise.all(before).then(task);
    for (const k of keys) this.tails.set(k, done);
    return done;
  }
}

const keysOf = (a: Action): string[] => {
  switch (a.kind) {
    case "passage":
      return [`door:${a.door}`, `person:${a.person}`];
    case "unknown_card":
    case "forced":
      return [`door:${a.door}`];
    case "suspend":
    case "reactivate":
    case "add_card":
      return [`person:${a.person}`];
    case "heartbeat":
    case "device_event":
    case "device_silent":
      return [`device:${a.device}`];
  }
};

export async function runDay(
  client: ApiClient,
  building: Building,
  plan: DayPlan,
  observer: RunObserver,
  options: { capMs: number; now?: () => number } = { capMs: Number.POSITIVE_INFINITY },
): Promise<RunOutcome> {
  const now = options.now ?? (() => performance.now());
  const start = now();
  const serial = new KeyedSerial();
  const outcome: RunOutcome = { actions: plan.actions.length, skipped: 0, errors: [], unexpected: [] };
  const tasks: Promise<void>[] = [];
  let done = 0;
  let at = 0;
  const report = () =>
    observer.progress({
      at,
      done,
      total: plan.actions.length,
      requests: client.stats.requests,
      failures: client.stats.failures,
    });
  const ticker = setInterval(report, 250);

  try {
    for (const action of plan.actions) {
      const due = start + action.at / plan.ratio;
      const wait = due - now();
      if (wait > 0) await sleep(wait);
      if (now() - start > options.capMs) {
        outcome.skipped++;
        continue;
      }
      at = action.at;
      const task = serial.run(keysOf(action), async () => {
        try {
          await perform(client, building, action, outcome, observer);
        } catch (error) {
          if (!(error instanceof ApiCallError)) throw error;
          if (outcome.errors.length < 20) outcome.errors.push(error.message);
        } finally {
          done++;
        }
      });
      tasks.push(task);
    }
    await Promise.all(tasks);
  } finally {
    clearInterval(ticker);
    report();
  }
  return outcome;
}

async function perform(
  client: ApiClient,
  building: Building,
  action: Action,
  outcome: RunOutcome,
  observer: RunObserver,
): Promise<void> {
  const doorOf = (i: number) => building.doors[i] as Building["doors"][number];
  const personOf = (i: number) => building.people[i] as Building["people"][number];
  const contact = async (door: number, holdMs: number) => {
    const { serial } = doorOf(door);
    await client.deviceInput(serial, { input: "door_contact", state: "open" });
    await sleep(holdMs);
    await client.deviceInput(serial, { input: "door_contact", state: "closed" });
  };

  switch (action.kind) {
    case "heartbeat": {
      const { serial } = doorOf(action.device);
      await client.heartbeat(serial, { firmware_version: "4.2.0" });
      return;
    }
    case "device_silent":
      observer.note(`${doorOf(action.device).serial} stops sending heartbeats`);
      return;
    case "device_event":
      await client.deviceEvent(doorOf(action.device).serial, action.type, action.data);
      return;
    case "forced":
      observer.note(`${doorOf(action.door).name} forced open`);
      await contact(action.door, PASSAGE_OPEN_MS);
      return;
    case "unknown_card": {
      const answer = await client.accessRequest(doorOf(action.door).id, {
        kind: "card",
        card: building.unknownCard,
      });
      if (answer.granted) outcome.unexpected.push(`unknown card granted at ${doorOf(action.door).name}`);
      return;
    }
    case "suspend":
    case "reactivate":
      await client.patch("users", personOf(action.person).id, {
        status: action.kind === "suspend" ? "suspended" : "active",
      });
      return;
    case "add_card": {
      const card = building.newCards.get(action.person);
      if (!card) return;
      const created = await client.create<{ id: number }>("credentials", {
        kind: "card",
        card,
        user_id: personOf(action.person).id,
      });
      building.owned.credentials.add(created.id);
      building.owned.audited.get("credential")?.add(created.id);
      return;
    }
    case "passage": {
      const door = doorOf(action.door);
      const person = personOf(action.person);
      if (action.by === "exit_button") {
        await client.deviceInput(door.serial, { input: "exit_button" });
        await contact(action.door, PASSAGE_OPEN_MS);
        return;
      }
      const card = action.by === "new_card" ? building.newCards.get(action.person) : person.card;
      if (!card) return;
      const pin = door.role === "server_room" ? (person.pin ?? undefined) : undefined;
      const answer = await client.accessRequest(door.id, { kind: "card", card }, pin);
      if (answer.granted !== (action.expect === "granted")) {
        outcome.unexpected.push(
          `${person.name} at ${door.name}: ${answer.granted ? "granted" : `denied (${answer.reason})`}, expected ${action.expect}`,
        );
      }
      if (!answer.granted) return;
      if (action.holdOpenMs !== undefined) observer.note(`${door.name} held open by ${person.name}`);
      await contact(action.door, action.holdOpenMs ?? PASSAGE_OPEN_MS);
      return;
    }
  }
}
