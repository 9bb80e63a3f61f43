// Several `gatehouse serve` processes on one PostgreSQL database. They share ingest and delivery; a node killed with
// SIGKILL has its leased deliveries (in flight and queued in its memory) taken over by the others once the leases
// expire; and per-site sequences stay gap-free and duplicate-free while every node ingests at once.
import { mkdtempSync, rmSync } from "node:fs";
import type { Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { expectAllDelivered } from "../support/deliveries.js";
import { validData } from "../support/event-data.js";
import { killAll, type ServerProcess, spawnServer } from "../support/process.js";
import { mulberry32 } from "../support/random.js";
import { Receiver } from "../support/receiver.js";
import { apiCall } from "../support/server.js";
import { createTestStore, storeKind, type TestStore } from "../support/store.js";
import { waitFor } from "../support/wait.js";

/** What the test posts; not `*`, which also gets the audit event of the webhook's own creation. */
const POSTED_GROUPS = ["door.*", "access.*", "device.*", "custom.*"];

// Short retries and a short lease: a dead node's claims are free again within ~2 s.
const ENV = {
  GATEHOUSE_RETRY_SCHEDULE_MS: "50,100,200",
  GATEHOUSE_POLL_INTERVAL_MS: "50",
  GATEHOUSE_LEASE_MS: "2000",
};
const NODES = 3;
/** How late this process's receiver may read a request the killed node wrote just before it died. */
const RECEIVER_READ_SLACK_MS = 100;

const TYPES = ["door.opened", "access.granted", "device.tamper", "custom.alarm_panel"] as const;

const children: ServerProcess[] = [];
const receivers: Receiver[] = [];
const stores: TestStore[] = [];
const dirs: string[] = [];

afterAll(async () => {
  await killAll(children);
  await Promise.all(receivers.map((r) => r.close()));
  for (const store of stores) await store.drop();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function randomInt(random: () => number, lo: number, hi: number): number {
  return lo + Math.floor(random() * (hi - lo + 1));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Starts `count` nodes at once on one database: the first on the store's own args, the others each on a data
 * directory of their own with the same `--database`. Starting together also exercises the migration lock. */
async function startNodes(store: TestStore, count: number): Promise<ServerProcess[]> {
  const databaseUrl = store.databaseUrl;
  if (!databaseUrl) throw new Error("a multi-node test needs a PostgreSQL store");
  const argsFor = (i: number) => {
    if (i === 0) return store.args;
    const dir = mkdtempSync(join(tmpdir(), "gatehouse-node-"));
    dirs.push(dir);
    return ["--data", dir, "--database", databaseUrl];
  };
  return Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const p = await spawnServer(argsFor(i), ENV);
      children.push(p);
      return p;
    }),
  );
}

/** The last errors a node logged, in short, to explain a failed request. */
function errorLogs(p: ServerProcess): string {
  return p.logs
    .filter((l) => /"level":(5|6)0/.test(l))
    .slice(-2)
    .map((l) => {
      try {
        const { msg, err } = JSON.parse(l) as { msg?: string; err?: { message?: string; code?: string } };
        return `${msg}: ${err?.message ?? ""} ${err?.code ?? ""}`;
      } catch {
        return l.slice(0, 300);
      }
    })
    .join("; ");
}

async function stopGracefully(nodes: ServerProcess[]): Promise<Array<number | null>> {
  for (const p of nodes) p.child.kill("SIGTERM");
  return Promise.all(nodes.map((p) => p.exited));
}

/** One request at the receiver, and what became of its response. */
interface Exchange {
  id: string;
  arrivedAt: number;
  status?: number;
  finishedAt?: number;
  closedAt?: number;
}

interface Posted {
  type: string;
  site_id: number;
  data: { n: number; door: { id: number; name: string }; note: string; [k: string]: unknown };
}

describe.runIf(storeKind() === "postgres")("several nodes on one PostgreSQL database", () => {
  it("three nodes share the work and survive one being killed", { timeout: 30_000 }, async () => {
    const began = Date.now();
    const seed = Number(process.env.MULTI_NODE_SEED ?? Date.now() % 1_000_000);
    const random = mulberry32(seed);
    const between = (lo: number, hi: number) => randomInt(random, lo, hi);
    const POSTERS = 4;
    /** A receiver never fails one event more often than this, so max_retries 5 cannot run out. */
    const MAX_FAILURES_PER_EVENT = 2;
    /** While holding, the receiver answers only this long after a request arrives. */
    const HOLD_MS = 3_000;
    const VICTIM = 1; // node 2; node 1 (which created the webhook) answers the API at the end

    const store = await createTestStore();
    stores.push(store);
    const rx = await Receiver.start();
    receivers.push(rx);
    const started = Date.now();
    const nodes = await startNodes(store, NODES);
    const startMs = Date.now() - started;
    const victim = nodes[VICTIM] as ServerProcess;
    const keeper = nodes[0] as ServerProcess;

    // The receiver: slowish and sometimes 503 ("flaky"); then holding every request HOLD_MS so that the node about
    // to be killed has requests in flight; then, once posting is over, healthy.
    let mode: "flaky" | "hold" | "healthy" = "flaky";
    const failures = new Map<string, number>();
    let failedRequests = 0;
    rx.reply = (req) => {
      if (mode === "healthy") return { status: 200 };
      if (mode === "hold") return { status: 200, delayMs: HOLD_MS };
      const id = req.json.id;
      const failedSoFar = failures.get(id) ?? 0;
      if (failedSoFar < MAX_FAILURES_PER_EVENT && random() < 0.25) {
        failures.set(id, failedSoFar + 1);
        failedRequests++;
        return { status: 503, delayMs: between(5, 30), body: "busy" };
      }
      return { status: 200, delayMs: between(5, 30) };
    };
    // What the receiver really answered, request by request. A reply to a connection that died with its node is
    // never written: only a finished response counts as delivered, and a request closed without one was in flight
    // in the killed node. (The Receiver decides replies; this listens on the same server.)
    const requests: Exchange[] = [];
    (rx as unknown as { server: Server }).server.on("request", (req, res) => {
      const exchange: Exchange = { id: String(req.headers["webhook-id"]), arrivedAt: Date.now() };
      requests.push(exchange);
      res.on("finish", () => {
        exchange.status = res.statusCode;
        exchange.finishedAt = Date.now();
      });
      res.on("close", () => {
        exchange.closedAt = Date.now();
      });
    });
    const oks = () => requests.filter((r) => r.status === 200);

    const created = await apiCall(keeper.url, "POST", "/v1/webhooks", {
      name: "multi-node",
      url: `${rx.url}/hook`,
      event_types: POSTED_GROUPS,
      max_retries: 5,
    });
    expect(created.status).toBe(201);
    const uid = created.body.uid as number;
    rx.secret = created.body.secret as string;

    // Every event posted, by its marker `n`; every id acknowledged, with its `n` and the node that acknowledged it.
    const posted = new Map<number, Posted>();
    const acknowledged = new Map<string, { n: number; node: number }>();
    const postErrors: string[] = [];
    let nextN = 0;
    let nextNode = 0;
    let posting = true;
    let victimDead = false;
    let postsToVictim = 0; // under way
    const poster = async () => {
      while (posting) {
        const node = nextNode++ % NODES;
        const batch: Posted[] = [];
        for (let i = between(1, 20); i > 0; i--) {
          const n = nextN++;
          const e: Posted = {
            type: TYPES[n % TYPES.length] as string,
            site_id: between(1, 3),
            data: {
              ...validData(TYPES[n % TYPES.length] as string),
              n,
              door: { id: between(1, 9), name: "Door" },
              note: `event ${n}`,
            },
          };
          batch.push(e);
          posted.set(n, e);
        }
        if (node === VICTIM) postsToVictim++;
        try {
          const res = await apiCall((nodes[node] as ServerProcess).url, "POST", "/v1/events", batch);
          if (res.status !== 202) throw new Error(`answered ${res.status}: ${JSON.stringify(res.body)}`);
          const ids = res.body.ids as string[];
          expect(ids).toHaveLength(batch.length);
          ids.forEach((id, i) => {
            acknowledged.set(id, { n: (batch[i] as Posted).data.n, node });
          });
        } catch (error) {
          // A post to the killed node simply is not acknowledged; any other failure is a bug.
          if (!(node === VICTIM && victimDead)) {
            postErrors.push(`node ${node + 1}: ${String(error)} ${errorLogs(nodes[node] as ServerProcess)}`);
          }
        } finally {
          if (node === VICTIM) postsToVictim--;
        }
        await sleep(between(5, 40));
      }
    };
    const posters = Promise.all(Array.from({ length: POSTERS }, poster));

    // The timeline: a flaky stream; then hold, until the victim has requests for its own events held at the
    // receiver (it leased what it acknowledged at birth) and a little longer, so that it dies with work both in
    // flight and queued; kill it while a post to it is under way; post on a little longer (to the survivors: the
    // victim's share fails), then stop and heal the receiver.
    await sleep(1_500);
    mode = "hold";
    const holdAt = Date.now();
    await waitFor(
      () => rx.received.some((r) => r.at >= holdAt && acknowledged.get(r.json.id)?.node === VICTIM),
      { intervalMs: 5, timeoutMs: 5_000, what: "a request for an event the victim acknowledged, held" },
    );
    await sleep(200);
    await waitFor(() => postsToVictim > 0, {
      intervalMs: 1,
      timeoutMs: 2_000,
      what: "a post to the victim",
    });
    const postsToVictimAtKill = postsToVictim;
    victimDead = true;
    const killedAt = Date.now();
    victim.child.kill("SIGKILL");
    expect(await victim.exited).toBeNull();
    expect(victim.child.signalCode).toBe("SIGKILL");
    await sleep(700);
    posting = false;
    await posters;
    mode = "healthy";
    expect(postErrors).toEqual([]);

    // Every acknowledged id reaches the receiver, and so does every event that reached it at all (only a committed
    // event has deliveries): a 200 that was really written.
    const missing = () => {
      const got = new Set(oks().map((r) => r.id));
      return [...new Set([...acknowledged.keys(), ...requests.map((r) => r.id)])].filter(
        (id) => !got.has(id),
      );
    };
    const explain = (id: string) => {
      const ack = acknowledged.get(id);
      const exchanges = requests
        .filter((r) => r.id === id)
        .map((r) => ({ status: r.status, arrived: r.arrivedAt - killedAt, finished: r.finishedAt }));
      return `${id} (${ack ? `acknowledged by node ${ack.node + 1}` : "not acknowledged"}; ms after the kill): ${JSON.stringify(exchanges)}`;
    };
    await waitFor(() => missing().length === 0, {
      timeoutMs: 20_000,
      what: `every acknowledged event delivered (seed ${seed})`,
    }).catch((error: Error) => {
      throw new Error(
        `${error.message}; ${missing().length} missing, e.g. ${missing().slice(0, 5).map(explain)}`,
      );
    });
    const allDeliveredMs = Date.now() - killedAt;
    // Held replies finish HOLD_MS after they arrived; the victim's were closed unanswered when it died.
    await waitFor(() => requests.every((r) => r.closedAt !== undefined), {
      timeoutMs: HOLD_MS + 2_000,
      what: "every request answered or closed",
    });

    // What the victim held when it died. In flight: requests closed without an answer (only its connections died).
    // Queued or in flight: events it acknowledged (it leased them at birth) not yet delivered when it died. From the
    // kill on the receiver holds every reply, so a 200 written after the kill went to a survivor: each of these
    // events must have one. The victim's requests in flight were sent again once their leases expired.
    const inFlightAtKill = requests.filter((r) => r.finishedAt === undefined);
    expect(inFlightAtKill.length).toBeGreaterThan(0);
    // Sent before the kill: bytes the victim wrote just before it died may still be read by this process's
    // receiver a moment after the kill was recorded, so the check allows the receiver's own read delay.
    for (const r of inFlightAtKill)
      expect(r.arrivedAt).toBeLessThanOrEqual(killedAt + RECEIVER_READ_SLACK_MS);
    const deliveredBeforeKill = new Set(
      oks()
        .filter((r) => (r.finishedAt as number) < killedAt)
        .map((r) => r.id),
    );
    const orphaned = new Set([
      ...inFlightAtKill.map((r) => r.id),
      ...[...acknowledged]
        .filter(([id, a]) => a.node === VICTIM && !deliveredBeforeKill.has(id))
        .map(([id]) => id),
    ]);
    const bySurvivor = oks().filter((r) => orphaned.has(r.id) && (r.finishedAt as number) > killedAt);
    expect(
      [...orphaned].filter((id) => !bySurvivor.some((r) => r.id === id)).map(explain),
      "the dead node's deliveries, sent by a survivor",
    ).toEqual([]);
    const resent = bySurvivor.filter((r) => r.arrivedAt > killedAt);
    const inFlightResent = new Set(
      inFlightAtKill.map((r) => r.id).filter((id) => resent.some((r) => r.id === id)),
    );
    expect(inFlightResent.size).toBeGreaterThan(0);
    const firstTakeoverMs = Math.min(...resent.map((r) => r.arrivedAt)) - killedAt;

    // The store agrees (asked through a survivor): nothing pending, nothing given up on.
    await expectAllDelivered(keeper.url, uid);

    // Every request was signed so a Standard Webhooks library verifies it, and carried an event that was posted.
    expect(rx.received.filter((r) => r.verified !== true)).toEqual([]);
    for (const r of rx.received) {
      expect(r.headers["webhook-id"]).toBe(r.json.id);
      const sent = posted.get(r.json.data.n as number);
      expect(sent, `received event ${r.json.id} was never posted`).toBeDefined();
      expect(r.json.type).toBe(sent?.type);
      expect(r.json.data).toEqual(sent?.data);
      expect(r.json.site_id).toBe(sent?.site_id);
      expect(Number.isInteger(r.json.sequence) && r.json.sequence >= 1).toBe(true);
      const ack = acknowledged.get(r.json.id);
      if (ack) expect(r.json.data.n).toBe(ack.n);
    }

    // Duplicates are allowed (at least once); those not explained by the kill are worth a look.
    const okPerId = new Map<string, number>();
    for (const r of oks()) okPerId.set(r.id, (okPerId.get(r.id) ?? 0) + 1);
    const duplicates = [...okPerId.values()].reduce((sum, c) => sum + c - 1, 0);
    const duplicatesBeforeKill = [...okPerId.keys()].filter(
      (id) => oks().filter((r) => r.id === id && (r.finishedAt as number) < killedAt).length > 1,
    ).length;
    const ackedPerNode = Array.from({ length: NODES }, (_, i) =>
      [...acknowledged.values()].filter((a) => a.node === i),
    ).map((l) => l.length);

    // The survivors stop cleanly: SIGTERM drains and exits 0.
    expect(await stopGracefully(nodes.filter((p) => p !== victim))).toEqual([0, 0]);

    console.log(
      `[multi-node kill] ${JSON.stringify({
        seed,
        startMs,
        posted: posted.size,
        acknowledged: acknowledged.size,
        ackedPerNode,
        postsToVictimAtKill,
        requests: rx.received.length,
        failedRequests,
        inFlightAtKill: inFlightAtKill.length,
        inFlightResent: inFlightResent.size,
        orphaned: orphaned.size,
        firstTakeoverMs,
        allDeliveredMs,
        duplicates,
        duplicatedEvents: [...okPerId.values()].filter((c) => c > 1).length,
        duplicatesBeforeKill,
        totalMs: Date.now() - began,
      })}`,
    );
  });

  it("per-site sequence stays strictly increasing with several nodes ingesting at once", {
    timeout: 30_000,
  }, async () => {
    const began = Date.now();
    const seed = Number(process.env.MULTI_NODE_SEED ?? Date.now() % 1_000_000);
    const random = mulberry32(seed ^ 0x5bd1e995);
    const PER_SITE = 300;
    const SITES = [1, 2, 3];
    const POSTERS = 6;

    const store = await createTestStore();
    stores.push(store);
    const nodes = await startNodes(store, NODES);

    // Every site's events, shuffled together and cut into batches of 1–20: most batches span several sites.
    const plan: Posted[] = [];
    for (const site of SITES) {
      for (let i = 0; i < PER_SITE; i++) {
        const n = plan.length;
        plan.push({
          type: TYPES[n % TYPES.length] as string,
          site_id: site,
          data: {
            ...validData(TYPES[n % TYPES.length] as string),
            n,
            door: { id: randomInt(random, 1, 9), name: "Door" },
            note: `event ${n}`,
          },
        });
      }
    }
    for (let i = plan.length - 1; i > 0; i--) {
      const j = randomInt(random, 0, i);
      [plan[i], plan[j]] = [plan[j] as Posted, plan[i] as Posted];
    }
    const batches: Posted[][] = [];
    for (let i = 0; i < plan.length; ) {
      const size = randomInt(random, 1, 20);
      batches.push(plan.slice(i, i + size));
      i += size;
    }

    // Posters take batches off one queue and send them round-robin to the nodes, all at once.
    const acked: Array<{ node: number; batch: Posted[]; ids: string[] }> = [];
    const postErrors: string[] = [];
    const latencies: number[] = [];
    let next = 0;
    const poster = async () => {
      for (;;) {
        const index = next++;
        const batch = batches[index];
        if (!batch) return;
        const node = index % NODES;
        const t0 = Date.now();
        const res = await apiCall((nodes[node] as ServerProcess).url, "POST", "/v1/events", batch).catch(
          (error: unknown) => ({ status: 0, body: String(error) }),
        );
        latencies.push(Date.now() - t0);
        if (res.status === 202) acked.push({ node, batch, ids: res.body.ids as string[] });
        else {
          const logs = errorLogs(nodes[node] as ServerProcess);
          postErrors.push(`node ${node + 1} answered ${res.status}: ${JSON.stringify(res.body)} ${logs}`);
        }
      }
    };
    const postStarted = Date.now();
    await Promise.all(Array.from({ length: POSTERS }, poster));
    const postMs = Date.now() - postStarted;
    expect(postErrors).toEqual([]);
    expect(acked).toHaveLength(batches.length);

    // Page through every event, in store order, from one node.
    const stored: Array<{ id: string; site_id: number | null; sequence: number; data: { n: number } }> = [];
    let cursor: string | undefined;
    for (;;) {
      const page = await apiCall(
        (nodes[0] as ServerProcess).url,
        "GET",
        `/v1/events?limit=1000${cursor ? `&after=${cursor}` : ""}`,
      );
      expect(page.status).toBe(200);
      stored.push(...page.body.events);
      cursor = page.body.next_cursor as string;
      if (!page.body.has_more) break;
    }
    expect(stored).toHaveLength(plan.length);

    // Each site: exactly 1..N, strictly increasing in store order (no gap, no duplicate).
    for (const site of SITES) {
      const sequences = stored.filter((e) => e.site_id === site).map((e) => e.sequence);
      expect(sequences, `site ${site}`).toEqual(Array.from({ length: PER_SITE }, (_, i) => i + 1));
    }

    // Every acknowledged id is stored with the event posted under it, and one request's events for a site got
    // consecutive numbers in the order they were posted.
    const byId = new Map(stored.map((e) => [e.id, e]));
    let multiSiteBatches = 0;
    for (const { batch, ids } of acked) {
      expect(ids).toHaveLength(batch.length);
      const perSite = new Map<number, number[]>();
      batch.forEach((posted, i) => {
        const e = byId.get(ids[i] as string);
        expect(e?.data.n).toBe(posted.data.n);
        expect(e?.site_id).toBe(posted.site_id);
        perSite.set(posted.site_id, [...(perSite.get(posted.site_id) ?? []), e?.sequence ?? -1]);
      });
      if (perSite.size > 1) multiSiteBatches++;
      for (const [site, seqs] of perSite) {
        const first = seqs[0] as number;
        expect(seqs, `site ${site} in one request`).toEqual(seqs.map((_, i) => first + i));
      }
    }

    latencies.sort((a, b) => a - b);
    expect(await stopGracefully(nodes)).toEqual([0, 0, 0]);
    console.log(
      `[multi-node sequences] ${JSON.stringify({
        seed,
        events: plan.length,
        requests: batches.length,
        multiSiteBatches,
        postMs,
        p50Ms: latencies[Math.floor(latencies.length / 2)],
        maxMs: latencies[latencies.length - 1],
        totalMs: Date.now() - began,
      })}`,
    );
  });
});
