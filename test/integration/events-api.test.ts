// The events API contract: ingest and its validation, idempotent ids, per-site sequences, paging,
// the catalog, and which webhooks an event fans out to.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { validData } from "../support/event-data.js";
import { Receiver } from "../support/receiver.js";
import { ADMIN_KEY, startTestServer, type TestServer } from "../support/server.js";
import { waitFor } from "../support/wait.js";

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** Every stored event of these types, walking all pages. */
async function storedEvents(gh: TestServer, types: string): Promise<any[]> {
  const out: any[] = [];
  let after = "0";
  for (;;) {
    const res = await gh.api("GET", `/v1/events?type=${types}&limit=1000&after=${after}`);
    expect(res.status).toBe(200);
    out.push(...res.body.events);
    if (!res.body.has_more) return out;
    after = res.body.next_cursor;
  }
}

/** The event ids a webhook has delivery rows for; they are committed with the event, before the 202. */
/**
 * Creating and changing webhooks records `audit.webhook.*` events, which `*` subscribers get too; these
 * tests are about the events they post, so they look past the audit trail (tested in access-resources).
 */
const notAudit = (type: string) => !type.startsWith("audit.");

async function deliveredEventIds(gh: TestServer, uid: number): Promise<string[]> {
  const res = await gh.api("GET", `/v1/webhooks/${uid}/deliveries?limit=500`);
  expect(res.status).toBe(200);
  return res.body.deliveries
    .filter((d: any) => notAudit(d.event_type))
    .map((d: any) => d.event_id)
    .sort();
}

/** What a receiver got, audit events aside. */
const receivedPosts = (rx: Receiver) => rx.received.filter((r) => notAudit(r.json.type));

function waitForIds(rx: Receiver, ids: string[]): Promise<unknown> {
  return waitFor(() => ids.every((id) => rx.eventIds().has(id)), {
    what: `events ${ids.join(", ")} at ${rx.url} (got ${[...rx.eventIds()].join(", ")})`,
  });
}

async function post(gh: TestServer, body: unknown): Promise<{ ids: string[]; duplicates: string[] }> {
  const res = await gh.api("POST", "/v1/events", body);
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  return res.body;
}

describe("POST /v1/events", () => {
  let gh: TestServer;
  beforeAll(async () => {
    gh = await startTestServer();
  });
  afterAll(async () => {
    await gh.stop();
  });

  it("accepts one event with 202 and its generated id", async () => {
    const body = await post(gh, {
      type: "door.opened",
      site_id: 3,
      data: validData("door.opened", { door: { id: 9, name: "Side" } }),
    });
    expect(body.ids).toHaveLength(1);
    expect(body.ids[0]).toMatch(UUID_V7);
    expect(body.duplicates).toEqual([]);
    const [stored] = (await storedEvents(gh, "door.opened")).filter((e) => e.id === body.ids[0]);
    expect(stored).toMatchObject({ type: "door.opened", site_id: 3, data: { door: { id: 9 } } });
  });

  it("accepts an array and answers the ids in the order posted", async () => {
    const body = await post(gh, [
      { type: "custom.order_probe", data: { n: 1 } },
      { type: "custom.order_probe", id: "client-chosen-id:2", data: { n: 2 } },
      { type: "custom.order_probe", data: { n: 3 } },
    ]);
    expect(body.ids).toHaveLength(3);
    expect(body.ids[1]).toBe("client-chosen-id:2");
    expect(body.ids[0]).toMatch(UUID_V7);
    expect(body.ids[2]).toMatch(UUID_V7);
    const stored = await storedEvents(gh, "custom.order_probe");
    expect(stored.map((e) => [e.id, e.data.n])).toEqual([
      [body.ids[0], 1],
      [body.ids[1], 2],
      [body.ids[2], 3],
    ]);
  });

  it("keeps the client's timestamp and defaults it to the recording time", async () => {
    const given = await post(gh, { type: "custom.time_probe", timestamp: "2026-11-23T08:00:00+02:00" });
    const defaulted = await post(gh, { type: "custom.time_probe" });
    const stored = await storedEvents(gh, "custom.time_probe");
    const byId = new Map(stored.map((e) => [e.id, e]));
    expect(Date.parse(byId.get(given.ids[0])?.timestamp)).toBe(Date.parse("2026-11-23T06:00:00Z"));
    const d = byId.get(defaulted.ids[0]);
    expect(d.timestamp).toBe(d.recorded_at);
  });

  it("takes any JSON object as the data of a custom.<name> type", async () => {
    const data = { ring: true, nested: { list: [1, "two", null, { deep: [] }] }, n: -1.5, s: "ü" };
    const body = await post(gh, { type: "custom.door_bell", data });
    const [stored] = (await storedEvents(gh, "custom.door_bell")).filter((e) => e.id === body.ids[0]);
    expect(stored.data).toEqual(data);
  });

  it("accepts exactly 1000 events in one request", async () => {
    const body = await post(
      gh,
      Array.from({ length: 1000 }, (_, i) => ({ type: "custom.bulk_probe", data: { i } })),
    );
    expect(body.ids).toHaveLength(1000);
    expect(new Set(body.ids).size).toBe(1000);
    expect(await storedEvents(gh, "custom.bulk_probe")).toHaveLength(1000);
  });

  const refused: Array<{ why: string; body: unknown; error: RegExp }> = [
    { why: "an unknown type", body: { type: "door.exploded" }, error: /^type: .*"door\.exploded"/ },
    {
      why: "an unknown type inside an array",
      body: [{ type: "door.opened", data: validData("door.opened") }, { type: "door.exploded" }],
      error: /^\[1\]\.type: .*"door\.exploded"/,
    },
    { why: "a type that is a wildcard", body: { type: "door.*" }, error: /^type: .*"door\.\*"/ },
    { why: "a custom type with no name", body: { type: "custom." }, error: /^type: / },
    { why: "a custom type with capitals", body: { type: "custom.DoorBell" }, error: /^type: / },
    { why: "webhook.test from a client", body: { type: "webhook.test" }, error: /^type: .*webhook/ },
    { why: "webhook.disabled from a client", body: { type: "webhook.disabled" }, error: /^type: .*webhook/ },
    { why: "no type", body: { data: {} }, error: /^type: / },
    { why: "a numeric type", body: { type: 5 }, error: /^type: / },
    { why: "an empty array", body: [], error: /at least one/ },
    {
      why: "an array of 1001",
      body: Array.from({ length: 1001 }, () => ({ type: "door.opened", data: validData("door.opened") })),
      error: /at most 1000/,
    },
    { why: "array data", body: { type: "door.opened", data: [] }, error: /^data: / },
    { why: "string data", body: { type: "door.opened", data: "open" }, error: /^data: / },
    { why: "numeric data", body: { type: "custom.x", data: 3 }, error: /^data: / },
    { why: "null data", body: { type: "custom.x", data: null }, error: /^data: / },
    { why: "boolean data", body: { type: "custom.x", data: true }, error: /^data: / },
    {
      why: "non-object data inside an array",
      body: [{ type: "custom.x", data: 1 }],
      error: /^\[0\]\.data: /,
    },
    {
      why: "a word as timestamp",
      body: { type: "door.opened", timestamp: "yesterday" },
      error: /^timestamp: /,
    },
    {
      why: "a date without time",
      body: { type: "door.opened", timestamp: "2026-11-23" },
      error: /^timestamp: /,
    },
    {
      why: "month 13",
      body: { type: "door.opened", timestamp: "2026-13-01T00:00:00Z" },
      error: /^timestamp: /,
    },
    {
      why: "epoch number timestamp",
      body: { type: "door.opened", timestamp: 1795432867 },
      error: /^timestamp: /,
    },
    { why: "site_id 0", body: { type: "door.opened", site_id: 0 }, error: /^site_id: / },
    { why: "site_id as a string", body: { type: "door.opened", site_id: "5" }, error: /^site_id: / },
    { why: "a fractional site_id", body: { type: "door.opened", site_id: 1.5 }, error: /^site_id: / },
    { why: "an id with a space", body: { type: "door.opened", id: "a b" }, error: /^id: / },
    { why: "an id of 129 characters", body: { type: "door.opened", id: "i".repeat(129) }, error: /^id: / },
    { why: "an unknown field", body: { type: "door.opened", door: 1 }, error: /unknown field: door/ },
    { why: "a number body", body: 5, error: /./ },
    {
      why: "data that does not match its type's schema",
      body: { type: "door.opened", data: validData("door.opened", { door: { id: 0, name: "Main" } }) },
      error: /^data\.door\.id: must be ≥ 1$/,
    },
    {
      why: "a catalog type with no data",
      body: { type: "access.denied" },
      error: /^data\.door: is required$/,
    },
    {
      why: "a wrong enum value in the fourth event of an array",
      body: [
        ...Array.from({ length: 3 }, () => ({ type: "access.granted", data: validData("access.granted") })),
        { type: "access.granted", data: validData("access.granted", { method: "telepathy" }) },
      ],
      error: /^\[3\]\.data\.method: must be one of: credential, /,
    },
  ];

  it.each(refused)("refuses $why with a 400 naming the problem", async ({ body, error }) => {
    const res = await gh.api("POST", "/v1/events", body);
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body.error).toMatch(error);
  });

  it("refuses a body over 16 MiB with 413, whether its length is declared or it is streamed", async () => {
    const big = JSON.stringify([{ type: "custom.note", data: { text: "x".repeat(17 * 1024 * 1024) } }]);
    const post = (body: string | ReadableStream<Uint8Array>, extra: RequestInit = {}) =>
      fetch(`${gh.url}/v1/events`, {
        method: "POST",
        headers: { authorization: `Bearer ${ADMIN_KEY}`, "content-type": "application/json" },
        body,
        ...extra,
      });
    const declared = await post(big);
    expect(declared.status).toBe(413);
    expect(await declared.json()).toEqual({
      error: "request body is larger than 16 MiB",
      code: "payload_too_large",
    });
    // No content-length: the cap is counted as the body arrives.
    const bytes = new TextEncoder().encode(big);
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < bytes.length; i += 1 << 20) controller.enqueue(bytes.subarray(i, i + (1 << 20)));
        controller.close();
      },
    });
    const streamed = await post(stream, { duplex: "half" } as RequestInit);
    expect(streamed.status).toBe(413);
    // Just under the cap still reads, and is judged on its content (here: data too large for one event).
    const under = await post(
      JSON.stringify({ type: "custom.note", data: { text: "x".repeat(1024 * 1024) } }),
    );
    expect(under.status).toBe(400);
    expect(((await under.json()) as { error: string }).error).toBe(
      "data: must serialise to at most 65536 bytes",
    );
  });

  it("refuses invalid JSON with 400 Wrong JSON body", async () => {
    const res = await gh.api("POST", "/v1/events", '[{"type": "door.opened"');
    expect(res.status).toBe(400);
    expect(res.body.error).toBe("Wrong JSON body");
  });

  it("stores nothing from a request it refuses", async () => {
    const res = await gh.api("POST", "/v1/events", [
      { type: "custom.atomic_probe" },
      { type: "custom.atomic_probe" },
      { type: "custom.atomic_probe", data: "not an object" },
    ]);
    expect(res.status).toBe(400);
    expect(await storedEvents(gh, "custom.atomic_probe")).toEqual([]);
  });

  it("stores nothing from a request whose one event's data does not match its type", async () => {
    const ids = ["schema-ok-1", "schema-ok-2", "schema-ok-3", "schema-bad"];
    const res = await gh.api(
      "POST",
      "/v1/events",
      ids.map((id, i) => ({
        id,
        type: "door.held_open",
        data: validData("door.held_open", i === 3 ? { open_for_s: "long" } : {}),
      })),
    );
    expect(res.status).toBe(400);
    expect(res.body.error).toBe("[3].data.open_for_s: must be a number");
    const stored = await storedEvents(gh, "door.held_open");
    expect(stored.filter((e) => ids.includes(e.id))).toEqual([]);
  });

  it("keeps fields the schema does not know: devices may add their own", async () => {
    const data = validData("door.opened", { door: { id: 4, name: "Back", zone: "B" }, firmware: "4.2" });
    const body = await post(gh, { type: "door.opened", data });
    const [stored] = (await storedEvents(gh, "door.opened")).filter((e) => e.id === body.ids[0]);
    expect(stored.data).toEqual(data);
  });

  it("accepts an id of 128 characters", async () => {
    const id = `${"i".repeat(120)}.-_:0123`;
    expect((await post(gh, { type: "door.opened", id, data: validData("door.opened") })).ids).toEqual([id]);
  });

  it("numbers events 1, 2, 3 per site, each site on its own", async () => {
    const type = "custom.seq_probe";
    const a = 501;
    const b = 502;
    await post(gh, { type, site_id: a, id: "seq-a1" });
    await post(gh, { type, site_id: b });
    await post(gh, [
      { type, site_id: a },
      { type, site_id: b },
      { type, site_id: a },
    ]);
    // A repeated id takes no number.
    await post(gh, { type, site_id: a, id: "seq-a1" });
    await post(gh, [
      { type, site_id: b },
      { type, site_id: a },
    ]);
    const stored = await storedEvents(gh, type);
    const sequences = (site: number) => stored.filter((e) => e.site_id === site).map((e) => e.sequence);
    expect(sequences(a)).toEqual([1, 2, 3, 4]);
    expect(sequences(b)).toEqual([1, 2, 3]);
  });
});

describe("repeated event ids", () => {
  let gh: TestServer;
  let rx: Receiver;
  let uid: number;
  beforeAll(async () => {
    gh = await startTestServer();
    rx = await Receiver.start();
    const hook = await gh.api("POST", "/v1/webhooks", { url: rx.url, event_types: ["*"] });
    uid = hook.body.uid;
  });
  afterAll(async () => {
    await gh.stop();
    await rx.close();
  });

  it("are stored once, fanned out once, and reported as duplicates", async () => {
    const first = await post(gh, [
      { type: "door.opened", id: "evt-dup-1", data: validData("door.opened", { n: 1 }) },
      { type: "door.opened", id: "evt-dup-1", data: validData("door.opened", { n: 2 }) },
      { type: "door.closed", id: "evt-dup-2", data: validData("door.closed") },
    ]);
    expect(first.ids).toEqual(["evt-dup-1", "evt-dup-1", "evt-dup-2"]);
    expect(first.duplicates).toEqual(["evt-dup-1"]);

    const second = await post(gh, [
      { type: "door.opened", id: "evt-dup-2", data: validData("door.opened") },
      { type: "door.opened", id: "evt-dup-1", data: validData("door.opened", { n: 3 }) },
      { type: "door.opened", id: "evt-dup-3", data: validData("door.opened") },
    ]);
    expect(second.ids).toEqual(["evt-dup-2", "evt-dup-1", "evt-dup-3"]);
    expect(second.duplicates).toEqual(["evt-dup-2", "evt-dup-1"]);

    const third = await post(gh, { type: "door.opened", id: "evt-dup-3", data: validData("door.opened") });
    expect(third.duplicates).toEqual(["evt-dup-3"]);

    const marker = await post(gh, { type: "custom.marker", id: "evt-dup-marker" });
    expect(marker.duplicates).toEqual([]);
    await waitForIds(rx, ["evt-dup-1", "evt-dup-2", "evt-dup-3", "evt-dup-marker"]);

    const count = (id: string) => rx.received.filter((r) => r.json.id === id).length;
    expect(["evt-dup-1", "evt-dup-2", "evt-dup-3", "evt-dup-marker"].map(count)).toEqual([1, 1, 1, 1]);
    expect(receivedPosts(rx)).toHaveLength(4);
    expect(await deliveredEventIds(gh, uid)).toEqual(
      ["evt-dup-1", "evt-dup-2", "evt-dup-3", "evt-dup-marker"].sort(),
    );

    // The first one posted is what was stored and sent.
    const stored = await storedEvents(gh, "door.opened,door.closed");
    expect(stored.map((e) => [e.id, e.type, e.data])).toEqual([
      ["evt-dup-1", "door.opened", validData("door.opened", { n: 1 })],
      ["evt-dup-2", "door.closed", validData("door.closed")],
      ["evt-dup-3", "door.opened", validData("door.opened")],
    ]);
    expect(rx.received.find((r) => r.json.id === "evt-dup-1")?.json.data).toEqual(
      validData("door.opened", { n: 1 }),
    );
  });
});

describe("GET /v1/events", () => {
  let gh: TestServer;
  let ids: string[];
  beforeAll(async () => {
    gh = await startTestServer();
    const types = [
      "door.opened",
      "door.closed",
      "door.opened",
      "access.granted",
      "door.opened",
      "door.closed",
    ];
    ids = (
      await post(
        gh,
        types.map((type, i) => ({ type, data: validData(type, { i }) })),
      )
    ).ids;
    ids.push(...(await post(gh, { type: "access.denied", data: validData("access.denied", { i: 6 }) })).ids);
  });
  afterAll(async () => {
    await gh.stop();
  });

  it("pages through every event in order with after, limit, next_cursor and has_more", async () => {
    const seen: string[] = [];
    const pages: number[] = [];
    let after: string | undefined;
    for (let guard = 0; guard < 10; guard++) {
      const res = await gh.api("GET", `/v1/events?limit=3${after ? `&after=${after}` : ""}`);
      expect(res.status).toBe(200);
      seen.push(...res.body.events.map((e: any) => e.id));
      pages.push(res.body.events.length);
      expect(typeof res.body.next_cursor).toBe("string");
      after = res.body.next_cursor;
      if (!res.body.has_more) break;
    }
    expect(pages).toEqual([3, 3, 1]);
    expect(seen).toEqual(ids);

    // At the end the cursor stays put, so a client can keep tailing from it.
    const tail = await gh.api("GET", `/v1/events?after=${after}`);
    expect(tail.body).toEqual({ events: [], next_cursor: after, has_more: false });
    const later = await post(gh, { type: "custom.after_tail" });
    const next = await gh.api("GET", `/v1/events?after=${after}`);
    expect(next.body.events.map((e: any) => e.id)).toEqual(later.ids);
  });

  it("has_more is false when the last page is exactly full", async () => {
    const res = await gh.api("GET", "/v1/events?type=door.closed&limit=2");
    expect(res.body.events).toHaveLength(2);
    expect(res.body.has_more).toBe(false);
  });

  it("filters by one type or a comma-separated list", async () => {
    const opened = await gh.api("GET", "/v1/events?type=door.opened");
    expect(opened.body.events.map((e: any) => e.data.i)).toEqual([0, 2, 4]);

    const some = await gh.api("GET", "/v1/events?type=access.granted,access.denied");
    expect(some.body.events.map((e: any) => e.type)).toEqual(["access.granted", "access.denied"]);

    const first = await gh.api("GET", "/v1/events?type=door.opened&limit=2");
    expect(first.body.events.map((e: any) => e.data.i)).toEqual([0, 2]);
    expect(first.body.has_more).toBe(true);
    const second = await gh.api("GET", `/v1/events?type=door.opened&limit=2&after=${first.body.next_cursor}`);
    expect(second.body.events.map((e: any) => e.data.i)).toEqual([4]);
    expect(second.body.has_more).toBe(false);
  });

  it("returns the whole envelope of each event", async () => {
    const res = await gh.api("GET", "/v1/events?limit=1");
    const [e] = res.body.events;
    expect(Object.keys(e).sort()).toEqual(
      ["data", "id", "recorded_at", "sequence", "site_id", "timestamp", "type"].sort(),
    );
    expect(e).toMatchObject({ id: ids[0], type: "door.opened", site_id: null, sequence: 1, data: { i: 0 } });
    expect(Number.isNaN(Date.parse(e.recorded_at))).toBe(false);
  });

  it.each([
    ["limit=0", "limit"],
    ["limit=1001", "limit"],
    ["limit=abc", "limit"],
    ["limit=2.5", "limit"],
    ["after=abc", "after"],
    ["after=-1", "after"],
  ])("refuses %s naming the parameter", async (query, param) => {
    const res = await gh.api("GET", `/v1/events?${query}`);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatch(new RegExp(`^${param}: `));
  });

  it("accepts limit=1000", async () => {
    expect((await gh.api("GET", "/v1/events?limit=1000")).status).toBe(200);
  });
});

describe("GET /v1/event-types", () => {
  let gh: TestServer;
  beforeAll(async () => {
    gh = await startTestServer();
  });
  afterAll(async () => {
    await gh.stop();
  });

  it("lists the catalog grouped, access.granted in group access with its vendor names", async () => {
    const res = await gh.api("GET", "/v1/event-types");
    expect(res.status).toBe(200);
    const groups: Array<{ group: string; types: any[] }> = res.body.groups;
    expect(groups.length).toBeGreaterThan(1);
    expect(new Set(groups.map((g) => g.group)).size).toBe(groups.length);
    for (const g of groups) {
      for (const t of g.types) {
        expect(t.type.startsWith(`${g.group}.`), t.type).toBe(true);
        expect(typeof t.description).toBe("string");
      }
    }
    const access = groups.find((g) => g.group === "access");
    const granted = access?.types.find((t) => t.type === "access.granted");
    expect(granted).toBeDefined();
    expect(granted.aliases.basip).toContain("log.access_granted_by_valid_identifier");
    expect(granted.aliases.kisi).toContain("lock.unlock");
    expect(groups.find((g) => g.group === "door")?.types.map((t) => t.type)).toContain("door.opened");
    expect(groups.find((g) => g.group === "webhook")?.types.map((t) => t.type)).toContain("webhook.test");
  });
});

describe("fan-out", () => {
  let gh: TestServer;
  const rx: Record<string, Receiver> = {};
  const uid: Record<string, number> = {};
  const subscriptions: Record<string, { event_types: string[]; status?: string }> = {
    exact: { event_types: ["access.granted"] },
    door: { event_types: ["door.*"] },
    all: { event_types: ["*"] },
    custom: { event_types: ["custom.*"] },
    none: { event_types: [] },
    disabled: { event_types: ["*"], status: "disabled" },
  };

  beforeAll(async () => {
    gh = await startTestServer();
    for (const [name, fields] of Object.entries(subscriptions)) {
      rx[name] = await Receiver.start();
      const res = await gh.api("POST", "/v1/webhooks", { url: `${rx[name]?.url}/${name}`, ...fields });
      expect(res.status).toBe(201);
      uid[name] = res.body.uid;
    }
  });
  afterAll(async () => {
    await gh.stop();
    for (const r of Object.values(rx)) await r.close();
  });

  it("sends each event to exactly the active webhooks that subscribe to its type", async () => {
    const [granted, opened, bell, denied] = (
      await post(gh, [
        { type: "access.granted", id: "fan-granted", data: validData("access.granted") },
        { type: "door.opened", id: "fan-opened", data: validData("door.opened") },
        { type: "custom.door_bell", id: "fan-bell" },
        { type: "access.denied", id: "fan-denied", data: validData("access.denied") },
      ])
    ).ids as [string, string, string, string];

    // Delivery rows are committed with the events, before the 202: this is who was chosen.
    const chosen = async (name: string) => deliveredEventIds(gh, uid[name] as number);
    expect(await chosen("exact")).toEqual([granted]);
    expect(await chosen("door")).toEqual([opened]);
    expect(await chosen("all")).toEqual([granted, opened, bell, denied].sort());
    expect(await chosen("custom")).toEqual([bell]);
    expect(await chosen("none")).toEqual([]);
    expect(await chosen("disabled")).toEqual([]);

    // Markers each receiver does get, posted after everything it must not get.
    const test = await gh.api("POST", `/v1/webhooks/${uid.none}/test`);
    expect(test.status).toBe(202);
    const enabled = await gh.api("PATCH", `/v1/webhooks/${uid.disabled}`, { status: "active" });
    expect(enabled.status).toBe(200);
    const [mGranted, mClosed, mCustom] = (
      await post(gh, [
        { type: "access.granted", id: "fan-marker-granted", data: validData("access.granted") },
        { type: "door.closed", id: "fan-marker-closed", data: validData("door.closed") },
        { type: "custom.marker", id: "fan-marker-custom" },
      ])
    ).ids as [string, string, string];

    const want: Record<string, string[]> = {
      exact: [granted, mGranted],
      door: [opened, mClosed],
      all: [granted, opened, bell, denied, mGranted, mClosed, mCustom],
      custom: [bell, mCustom],
      none: [test.body.event_id],
      disabled: [mGranted, mClosed, mCustom],
    };
    for (const [name, ids] of Object.entries(want)) {
      const r = rx[name] as Receiver;
      await waitForIds(r, ids);
      expect(
        receivedPosts(r)
          .map((got) => got.json.id)
          .sort(),
        name,
      ).toEqual([...ids].sort());
      expect(receivedPosts(r), name).toHaveLength(ids.length);
      expect(r.received.every((got) => got.path === `/${name}`)).toBe(true);
    }
    expect(rx.none?.received[0]?.json.type).toBe("webhook.test");
  });
});

describe("the size of an event's data", () => {
  let gh: TestServer;
  beforeAll(async () => {
    gh = await startTestServer();
  });
  afterAll(() => gh.stop());

  it("is counted in bytes, so multi-byte text cannot slip past the 64 KiB limit", async () => {
    // 30,000 three-byte characters: 30,000 characters but about 90 KB once encoded.
    const tooBig = await gh.api("POST", "/v1/events", {
      type: "custom.note",
      data: { text: "€".repeat(30_000) },
    });
    expect(tooBig.status).toBe(400);
    expect(tooBig.body.error).toBe("data: must serialise to at most 65536 bytes");
    const fits = await gh.api("POST", "/v1/events", {
      type: "custom.note",
      data: { text: "€".repeat(20_000) },
    });
    expect(fits.status).toBe(202);
  });
});
