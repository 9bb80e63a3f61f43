// The dispatcher: takes leased deliveries (handed over after ingest, or claimed from the store), sends them with
// bounded concurrency overall and per webhook, and records each attempt. The store is the truth; memory is the fast path.
import type { DeliveryConfig } from "../config.js";
import type { Clock } from "../lib/clock.js";
import { Fifo } from "../lib/fifo.js";
import type { Logger } from "../lib/logger.js";
import type { Metrics } from "../lib/metrics.js";
import {
  type ClaimedDelivery,
  claimDueDeliveries,
  extendLease,
  releaseLeases,
  renewLeases,
} from "../store/deliveries.js";
import type { GroupCommit } from "../store/group-commit.js";
import type { Store } from "../store/store.js";
import type { Webhook } from "../store/webhooks.js";
import { AttemptRecorder } from "./attempt-recorder.js";
import { TemplateOutOfTimeError } from "./formats/template.js";
import { decideOutcome, type Outcome } from "./outcome.js";
import { buildRequest, type OutgoingRequest } from "./request.js";
import type { RequestSender, SendResult } from "./request-sender.js";
import type { WebhookCache } from "./webhook-cache.js";

export interface DispatcherDeps {
  store: Store;
  commit: GroupCommit;
  sender: RequestSender;
  webhooks: WebhookCache;
  clock: Clock;
  config: DeliveryConfig;
  metrics: Metrics;
  logger: Logger;
  /** The lease owner name of this process. */
  owner: string;
  /** Called after a 410 Gone: the webhook is to be disabled and the fact announced. */
  onGone(webhook: Webhook): Promise<void>;
  /** Called after a commit that left deliveries in the store for lack of room here: others may take them. */
  onOverflow?(): void;
}

export class Dispatcher {
  private readonly queues = new Map<number, Fifo<ClaimedDelivery>>();
  /** Webhooks with queued work and a free slot, in round-robin order. */
  private readonly ready = new Set<number>();
  private readonly inFlightPer = new Map<number, number>();
  /** Every delivery this process holds in memory, queued or in flight. */
  private readonly held = new Map<number, ClaimedDelivery>();
  private inFlight = 0;
  private reserved = 0;
  private pollTimer: NodeJS.Timeout | null = null;
  private nextPollAt = Number.POSITIVE_INFINITY;
  private polling: Promise<void> | null = null;
  private storeMayHaveMore = true;
  /** No held lease needs renewing before this time (see renewHeldLeases). */
  private renewalDueAt = 0;
  /** reserve() turned work away since the last hand-off; announced once that commit is done. */
  private overflowed = false;
  private stopping = false;
  private idleWaiters: Array<() => void> = [];
  private readonly recorder: AttemptRecorder;

  constructor(private readonly deps: DispatcherDeps) {
    this.recorder = new AttemptRecorder(deps.commit, deps.clock);
  }

  start(): void {
    this.wakeAt(0);
  }

  /** How many of `count` new deliveries memory can take; the caller leases that many at insert. */
  reserve(count: number): number {
    if (this.stopping) return 0;
    const room = this.deps.config.maxQueued - this.held.size - this.reserved;
    const granted = Math.max(0, Math.min(count, room));
    this.reserved += granted;
    if (granted < count) {
      this.storeMayHaveMore = true;
      this.overflowed = true;
    }
    return granted;
  }

  /** Hands over deliveries leased at insert; `reserved` is what reserve() granted for them. */
  handOff(deliveries: ClaimedDelivery[], reserved: number): void {
    this.reserved -= reserved;
    for (const d of deliveries) this.enqueue(d);
    if (reserved > deliveries.length) this.storeMayHaveMore = true;
    if (this.overflowed) {
      this.overflowed = false;
      this.deps.onOverflow?.();
    }
    this.pump();
  }

  /** Gives back a reservation whose deliveries were never committed. */
  unreserve(count: number): void {
    this.reserved -= count;
  }

  /** Looks in the store soon: called when work was written that memory did not take. */
  wakeAt(at: number): void {
    if (this.stopping) return;
    const when = Math.max(at, this.deps.clock.now());
    if (when >= this.nextPollAt) return;
    if (this.pollTimer) clearTimeout(this.pollTimer);
    this.nextPollAt = when;
    this.pollTimer = setTimeout(() => this.runPoll(), Math.max(0, when - this.deps.clock.now()));
    this.pollTimer.unref();
  }

  /** This process holds the delivery in memory (queued or in flight). */
  isHeld(id: number): boolean {
    return this.held.has(id);
  }

  /** Stops taking work, waits (up to the drain timeout) for requests under way, and frees unstarted leases. */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.pollTimer) clearTimeout(this.pollTimer);
    if (this.polling) await this.polling;
    const unstarted = [...this.queues.values()].flatMap((q) => q.toArray());
    this.queues.clear();
    this.ready.clear();
    for (const d of unstarted) this.held.delete(d.id);
    if (!(await this.waitIdle(this.deps.config.drainTimeoutMs))) {
      // Past the drain timeout: abort what is still under way. Each aborted attempt is recorded as a
      // network error, so the delivery is sent again after the restart.
      this.deps.logger.warn(
        { inFlight: this.inFlight },
        "drain timeout: aborting deliveries still in flight",
      );
      await this.deps.sender.destroy();
      await this.waitIdle(5_000);
    }
    await this.recorder.flush();
    await this.deps.commit.flush();
    await releaseLeases(
      this.deps.store.db,
      unstarted.map((d) => d.id),
      this.deps.owner,
    ).catch((error) =>
      this.deps.logger.warn({ err: error }, "could not free leases on stop; they will expire"),
    );
  }

  /** Resolves true once nothing is in flight, or false when `ms` passes first. */
  private waitIdle(ms: number): Promise<boolean> {
    if (this.inFlight === 0) return Promise.resolve(true);
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), ms);
      this.idleWaiters.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  private enqueue(d: ClaimedDelivery): void {
    if (this.held.has(d.id)) return;
    this.held.set(d.id, d);
    let q = this.queues.get(d.webhook_uid);
    if (!q) {
      q = new Fifo();
      this.queues.set(d.webhook_uid, q);
    }
    q.push(d);
    if ((this.inFlightPer.get(d.webhook_uid) ?? 0) < this.deps.config.maxInFlightPerWebhook) {
      this.ready.add(d.webhook_uid);
    }
    this.deps.metrics.queued.set(this.held.size - this.inFlight);
  }

  private pump(): void {
    while (!this.stopping && this.inFlight < this.deps.config.maxInFlight && this.ready.size > 0) {
      const uid = this.ready.values().next().value as number;
      this.ready.delete(uid);
      const q = this.queues.get(uid);
      const job = q?.shift();
      if (!q || !job) continue;
      if (q.length === 0) this.queues.delete(uid);
      const running = (this.inFlightPer.get(uid) ?? 0) + 1;
      this.inFlightPer.set(uid, running);
      this.inFlight++;
      if (q.length > 0 && running < this.deps.config.maxInFlightPerWebhook) this.ready.add(uid);
      void this.run(job).finally(() => this.finished(uid));
    }
    this.deps.metrics.inFlight.set(this.inFlight);
    this.deps.metrics.queued.set(this.held.size - this.inFlight);
  }

  private finished(uid: number): void {
    this.inFlight--;
    const running = (this.inFlightPer.get(uid) ?? 1) - 1;
    if (running === 0) this.inFlightPer.delete(uid);
    else this.inFlightPer.set(uid, running);
    if (this.queues.has(uid)) this.ready.add(uid);
    if (this.inFlight === 0) for (const w of this.idleWaiters.splice(0)) w();
    if (this.storeMayHaveMore && this.held.size < this.deps.config.maxQueued / 2) this.wakeAt(0);
    this.pump();
  }

  private async run(job: ClaimedDelivery): Promise<void> {
    const { clock, config, store, owner } = this.deps;
    try {
      const webhook = await this.deps.webhooks.find(job.webhook_uid);
      if (!webhook) {
        this.held.delete(job.id); // deleted with its deliveries
        return;
      }
      if (webhook.status !== "active") {
        // Disabled webhooks keep their pending deliveries; they go out if it is enabled again.
        await releaseLeases(store.db, [job.id], owner);
        this.held.delete(job.id);
        return;
      }
      let now = clock.now();
      if (job.lease_until - now < webhook.timeout + 5_000) {
        const until = now + config.leaseMs;
        if (!(await extendLease(store.db, job.id, owner, until))) {
          this.held.delete(job.id); // another worker took it over
          return;
        }
        job.lease_until = until;
      }
      const attempt = job.attempt_count + 1;
      const built = buildOrExplain(webhook, job.event, now, attempt);
      const request = built.request;
      // A body the webhook's format cannot render (a template that fails on this event) is not sent: retrying
      // the same event through the same template cannot help, so it ends like a refusal. A render that only
      // ran out of time may pass next time, so that one is retried like a network error.
      const result: SendResult = built.error
        ? { durationMs: 0, error: built.error, refused: !built.retryable }
        : await this.deps.sender.send(request, webhook.timeout);
      now = clock.now();
      const outcome = decideOutcome(
        attempt,
        {
          status: result.status,
          retryAfter: result.headers?.["retry-after"],
          error: result.error,
          refused: result.refused,
        },
        {
          maxRetries: webhook.max_retries,
          retryScheduleMs: config.retryScheduleMs,
          maxRetryAfterMs: config.maxRetryAfterMs,
        },
        now,
      );
      this.deps.metrics.deliveries.inc({ outcome: outcome.kind });
      this.deps.metrics.attemptDuration.observe(result.durationMs / 1000);
      const nextAt = outcome.kind === "retry" ? now + outcome.delayMs : now;
      // The slot is free once the response is in; the record commits with its neighbours.
      void this.recorder
        .record({
          attempt: {
            delivery_id: job.id,
            attempt_number: attempt,
            started_at: now - result.durationMs,
            duration_ms: result.durationMs,
            request_url: request.url,
            request_headers: request.recordedHeaders,
            // The event in the gatehouse format is rendered again by the store rather than kept twice.
            request_body: request.bodyIsEnvelope ? null : request.body,
            response_status: result.status ?? null,
            response_headers: result.headers ?? null,
            response_body: result.body ?? null,
            error: result.error ?? errorFor(outcome, result.status),
            outcome: outcome.kind,
          },
          update: { status: statusAfter(outcome), next_attempt_at: nextAt },
        })
        .then(() => {
          this.held.delete(job.id);
          if (outcome.kind === "retry") this.wakeAt(nextAt);
          if (outcome.kind === "gone") return this.deps.onGone(webhook);
        })
        .catch((error) => {
          // The lease will expire and the delivery be tried again: at-least-once holds.
          this.held.delete(job.id);
          this.deps.logger.error({ err: error, delivery: job.id }, "could not record a delivery attempt");
        });
      this.deps.logger.debug(
        { delivery: job.id, webhook: webhook.uid, attempt, status: result.status, outcome: outcome.kind },
        "delivery attempt",
      );
    } catch (error) {
      this.held.delete(job.id);
      this.deps.logger.error({ err: error, delivery: job.id }, "delivery attempt failed unexpectedly");
    }
  }

  private runPoll(): void {
    this.pollTimer = null;
    this.nextPollAt = Number.POSITIVE_INFINITY;
    if (this.stopping || this.polling) return;
    this.polling = this.poll()
      .catch((error) => this.deps.logger.error({ err: error }, "delivery poll failed; will try again"))
      .finally(() => {
        this.polling = null;
        if (this.stopping) return;
        // Straight back for more only when there is room to take it: with memory full, finished() wakes the
        // poll once room frees, and until then a poll could only renew leases, over and over.
        const soon = this.storeMayHaveMore && this.room() > 0;
        this.wakeAt(this.deps.clock.now() + (soon ? 0 : this.deps.config.pollIntervalMs));
      });
  }

  private async poll(): Promise<void> {
    const { clock, config, store, owner } = this.deps;
    await this.deps.webhooks.refreshIfStale();
    await this.renewHeldLeases();
    const room = this.room();
    if (room <= 0) return;
    const limit = Math.min(room, 1000);
    const claimed = await claimDueDeliveries(store.db, store.adapter, {
      now: clock.now(),
      leaseMs: config.leaseMs,
      owner,
      limit,
    });
    this.storeMayHaveMore = claimed.length === limit;
    for (const d of claimed) this.enqueue(d);
    this.pump();
  }

  /** Deliveries memory can still take. */
  private room(): number {
    return this.deps.config.maxQueued - this.held.size - this.reserved;
  }

  /**
   * Queued work keeps its lease, so no other worker takes over what this one still means to send. Leases are
   * renewed in their second half; the scan over everything held (up to maxQueued) runs only once one may be
   * there. Work taken later has a lease of its own at least leaseMs/2 from renewal, so no scan is due before
   * the earliest held lease's second half or a quarter lease from now, whichever comes first.
   */
  private async renewHeldLeases(): Promise<void> {
    const { clock, config, store, owner } = this.deps;
    const now = clock.now();
    if (now < this.renewalDueAt) return;
    const half = config.leaseMs / 2;
    const expiring: ClaimedDelivery[] = [];
    let earliest = now + config.leaseMs / 4 + half;
    for (const d of this.held.values()) {
      if (d.lease_until - now < half) expiring.push(d);
      else if (d.lease_until < earliest) earliest = d.lease_until;
    }
    this.renewalDueAt = earliest - half;
    if (expiring.length === 0) return;
    const until = now + config.leaseMs;
    const kept = await renewLeases(
      store.db,
      expiring.map((d) => d.id),
      owner,
      until,
    );
    for (const d of expiring) {
      if (kept.has(d.id)) d.lease_until = until;
    }
  }
}

function statusAfter(outcome: Outcome): "pending" | "succeeded" | "failed" {
  if (outcome.kind === "succeeded") return "succeeded";
  if (outcome.kind === "retry") return "pending";
  return "failed";
}

function errorFor(outcome: Outcome, status: number | undefined): string | null {
  if (outcome.kind === "gone") return "410 Gone: the receiver asked for this webhook to be disabled";
  if (outcome.kind === "succeeded") return null;
  return status === undefined ? null : `HTTP ${status}`;
}

/** The request for one attempt, or why the webhook's format could not render the event. */
function buildOrExplain(
  webhook: Webhook,
  event: Parameters<typeof buildRequest>[1],
  now: number,
  attempt: number,
): { request: OutgoingRequest; error?: string; retryable?: boolean } {
  try {
    return { request: buildRequest(webhook, event, now, attempt) };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const request = { url: webhook.url, headers: {}, recordedHeaders: {}, body: "", bodyIsEnvelope: false };
    return {
      request,
      error: `could not render the ${webhook.payload_format} body: ${message}`,
      retryable: error instanceof TemplateOutOfTimeError,
    };
  }
}
