// `gatehouse serve`: start the server and stop it cleanly on SIGTERM or SIGINT.
import type { Config } from "../config.js";
import { createLogger } from "../lib/logger.js";
import { startServer } from "../server.js";

export async function runServe(config: Config): Promise<void> {
  const logger = createLogger(config.logLevel);
  const server = await startServer(config, { logger });
  if (!config.adminKey) {
    logger.warn(
      "no GATEHOUSE_ADMIN_KEY set: create one to use the API (e.g. GATEHOUSE_ADMIN_KEY=$(openssl rand -hex 24))",
    );
  }
  let signals = 0;
  const shutdown = (signal: string) => {
    signals++;
    if (signals > 1) {
      logger.warn({ signal }, "second signal: exiting without waiting");
      process.exit(1);
    }
    logger.info({ signal }, "draining in-flight deliveries before exit");
    server.stop().then(
      () => process.exit(0),
      (error) => {
        logger.error({ err: error }, "error while stopping");
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("SIGINT", () => shutdown("SIGINT"));
}
