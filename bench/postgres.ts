// PostgreSQL for the bench: the server (given, or found or started), a scratch database on it that is dropped
// afterwards, and the server's side of the work — its processes' CPU and what pg_stat_database counted.
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import pg from "pg";
import { findOrStartPostgres } from "../test/support/postgres-server.js";
import { processCpuMs } from "./cpu.js";

/** The server-wide processes that work on behalf of every database: counted with the bench database's backends. */
const SHARED_BACKENDS = ["walwriter", "checkpointer", "background writer"];

export interface PostgresServerInfo {
  /** Where the server came from: given with --database, or found or started by --database auto. */
  source: "given" | "env" | "local" | "embedded";
  /** host:port, no credentials. */
  host: string;
  version: string;
  /** The settings that decide what a commit costs. */
  settings: { fsync: string; synchronousCommit: string; walSyncMethod: string };
  /** The scratch database the run used, dropped afterwards. */
  database: string;
  /** Whether its server processes are readable in /proc, so their CPU can be counted. */
  cpuVisible: boolean;
}

/** What the server did over a whole Gatehouse run (warm-up included), from pg_stat_database and the WAL position. */
export interface PostgresActivity {
  /** Deliveries over the run, warm-up included: the divisor of the per-delivery figures. */
  deliveries: number;
  commits: number;
  rollbacks: number;
  rowsWritten: number;
  rowsRead: number;
  /** Time backends spent executing statements (PostgreSQL 14+), ms. */
  activeMs: number;
  /** Time backends sat inside an open transaction waiting for Gatehouse's next statement (14+), ms. */
  idleInTransactionMs: number;
  /** WAL written by the whole server over the run: other databases' writes are in it too. */
  walBytes: number;
}

export class BenchPostgres {
  private constructor(
    private readonly admin: pg.Client,
    private readonly adminUrl: string,
    readonly info: PostgresServerInfo,
    private readonly stopServer: () => Promise<void>,
  ) {}

  /**
   * `database` is "auto" or an admin URL (one allowed to create databases). Creates `gatehouse_bench_<random>`
   * on that server; nothing else on it is written.
   */
  static async open(database: string, log: (message: string) => void): Promise<BenchPostgres> {
    let adminUrl = database;
    let source: PostgresServerInfo["source"] = "given";
    let stopServer = async () => {};
    if (database === "auto") {
      const found = await findOrStartPostgres();
      ({ url: adminUrl, source } = found);
      stopServer = () => found.stop();
    }
    const admin = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 10_000 });
    // A server that drops the connection emits 'error'; without a listener that would crash the bench.
    admin.on("error", () => {});
    try {
      await admin.connect().catch((error: unknown) => {
        throw new PostgresSetupError(
          `--database: could not connect to ${new URL(adminUrl).host}: ${messageOf(error)}`,
        );
      });
      const name = `gatehouse_bench_${randomBytes(6).toString("hex")}`;
      const settings = await admin.query<{ name: string; setting: string }>(
        "select name, setting from pg_settings where name = any($1)",
        [["server_version", "fsync", "synchronous_commit", "wal_sync_method"]],
      );
      const setting = (n: string) => settings.rows.find((r) => r.name === n)?.setting ?? "?";
      const others = await admin.query<{ datname: string }>(
        "select datname from pg_database where datname like 'gatehouse\\_bench\\_%' order by datname",
      );
      if (others.rows.length > 0) {
        log(
          `other bench databases exist on this server (another bench running, or left by one that was killed): ` +
            others.rows.map((r) => r.datname).join(", "),
        );
      }
      await admin.query(`create database ${name}`).catch((error: unknown) => {
        throw new PostgresSetupError(
          `--database: could not create a scratch database on ${new URL(adminUrl).host}: ${messageOf(error)} ` +
            "(give the URL of a role allowed to create databases, e.g. postgres://postgres@127.0.0.1:5432/postgres)",
        );
      });
      const bench = new BenchPostgres(
        admin,
        adminUrl,
        {
          source,
          host: new URL(adminUrl).host,
          version: setting("server_version").split(" ")[0] ?? "?",
          settings: {
            fsync: setting("fsync"),
            synchronousCommit: setting("synchronous_commit"),
            walSyncMethod: setting("wal_sync_method"),
          },
          database: name,
          cpuVisible: false,
        },
        stopServer,
      );
      // Only a server on this machine can be looked up in /proc; elsewhere a pid might name anything here.
      const loopback = ["", "127.0.0.1", "localhost", "[::1]"].includes(new URL(adminUrl).hostname);
      bench.info.cpuVisible = loopback && (await bench.serverPids().catch(() => [])).some(isLocalPostgres);
      return bench;
    } catch (error) {
      await admin.end().catch(() => {});
      await stopServer();
      throw error;
    }
  }

  /** The scratch database's URL: the admin URL with the database name replaced. */
  get url(): string {
    const url = new URL(this.adminUrl);
    url.pathname = `/${this.info.database}`;
    return url.toString();
  }

  /** One line for people: no credentials. */
  describe(poolSize: number): string {
    const i = this.info;
    const where = i.source === "embedded" ? "embedded, started for this run" : `${i.source} server`;
    return (
      `PostgreSQL ${i.version} at ${i.host} (${where}; scratch database ${i.database}, dropped afterwards; ` +
      `fsync ${i.settings.fsync}, synchronous_commit ${i.settings.synchronousCommit}; pool ${poolSize})`
    );
  }

  /** The bench database's backends and the shared WAL writer, checkpointer and background writer. */
  async serverPids(): Promise<number[]> {
    const { rows } = await this.admin.query<{ pid: number }>(
      "select pid from pg_stat_activity where datname = $1 or backend_type = any($2)",
      [this.info.database, SHARED_BACKENDS],
    );
    return rows.map((r) => r.pid);
  }

  /** CPU ms so far of each server process working for the bench, by pid; null when /proc cannot see them. */
  async serverCpu(): Promise<Map<number, number> | null> {
    if (!this.info.cpuVisible) return null;
    const cpu = new Map<number, number>();
    for (const pid of await this.serverPids()) {
      const ms = processCpuMs(pid);
      if (Number.isFinite(ms) && isLocalPostgres(pid)) cpu.set(pid, ms);
    }
    return cpu;
  }

  /** The server's WAL position, to subtract. */
  async walLsn(): Promise<string> {
    const { rows } = await this.admin.query<{ lsn: string }>("select pg_current_wal_lsn()::text as lsn");
    return rows[0]?.lsn ?? "0/0";
  }

  /**
   * What pg_stat_database counted for the bench database, once Gatehouse has gone: backends hold their counts
   * back for up to 10 s while they live, and report them all when they exit.
   */
  async activitySince(walStart: string, deliveries: number): Promise<PostgresActivity> {
    const deadline = Date.now() + 5_000;
    while (Date.now() < deadline) {
      const { rows } = await this.admin.query<{ n: number }>(
        "select count(*)::int as n from pg_stat_activity where datname = $1",
        [this.info.database],
      );
      if ((rows[0]?.n ?? 0) === 0) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    await this.admin.query("select pg_stat_clear_snapshot()");
    const { rows } = await this.admin.query<Record<string, number | null>>(
      "select * from pg_stat_database where datname = $1",
      [this.info.database],
    );
    const s = rows[0] ?? {};
    const n = (key: string) => Number(s[key] ?? Number.NaN);
    const wal = await this.admin.query<{ bytes: string }>(
      "select pg_wal_lsn_diff(pg_current_wal_lsn(), $1::pg_lsn)::text as bytes",
      [walStart],
    );
    return {
      deliveries,
      commits: n("xact_commit"),
      rollbacks: n("xact_rollback"),
      rowsWritten: n("tup_inserted") + n("tup_updated") + n("tup_deleted"),
      rowsRead: n("tup_returned") + n("tup_fetched"),
      activeMs: n("active_time"),
      idleInTransactionMs: n("idle_in_transaction_time"),
      walBytes: Number(wal.rows[0]?.bytes ?? Number.NaN),
    };
  }

  /** Drops the scratch database (closing any connection still on it), and stops a server started for the run. */
  async close(): Promise<void> {
    try {
      await this.admin.query(`drop database if exists ${this.info.database} with (force)`);
    } finally {
      await this.admin.end().catch(() => {});
      await this.stopServer();
    }
  }
}

/** The server named by --database could not be used: reported without a stack. */
export class PostgresSetupError extends Error {}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The URL with any password replaced, for output. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return url;
  }
}

/** True when `pid` is a postgres process in our /proc (the server may be on another host, or in a container). */
function isLocalPostgres(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/comm`, "utf8").trim().startsWith("postgres");
  } catch {
    return false;
  }
}
