// The dispatcher's view of webhook settings: read from the store, refreshed on change and when stale.
import type { Kysely } from "kysely";
import type { Clock } from "../lib/clock.js";
import type { Database } from "../store/schema.js";
import { listWebhooks, type Webhook } from "../store/webhooks.js";

export class WebhookCache {
  private byUid = new Map<number, Webhook>();
  private loadedAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    /** Changes made by other nodes are seen within this long. */
    private readonly maxAgeMs = 2000,
  ) {}

  get(uid: number): Webhook | undefined {
    return this.byUid.get(uid);
  }

  /** Like get, but a miss reloads first: the webhook may be newer than the cache. */
  async find(uid: number): Promise<Webhook | undefined> {
    const hit = this.byUid.get(uid);
    if (hit) return hit;
    await this.reload();
    return this.byUid.get(uid);
  }

  /** Applies a change made by this node at once, without waiting for a reload. */
  put(webhook: Webhook): void {
    this.byUid.set(webhook.uid, webhook);
  }

  remove(uid: number): void {
    this.byUid.delete(uid);
  }

  async reload(): Promise<void> {
    const all = await listWebhooks(this.db);
    this.byUid = new Map(all.map((w) => [w.uid, w]));
    this.loadedAt = this.clock.now();
  }

  async refreshIfStale(): Promise<void> {
    if (this.clock.now() - this.loadedAt >= this.maxAgeMs) await this.reload();
  }
}
