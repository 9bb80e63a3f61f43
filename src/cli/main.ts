// The `gatehouse` command line: serve and migrate.
import { Command, InvalidArgumentError } from "commander";
import { loadConfig } from "../config.js";
import { VERSION } from "../lib/version.js";
import { runMigrate } from "./migrate.js";
import { runServe } from "./serve.js";

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new InvalidArgumentError("must be a port number 0–65535");
  return n;
}

const program = new Command()
  .name("gatehouse")
  .description("Durable, signed webhooks for physical access control events")
  .version(VERSION);

program
  .command("serve")
  .description("run the API and the delivery engine")
  .option("-p, --port <port>", "port to listen on (0 picks a free one)", port)
  .option("--host <host>", "address to listen on")
  .option("--data <dir>", "data directory for the embedded SQLite store")
  .option("--database <url>", "a postgres:// URL instead of embedded SQLite")
  .option("--allow-private-targets", "allow deliveries to loopback and private addresses")
  .action(async (opts) => {
    await runServe(loadConfig(opts));
  });

program
  .command("migrate")
  .description("apply database migrations and exit")
  .option("--data <dir>", "data directory for the embedded SQLite store")
  .option("--database <url>", "a postgres:// URL instead of embedded SQLite")
  .action(async (opts) => {
    await runMigrate(loadConfig(opts));
  });

program.parseAsync(process.argv).catch((error: unknown) => {
  process.stderr.write(`gatehouse: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
