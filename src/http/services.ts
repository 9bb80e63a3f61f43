// What the HTTP routes are given: the running server's parts, wired once in server.ts.
import type { ClusterSignals } from "../cluster/signals.js";
import type { Config } from "../config.js";
import type { Dispatcher } from "../delivery/dispatcher.js";
import type { WebhookCache } from "../delivery/webhook-cache.js";
import type { Ingest } from "../events/ingest.js";
import type { Clock } from "../lib/clock.js";
import type { Logger } from "../lib/logger.js";
import type { Metrics } from "../lib/metrics.js";
import type { GroupCommit } from "../store/group-commit.js";
import type { StoreHealth } from "../store/health.js";
import type { Store } from "../store/store.js";
import type { KeyAuthenticator } from "./auth.js";

export interface Services {
  config: Config;
  store: Store;
  commit: GroupCommit;
  ingest: Ingest;
  dispatcher: Dispatcher;
  webhooks: WebhookCache;
  auth: KeyAuthenticator;
  /** Tells other nodes about changes; a no-op on a single-process store. */
  cluster: ClusterSignals;
  health: StoreHealth;
  clock: Clock;
  metrics: Metrics;
  logger: Logger;
  /** False while starting, stopping, or while the database is unreachable. */
  ready(): boolean;
}
