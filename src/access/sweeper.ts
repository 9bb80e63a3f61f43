// The passing of time: relocking and held-open doors, devices gone silent, schedules opening and closing.
// Each node looks every second for what is due; each change re-checks under its site's lock, so two nodes
// never report the same thing twice.
import type { Ingest } from "../events/ingest.js";
import type { Clock } from "../lib/clock.js";
import type { Logger } from "../lib/logger.js";
import type { Store } from "../store/store.js";
import { checkDevice, dueDevices } from "./device-reports.js";
import { advanceDoorIfDue, dueDoors } from "./door-control.js";
import { getDoor } from "./doors.js";
import { checkSchedule, dueSchedules } from "./schedule-activity.js";

const BATCH = 200;

export class Sweeper {
  private timer: NodeJS.Timeout | null = null;
  /** The last sweep asked for; each one starts after the one before has finished. */
  private tail: Promise<void> = Promise.resolve();
  private busy = false;

  constructor(
    private readonly deps: { store: Store; ingest: Ingest; clock: Clock; logger: Logger; intervalMs: number },
  ) {}

  start(): void {
    // A tick while a sweep is still running is skipped rather than queued: the next tick sees the same work.
    this.timer = setInterval(() => {
      if (!this.busy) void this.sweep();
    }, this.deps.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.tail;
  }

  /** One look at everything due now (read after any sweep in progress); resolves when its changes have committed. */
  sweep(): Promise<void> {
    this.tail = this.tail.then(async () => {
      this.busy = true;
      try {
        await this.run();
      } catch (error) {
        this.deps.logger.warn({ err: error }, "door and device sweep failed; retrying next tick");
      } finally {
        this.busy = false;
      }
    });
    return this.tail;
  }

  private async run(): Promise<void> {
    const { store, ingest, clock } = this.deps;
    // `now` picks what is due; each change reads the clock again under its site's lock, so a door or device
    // never sees time run backwards behind a request that committed in between.
    const now = clock.now();
    const changes: Promise<unknown>[] = [];
    for (const { door_id, site_id } of await dueDoors(store.db, now, BATCH)) {
      changes.push(
        ingest.apply([site_id], async ({ trx }) => {
          const door = await getDoor(trx, door_id);
          return { value: undefined, events: door ? await advanceDoorIfDue(trx, door, clock.now()) : [] };
        }),
      );
    }
    for (const { id, site_id } of await dueDevices(store.db, now, BATCH)) {
      changes.push(
        ingest.apply([site_id], async ({ trx }) => ({
          value: undefined,
          events: await checkDevice(trx, id, clock.now()),
        })),
      );
    }
    for (const { id, site_id } of await dueSchedules(store.db, now, BATCH)) {
      changes.push(
        ingest.apply([site_id], async ({ trx }) => ({
          value: undefined,
          events: await checkSchedule(trx, id, clock.now()),
        })),
      );
    }
    await Promise.all(changes);
  }
}
