// LISTEN/NOTIFY over PostgreSQL: idle nodes hear about new work and changed settings without tight polling.
import pg from "pg";
import type { ClusterTopic, ListenNotify } from "../dialect.js";

const CHANNEL = "gatehouse";
const TOPICS: ReadonlySet<string> = new Set<ClusterTopic>(["work", "webhooks", "api_keys"]);

export function postgresListenNotify(
  url: string,
  pool: pg.Pool,
  onError: (error: Error) => void,
): ListenNotify {
  return {
    notify: async (topic) => {
      await pool.query("select pg_notify($1, $2)", [CHANNEL, topic]);
    },
    listen: async (onTopic) => {
      let client: pg.Client | null = null;
      let stopped = false;
      let retryMs = 250;
      let timer: NodeJS.Timeout | null = null;

      const connect = async (): Promise<void> => {
        const c = new pg.Client({ connectionString: url, application_name: "gatehouse-listen" });
        c.on("notification", (msg) => {
          if (msg.payload && TOPICS.has(msg.payload)) onTopic(msg.payload as ClusterTopic);
        });
        c.on("error", (error) => {
          onError(error);
          reconnectLater();
        });
        c.on("end", () => reconnectLater());
        await c.connect();
        await c.query(`listen ${CHANNEL}`);
        client = c;
        retryMs = 250;
        // Whatever was announced while this node was not listening is found by asking the store.
        onTopic("work");
        onTopic("webhooks");
        onTopic("api_keys");
      };

      const reconnectLater = () => {
        if (stopped || timer) return;
        const old = client;
        client = null;
        old?.removeAllListeners("end");
        void old?.end().catch(() => {});
        timer = setTimeout(() => {
          timer = null;
          connect().catch((error: Error) => {
            onError(error);
            retryMs = Math.min(retryMs * 2, 10_000);
            reconnectLater();
          });
        }, retryMs);
        timer.unref();
      };

      await connect();
      return async () => {
        stopped = true;
        if (timer) clearTimeout(timer);
        const c = client;
        client = null;
        c?.removeAllListeners("end");
        await c?.end().catch(() => {});
      };
    },
  };
}
