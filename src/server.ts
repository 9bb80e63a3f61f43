// Wires the parts into a running server: store, group commit, dispatcher, ingest and HTTP, and stops them in order.
import type { AddressInfo } from "node:net";
import { type ServerType, serve } from "@hono/node-server";
import { Sweeper } from "./access/sweeper.js";
import { ClusterSignals } from "./cluster/signals.js";
import type { Config } from "./config.js";
import { Dispatcher } from "./delivery/dispatcher.js";
import type { RequestSender } from "./delivery/request-sender.js";
import { Sender } from "./delivery/sender.js";
import { SenderThread } from "./delivery/sender-thread.js";
import { WebhookCache } from "./delivery/webhook-cache.js";
import { Ingest } from "./events/ingest.js";
import { createApp } from "./http/app.js";
import { KeyAuthenticator } from "./http/auth.js";
import type { Services } from "./http/services.js";
import { type Clock, systemClock } from "./lib/clock.js";
import { hashApiKey, newNodeId } from "./lib/ids.js";
import { createLogger, type Logger } from "./lib/logger.js";
import { Metrics } from "./lib/metrics.js";
import { insertApiKey } from "./store/api-keys.js";
import { countPendingDeliveries, releaseAllLeases } from "./store/deliveries.js";
import { lockSiteSequences } from "./store/events.js";
import { GroupCommit } from "./store/group-commit.js";
import { StoreHealth } from "./store/health.js";
import { openStore } from "./store/store.js";
import { updateWebhook, type Webhook } from "./store/webhooks.js";

export interface RunningServer {
  url: string;
  port: number;
  services: Services;
  /** Relocks, held-open doors and silent devices; tests with a manual clock call `sweep()` themselves. */
  sweeper: Sweeper;
  stop(): Promise<void>;
}

export async function startServer(
  config: Config,
  options: { clock?: Clock; logger?: Logger } = {},
): Promise<RunningServer> {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? createLogger(config.logLevel);
  const owner = newNodeId();
  const store = await openStore({
    dataDir: config.dataDir,
    databaseUrl: config.databaseUrl,
    poolSize: config.poolSize,
    onPoolError: (error) =>
      logger.warn({ err: error }, "a PostgreSQL connection failed; the pool will reconnect"),
    onCheckpointError: (error) =>
      logger.warn({ err: error }, "a background WAL checkpoint failed; SQLite will checkpoint on commit"),
  });
  if (store.adapter.singleProcess) {
    const freed = await releaseAllLeases(store.db);
    if (freed > 0)
      logger.info({ deliveries: freed }, "resuming deliveries left in flight by the previous run");
  }
  if (config.adminKey) {
    await insertApiKey(
      store.db,
      {
        name: "bootstrap admin (GATEHOUSE_ADMIN_KEY)",
        role: "admin",
        key_hash: hashApiKey(config.adminKey),
        key_prefix: config.adminKey.slice(0, 10),
      },
      clock.now(),
    );
  }

  const metrics = new Metrics(() => countPendingDeliveries(store.db));
  // Site locks order sequences and serialise a site's read-modify-writes across nodes. A single-process store
  // runs its transactions one after another on one connection already, so it needs none.
  const commit = new GroupCommit(store.db, 500, store.adapter.singleProcess ? undefined : lockSiteSequences);
  const webhooks = new WebhookCache(store.db, clock);
  await webhooks.reload();
  const senderOptions = {
    allowPrivateTargets: config.allowPrivateTargets,
    connectionsPerOrigin: config.delivery.maxInFlightPerWebhook,
  };
  // In a worker thread, the HTTP exchanges leave the main loop to ingest, validation and the store.
  const sender: RequestSender = config.senderThread
    ? new SenderThread(senderOptions)
    : new Sender(senderOptions);

  let ingest: Ingest | null = null;
  const onGone = async (webhook: Webhook) => {
    const reason = "the receiver answered 410 Gone";
    // Every request in flight when the receiver went away gets its own 410: only the one that moves the
    // webhook from active to disabled announces it.
    const updated = await updateWebhook(
      store.db,
      webhook.uid,
      { status: "disabled", disabled_reason: reason },
      clock.now(),
      "active",
    );
    if (!updated) return;
    webhooks.put(updated);
    cluster.announce("webhooks");
    logger.warn({ webhook: webhook.uid, url: webhook.url }, "webhook disabled: receiver answered 410 Gone");
    await ingest?.accept([
      {
        type: "webhook.disabled",
        data: { webhook: { uid: webhook.uid, name: webhook.name, url: webhook.url }, reason },
      },
    ]);
  };

  // Set once the cluster signals exist; onGone runs only after start-up.
  let cluster: ClusterSignals;
  const dispatcher = new Dispatcher({
    store,
    commit,
    sender,
    webhooks,
    clock,
    config: config.delivery,
    metrics,
    logger,
    owner,
    onGone,
    onOverflow: () => cluster.announce("work"),
  });
  ingest = new Ingest({ commit, dispatcher, clock, metrics, owner, leaseMs: config.delivery.leaseMs });
  const auth = new KeyAuthenticator(store.db, clock);
  cluster = new ClusterSignals(
    store.adapter.listenNotify,
    {
      work: () => dispatcher.wakeAt(0),
      webhooks: () => webhooks.reload(),
      api_keys: () => auth.forget(),
    },
    logger,
  );
  await cluster.start();
  const health = new StoreHealth(store, logger);
  health.start();
  let ready = false;
  const services: Services = {
    config,
    store,
    commit,
    ingest,
    dispatcher,
    webhooks,
    auth,
    cluster,
    health,
    clock,
    metrics,
    logger,
    ready: () => ready && health.ok,
  };
  const app = createApp(services);
  dispatcher.start();
  const sweeper = new Sweeper({ store, ingest, clock, logger, intervalMs: config.sweepIntervalMs });
  sweeper.start();

  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, () => resolve(s));
  });
  const port = (server.address() as AddressInfo).port;
  ready = true;
  logger.info(
    {
      port,
      host: config.host,
      store: store.adapter.name,
      node: owner,
      data: config.dataDir,
      senderThread: config.senderThread,
    },
    "gatehouse ready",
  );

  let stopping: Promise<void> | null = null;
  return {
    url: `http://${config.host.includes(":") ? `[${config.host}]` : config.host}:${port}`,
    port,
    services,
    sweeper,
    stop: () => {
      stopping ??= (async () => {
        ready = false;
        await new Promise<void>((resolve) => server.close(() => resolve()));
        health.stop();
        await sweeper.stop();
        await cluster.stop();
        await dispatcher.stop();
        await commit.flush();
        await sender.close();
        await store.close();
        logger.info("gatehouse stopped");
      })();
      return stopping;
    },
  };
}
