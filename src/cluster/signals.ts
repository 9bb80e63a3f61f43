// Cross-node signals: a node that changes settings or leaves work in the store tells the others at once.
import type { Logger } from "../lib/logger.js";
import type { ClusterTopic, ListenNotify } from "../store/dialect.js";

export type TopicHandlers = Record<ClusterTopic, () => void | Promise<void>>;

export class ClusterSignals {
  private unlisten: (() => Promise<void>) | null = null;

  constructor(
    /** Absent on a single-process store: there is no one else to tell. */
    private readonly channel: ListenNotify | undefined,
    private readonly handlers: TopicHandlers,
    private readonly logger: Logger,
  ) {}

  async start(): Promise<void> {
    if (!this.channel) return;
    this.unlisten = await this.channel.listen((topic) => {
      Promise.resolve(this.handlers[topic]()).catch((error) =>
        this.logger.warn({ err: error, topic }, "could not act on a cluster signal"),
      );
    });
  }

  /** Tells the other nodes (and, harmlessly, this one). Best effort: each node also polls. */
  announce(topic: ClusterTopic): void {
    this.channel
      ?.notify(topic)
      .catch((error) => this.logger.warn({ err: error, topic }, "could not notify other nodes"));
  }

  async stop(): Promise<void> {
    await this.unlisten?.();
    this.unlisten = null;
  }
}
