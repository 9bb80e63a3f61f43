// CPU time, in milliseconds: this process by process.cpuUsage, a child by /proc/<pid>/stat, the machine by /proc/stat.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { cpus } from "node:os";

/** Kernel clock ticks per second, the unit of /proc's utime and stime (almost always 100). */
const TICKS_PER_SECOND = (() => {
  try {
    const n = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim());
    return Number.isFinite(n) && n > 0 ? n : 100;
  } catch {
    return 100;
  }
})();

const cpuCount = Math.max(1, cpus().length);

export function selfCpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** user + system time of a process and all its threads; NaN when it cannot be read (not Linux, exited). */
export function processCpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name may hold spaces and parentheses; the fields after its closing ")" are fixed.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    return ((utime + stime) * 1000) / TICKS_PER_SECOND;
  } catch {
    return Number.NaN;
  }
}

/** Busy time of the whole machine, every process and the kernel included (other people's work too). */
export function machineCpuMs(): number {
  try {
    const line = readFileSync("/proc/stat", "utf8").split("\n")[0] ?? "";
    const [, ...ticks] = line.trim().split(/\s+/).map(Number);
    // user nice system idle iowait irq softirq steal guest…: idle, iowait and steal are not ours; guest is in user.
    const busy = ticks.reduce((sum, t, i) => (i === 3 || i === 4 || i >= 7 ? sum : sum + t), 0);
    return (busy * 1000) / TICKS_PER_SECOND;
  } catch {
    return Number.NaN;
  }
}

/**
 * How long a process's main thread (its event loop) sat runnable but waiting for a CPU, from
 * /proc/<pid>/schedstat: the direct measure of contention from everything else on the machine.
 */
export function runQueueWaitMs(pid: number): number {
  try {
    return Number(readFileSync(`/proc/${pid}/schedstat`, "utf8").split(" ")[1]) / 1e6;
  } catch {
    return Number.NaN;
  }
}

export interface CpuReading {
  bench: number;
  receiver: number;
  gatehouse: number;
  gatehouseWait: number;
  /** A separate database server's processes (PostgreSQL), CPU ms by pid; null when there is none or it is not visible. */
  store: Map<number, number> | null;
  machine: number;
}

export function readCpu(
  pids: { receiver: number; gatehouse?: number },
  store: Map<number, number> | null = null,
): CpuReading {
  return {
    bench: selfCpuMs(),
    receiver: processCpuMs(pids.receiver),
    gatehouse: pids.gatehouse === undefined ? 0 : processCpuMs(pids.gatehouse),
    gatehouseWait: pids.gatehouse === undefined ? 0 : runQueueWaitMs(pids.gatehouse),
    store,
    machine: machineCpuMs(),
  };
}

/**
 * The store's processes' CPU between two readings. A process that started in between counts from zero (its
 * whole life was in the interval); one that exited in between is lost, which is why the reading is by pid.
 */
function storeCpuMs(before: CpuReading, after: CpuReading): number {
  if (!before.store || !after.store) return Number.NaN;
  let ms = 0;
  for (const [pid, total] of after.store) ms += total - (before.store.get(pid) ?? 0);
  return ms;
}

/** CPU per delivery in µs, by process, between two readings. */
export interface CpuPerDelivery {
  gatehouseUs: number;
  benchUs: number;
  receiverUs: number;
  /** The database server's processes, when the store is a separate server (NaN otherwise). */
  storeUs: number;
  /** The processes together (the store's too, when there is one). */
  totalUs: number;
  /** The whole machine's busy time, which includes anything else running. */
  machineUs: number;
  /** Gatehouse's CPU as a share of one core over the interval. */
  gatehouseCores: number;
  /** The database server's CPU as a share of one core over the interval (NaN without one). */
  storeCores: number;
  /** Share of the interval Gatehouse's event loop was ready to run but waiting for a CPU. */
  gatehouseWaitShare: number;
  /** Share of all the machine's CPUs busy over the interval, whoever used them. */
  machineBusyShare: number;
}

export function cpuPerDelivery(
  before: CpuReading,
  after: CpuReading,
  deliveries: number,
  wallMs: number,
): CpuPerDelivery {
  const per = (ms: number) => (ms * 1000) / deliveries;
  const gatehouse = after.gatehouse - before.gatehouse;
  const bench = after.bench - before.bench;
  const receiver = after.receiver - before.receiver;
  const store = storeCpuMs(before, after);
  return {
    gatehouseUs: per(gatehouse),
    benchUs: per(bench),
    receiverUs: per(receiver),
    storeUs: per(store),
    totalUs: per(gatehouse + bench + receiver + (Number.isFinite(store) ? store : 0)),
    machineUs: per(after.machine - before.machine),
    gatehouseCores: gatehouse / wallMs,
    storeCores: store / wallMs,
    gatehouseWaitShare: (after.gatehouseWait - before.gatehouseWait) / wallMs,
    machineBusyShare: (after.machine - before.machine) / (wallMs * cpuCount),
  };
}
