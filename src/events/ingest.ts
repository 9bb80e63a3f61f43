// Ingest: one transaction stores the events and one delivery row per matching active webhook, then hands the
// deliveries to the dispatcher. Nothing is acknowledged before that transaction is durable.

import type { Dispatcher } from "../delivery/dispatcher.js";
import type { Clock } from "../lib/clock.js";
import { newEventId } from "../lib/ids.js";
import type { Metrics } from "../lib/metrics.js";
import { type ClaimedDelivery, insertDeliveries, type NewDelivery } from "../store/deliveries.js";
import {
  allocateSequences,
  existingEventIds,
  insertEvents,
  type NewEvent,
  type StoredEvent,
} from "../store/events.js";
import type { BatchContext, GroupCommit, WriteKeys } from "../store/group-commit.js";
import { listActiveWebhooks, type Webhook } from "../store/webhooks.js";
import { eventDataIssues } from "./data-schemas.js";
import { webhooksFor } from "./fanout.js";
import { serialisedData } from "./schema.js";

export interface EventIn {
  type: string;
  id?: string;
  timestamp?: string;
  site_id?: number | null;
  data: Record<string, unknown>;
}

export interface Accepted {
  id: string;
  /** The id was seen before: stored and fanned out then, not now. */
  duplicate: boolean;
}

export interface IngestDeps {
  commit: GroupCommit;
  dispatcher: Dispatcher;
  clock: Clock;
  metrics: Metrics;
  owner: string;
  leaseMs: number;
}

/** An event on its way in: its id given (or minted) and its data serialised (the object kept for fan-out). */
type Incoming = EventIn & { id: string; data_json: string };

/** A change to the store and the events it causes; run inside one group-commit transaction. */
export type Change<T> = (ctx: BatchContext) => Promise<{ value: T; events: EventIn[] }>;

export interface Applied<T> {
  value: T;
  accepted: Accepted[];
}

interface Written {
  accepted: Accepted[];
  claimed: ClaimedDelivery[];
  granted: number;
}

/** One request's events in a gathered write, and how to answer it. */
interface Part {
  events: Incoming[];
  clientIds: string[];
  resolve(accepted: Accepted[]): void;
  reject(error: unknown): void;
}

export class Ingest {
  /** Requests whose write has not started yet: the next ones join them (see writeGathered). */
  private gathering: Part[] | null = null;

  constructor(private readonly deps: IngestDeps) {}

  /**
   * Stores the events and their deliveries durably. `onlyTo` sends them to that one webhook whatever
   * its subscriptions (the test send); otherwise every active webhook whose event types match gets one,
   * and the requests that arrive before this one's write starts are written with it (see writeGathered).
   */
  async accept(input: EventIn[], onlyTo?: Webhook): Promise<Accepted[]> {
    // `data` is serialised once, here: the same text is stored and sent in every delivery's body.
    const events = prepare(input);
    // Only an id the client gave can have been seen before: one minted here is new, so it needs no lookup.
    const clientIds = input.flatMap((e) => (e.id === undefined ? [] : [e.id]));
    if (onlyTo) return this.acceptAlone(events, clientIds, onlyTo);
    return new Promise((resolve, reject) => {
      const part: Part = { events, clientIds, resolve, reject };
      if (this.gathering) return void this.gathering.push(part);
      this.gathering = [part];
      void this.writeGathered(this.gathering);
    });
  }

  /**
   * Writes the accepts gathered in `parts` as one: one set of statements however many requests a burst
   * brings (on PostgreSQL each is a round trip while the batch holds its sites' locks). Requests join until
   * the batch starts and locks their sites. Should the write fail, each request is written again alone, so
   * one bad request does not fail the others.
   */
  private async writeGathered(parts: Part[]): Promise<void> {
    const events = () => parts.flatMap((p) => p.events);
    const close = () => {
      if (this.gathering === parts) this.gathering = null;
      return siteKeysOf(events());
    };
    try {
      const { accepted } = await this.commit(
        close,
        eventsToWrite(events, () => parts.flatMap((p) => p.clientIds)),
        undefined,
      );
      let at = 0;
      for (const p of parts) {
        p.resolve(accepted.slice(at, at + p.events.length));
        at += p.events.length;
      }
    } catch (error) {
      if (this.gathering === parts) this.gathering = null;
      if (parts.length === 1) return void parts[0]?.reject(error);
      // Written again, so every id may exist, minted ones too: the failed write may have committed after all.
      for (const p of parts)
        this.acceptAlone(
          p.events,
          p.events.map((e) => e.id),
        ).then(p.resolve, p.reject);
    }
  }

  /** `mayExist` are the ids to look up first: the client's, or every id when this writes events again. */
  private async acceptAlone(events: Incoming[], mayExist: string[], onlyTo?: Webhook): Promise<Accepted[]> {
    const { accepted } = await this.commit(
      siteKeysOf(events),
      eventsToWrite(
        () => events,
        () => mayExist,
      ),
      onlyTo,
    );
    return accepted;
  }

  /**
   * Runs a change to the store and stores the events it causes in the same transaction, so a change is
   * never seen without its events nor an event without its change. `sites` are the sites (null: none) the
   * change may emit events for; they are locked before it runs, which serialises changes per site.
   */
  async apply<T>(sites: ReadonlyArray<number | null>, change: Change<T>): Promise<Applied<T>> {
    const allowed = new Set(sites.map((site) => site ?? 0));
    return this.commit(
      [...allowed],
      async (ctx) => {
        const { value, events } = await change(ctx);
        const stray = events.find((e) => !allowed.has(e.site_id ?? 0));
        if (stray) throw new Error(`a change emitted ${stray.type} for undeclared site ${stray.site_id}`);
        // What Gatehouse emits itself meets the same schemas as what clients post: a mismatch is our bug.
        for (const e of events) {
          const [issue] = eventDataIssues(e.type, e.data);
          if (issue) throw new Error(`${e.type} data: ${issue.path.join(".")}: ${issue.message}`);
        }
        return { value, events: prepare(events), mayExist: [] };
      },
      undefined,
    );
  }

  private async commit<T>(
    siteKeys: WriteKeys,
    produce: (
      ctx: BatchContext,
      run: number,
    ) => Promise<{ value: T; events: Incoming[]; mayExist: string[] }>,
    onlyTo: Webhook | undefined,
  ): Promise<Applied<T>> {
    let granted = 0;
    let runs = 0;
    try {
      const written = await this.deps.commit.submit(
        async (ctx) => {
          // A batch that failed is retried write by write: give back what the failed run reserved.
          this.deps.dispatcher.unreserve(granted);
          granted = 0;
          const { value, events, mayExist } = await produce(ctx, ++runs);
          const out = await this.write(ctx, events, mayExist, onlyTo, (n) => {
            granted = this.deps.dispatcher.reserve(n);
            return granted;
          });
          return { ...out, value };
        },
        siteKeys,
        // The deliveries may leave once committed; the caller hears of it once the commit is durable (ADR 0005).
        (committed) => {
          this.deps.dispatcher.handOff(committed.claimed, committed.granted);
          granted = 0;
        },
      );
      const dupes = written.accepted.filter((a) => a.duplicate).length;
      this.deps.metrics.eventsIngested.inc({ result: "new" }, written.accepted.length - dupes);
      if (dupes > 0) this.deps.metrics.eventsIngested.inc({ result: "duplicate" }, dupes);
      return { value: written.value, accepted: written.accepted };
    } catch (error) {
      this.deps.dispatcher.unreserve(granted);
      throw error;
    }
  }

  private async write(
    ctx: BatchContext,
    events: Incoming[],
    mayExist: string[],
    onlyTo: Webhook | undefined,
    reserve: (n: number) => number,
  ): Promise<Written> {
    const { trx } = ctx;
    const now = this.deps.clock.now();
    const seen =
      mayExist.length > 0 ? await existingEventIds(trx, [...new Set(mayExist)]) : new Set<string>();
    const accepted: Accepted[] = [];
    const fresh: Incoming[] = [];
    for (const e of events) {
      accepted.push({ id: e.id, duplicate: seen.has(e.id) });
      if (!seen.has(e.id)) {
        seen.add(e.id); // a repeat inside one request counts once too
        fresh.push(e);
      }
    }
    if (fresh.length === 0) return { accepted, claimed: [], granted: 0 };

    const rows = await this.withSequences(ctx, fresh, now);
    const positions = await insertEvents(trx, rows);
    const stored: StoredEvent[] = rows.map((r, i) => ({ ...r, position: positions[i] as number }));

    const webhooks = onlyTo ? [onlyTo] : await ctx.once("active-webhooks", () => listActiveWebhooks(trx));
    const pairs: Array<{ event: StoredEvent; webhook: Webhook }> = [];
    stored.forEach((event, i) => {
      const data = (fresh[i] as Incoming).data;
      const subject = { type: event.type, site_id: event.site_id, data };
      for (const webhook of onlyTo ? [onlyTo] : webhooksFor(subject, webhooks))
        pairs.push({ event, webhook });
    });
    if (pairs.length === 0) return { accepted, claimed: [], granted: 0 };

    const granted = reserve(pairs.length);
    const leaseUntil = now + this.deps.leaseMs;
    const newRows: NewDelivery[] = pairs.map((p, i) => ({
      event_position: p.event.position,
      webhook_uid: p.webhook.uid,
      next_attempt_at: now,
      // What memory takes is leased to this node at birth; the rest waits in the store for a poll.
      locked_until: i < granted ? leaseUntil : 0,
      locked_by: i < granted ? this.deps.owner : null,
    }));
    const ids = await insertDeliveries(trx, newRows, now);
    const claimed: ClaimedDelivery[] = [];
    for (let i = 0; i < granted; i++) {
      const p = pairs[i] as { event: StoredEvent; webhook: Webhook };
      claimed.push({
        id: ids[i] as number,
        webhook_uid: p.webhook.uid,
        attempt_count: 0,
        lease_until: leaseUntil,
        event: p.event,
      });
    }
    return { accepted, claimed, granted };
  }

  /** Gives each event the next number of its site's sequence: one statement for all the sites of the batch. */
  private async withSequences(ctx: BatchContext, events: Incoming[], now: number): Promise<NewEvent[]> {
    const bySite = new Map<number, number>();
    for (const e of events) bySite.set(e.site_id ?? 0, (bySite.get(e.site_id ?? 0) ?? 0) + 1);
    const next = await allocateSequences(ctx.trx, bySite);
    const recordedIso = new Date(now).toISOString();
    return events.map((e) => {
      const site = e.site_id ?? 0;
      const sequence = next.get(site) as number;
      next.set(site, sequence + 1);
      return {
        id: e.id,
        type: e.type,
        timestamp: e.timestamp ?? recordedIso,
        recorded_at: now,
        site_id: e.site_id ?? null,
        sequence,
        data_json: e.data_json,
      };
    });
  }
}

/**
 * What a write of these events produces. Its first run looks up `mayExist` only (an id minted here is new);
 * a rerun looks up every id, minted ones too, in case the failed run had committed after all.
 */
function eventsToWrite(events: () => Incoming[], mayExist: () => string[]) {
  return async (_ctx: BatchContext, run: number) => {
    const all = events();
    return { value: undefined, events: all, mayExist: run === 1 ? mayExist() : all.map((e) => e.id) };
  };
}

/** Gives each event its id (minted unless the client gave one) and serialises its data once. */
function prepare(input: EventIn[]): Incoming[] {
  return input.map((e) => ({ ...e, id: e.id ?? newEventId(), data_json: serialisedData(e.data) }));
}

/** The sequence rows a write will allocate from (0 stands for events without a site). */
function siteKeysOf(events: ReadonlyArray<{ site_id?: number | null }>): number[] {
  return [...new Set(events.map((e) => e.site_id ?? 0))];
}
