// The `gatehouse` command line: serve, migrate, simulate and listen.
import { Command, InvalidArgumentError, Option } from "commander";
import { loadConfig } from "../config.js";
import { SIGNATURE_SCHEMES } from "../delivery/signing/index.js";
import { VERSION } from "../lib/version.js";
import { collect, httpUrl, runListen, seconds, statusCode } from "./listen.js";
import { runMigrate } from "./migrate.js";
import { runServe } from "./serve.js";
import { parseDuration, positiveInt, positiveNumber, runSimulate, seedValue } from "./simulate.js";

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

program
  .command("simulate")
  .description(
    "seed a building through the public API, then play a working day against it through the device and access APIs",
  )
  .requiredOption("--url <url>", "the Gatehouse server, e.g. http://127.0.0.1:8080")
  .option("--key <key>", "an admin API key (default: $GATEHOUSE_API_KEY, else $GATEHOUSE_ADMIN_KEY)")
  .option("--site <name>", "the site to create (or reuse, when one has this name)", "Simulated HQ")
  .option("--time-zone <zone>", "the site's IANA time zone", "UTC")
  .option("--people <n>", "people, each with a card (at least 5)", positiveInt, 50)
  .option("--doors <n>", "doors, each with a controller (at least 4)", positiveInt, 6)
  .option(
    "--speed <x>",
    "simulated time runs at least this many times faster than real time",
    positiveNumber,
    60,
  )
  .addOption(
    new Option(
      "--duration <time>",
      'real time the day may take, e.g. "30s", "5m", "1h"; the day is compressed to fit (at least 20s)',
    )
      .argParser(parseDuration)
      .default(parseDuration("5m"), '"5m"'),
  )
  .option("--seed <n>", "plan the same day again (a run prints its seed)", seedValue)
  .option("--json", "print the summary as JSON on stdout")
  .addHelpText(
    "after",
    "\nThe simulator uses only the public API. Progress goes to stderr, the summary to stdout. It exits non-zero\nwhen an API call failed or the server decided an access request otherwise than the plan expected.",
  )
  .action(async (opts) => {
    await runSimulate(opts);
  });

program
  .command("listen")
  .description(
    "a local receiver to build yours against: shows each delivery and whether its signature verifies",
  )
  .requiredOption("-p, --port <port>", "port to listen on (0 picks a free one)", port)
  .option("--host <host>", "address to listen on", "127.0.0.1")
  .addOption(
    new Option("--secret <secret>", "the webhook's secret; repeat it for both secrets of a rotation")
      .argParser(collect)
      .default([], "$GATEHOUSE_LISTEN_SECRET"),
  )
  .addOption(
    new Option("--scheme <scheme>", "the webhook's signature scheme")
      .choices(SIGNATURE_SCHEMES)
      .default("standard"),
  )
  .option("--status <code>", "the status to answer every request with", statusCode, 200)
  .option("--forward <url>", "also send each request, unchanged, on to this URL", httpUrl)
  .option(
    "--tolerance <seconds>",
    "how far a signed timestamp may be from now (standard, alocity)",
    seconds,
    300,
  )
  .option("--json", "print one JSON line per request instead of a readable block")
  .addHelpText(
    "after",
    "\nEach request is answered at once, then (with --forward) sent on; its block or line is printed when the\nforward has answered. The secret is never printed. Colours only on a terminal (and not with NO_COLOR).",
  )
  .action(async (opts) => {
    await runListen(opts);
  });

program.parseAsync(process.argv).catch((error: unknown) => {
  process.stderr.write(`gatehouse: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
