// Who may call what: every route × (no key, unknown key, viewer, ingest, admin), and the life of an API key.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { validData } from "../support/event-data.js";
import { Receiver } from "../support/receiver.js";
import { ADMIN_KEY, startTestServer, type TestServer } from "../support/server.js";
import { waitFor } from "../support/wait.js";

type Role = "admin" | "viewer" | "ingest";

interface Call {
  path: string;
  body?: unknown;
}

interface Route {
  method: string;
  path: string;
  /** The least role the route needs (admin may do everything). */
  needs: Role;
  /** What an allowed caller gets. */
  ok: number;
  /** Makes what the call acts on; called afresh for every caller, so destructive calls have their own target. */
  prepare(): Promise<Call>;
}

interface Caller {
  name: string;
  role: Role | null;
  key(): string | null;
}

const RIGHTS: Record<Role, string> = {
  admin: "Administrator rights required",
  viewer: "Viewer rights required",
  ingest: "Ingest rights required",
};

/** The answer the contract promises: 401 without a known key, 403 naming the needed role, else success. */
function expected(route: Route, caller: Caller): { status: number; error?: string } {
  if (caller.role === null) return { status: 401, error: "Log In" };
  if (caller.role === "admin" || caller.role === route.needs) return { status: route.ok };
  return { status: 403, error: RIGHTS[route.needs] };
}

let gh: TestServer;
let rx: Receiver;
/** A webhook subscribed to everything, so every posted event gets a delivery. */
let hookUid: number;
const keys: Partial<Record<"viewer" | "ingest", string>> = {};

async function createKey(role: Role, name = `${role} key`): Promise<{ id: number; key: string }> {
  const res = await gh.api("POST", "/v1/api-keys", { name, role });
  expect(res.status).toBe(201);
  return res.body;
}

async function freshWebhook(): Promise<number> {
  const res = await gh.api("POST", "/v1/webhooks", { url: `${rx.url}/fresh`, event_types: [] });
  expect(res.status).toBe(201);
  return res.body.uid;
}

/** A delivery that has finished, so a retry of it is never refused as "being attempted". */
async function freshDelivery(): Promise<number> {
  const posted = await gh.api("POST", "/v1/events", { type: "custom.auth_probe", data: {} });
  expect(posted.status).toBe(202);
  const eventId = posted.body.ids[0];
  const delivery = await waitFor(
    async () => {
      const list = await gh.api("GET", `/v1/webhooks/${hookUid}/deliveries?limit=500`);
      return list.body.deliveries.find((d: any) => d.event_id === eventId && d.status === "succeeded");
    },
    { what: `the delivery of ${eventId}` },
  );
  return delivery.id;
}

const at = (path: string, body?: unknown) => async (): Promise<Call> => ({ path, body });

const routes: Route[] = [
  { method: "GET", path: "/v1/webhooks", needs: "viewer", ok: 200, prepare: at("/v1/webhooks") },
  {
    method: "POST",
    path: "/v1/webhooks",
    needs: "admin",
    ok: 201,
    prepare: at("/v1/webhooks", { url: "https://example.com/hook", event_types: [] }),
  },
  {
    method: "GET",
    path: "/v1/webhooks/{uid}",
    needs: "viewer",
    ok: 200,
    prepare: async () => ({ path: `/v1/webhooks/${hookUid}` }),
  },
  {
    method: "PATCH",
    path: "/v1/webhooks/{uid}",
    needs: "admin",
    ok: 200,
    prepare: async () => ({ path: `/v1/webhooks/${await freshWebhook()}`, body: { description: "patched" } }),
  },
  {
    method: "DELETE",
    path: "/v1/webhooks/{uid}",
    needs: "admin",
    ok: 204,
    prepare: async () => ({ path: `/v1/webhooks/${await freshWebhook()}` }),
  },
  {
    method: "POST",
    path: "/v1/webhooks/{uid}/test",
    needs: "admin",
    ok: 202,
    prepare: async () => ({ path: `/v1/webhooks/${await freshWebhook()}/test` }),
  },
  {
    method: "POST",
    path: "/v1/webhooks/preview",
    needs: "admin",
    ok: 200,
    prepare: async () => ({ path: "/v1/webhooks/preview", body: { event_type: "door.opened" } }),
  },
  {
    method: "POST",
    path: "/v1/webhooks/{uid}/secret/reveal",
    needs: "admin",
    ok: 200,
    prepare: async () => ({ path: `/v1/webhooks/${hookUid}/secret/reveal` }),
  },
  {
    method: "POST",
    path: "/v1/webhooks/{uid}/secret/rotate",
    needs: "admin",
    ok: 200,
    prepare: async () => ({ path: `/v1/webhooks/${await freshWebhook()}/secret/rotate`, body: {} }),
  },
  {
    method: "GET",
    path: "/v1/webhooks/{uid}/deliveries",
    needs: "viewer",
    ok: 200,
    prepare: async () => ({ path: `/v1/webhooks/${hookUid}/deliveries` }),
  },
  {
    method: "GET",
    path: "/v1/deliveries/{id}",
    needs: "viewer",
    ok: 200,
    prepare: async () => ({ path: `/v1/deliveries/${await freshDelivery()}` }),
  },
  {
    method: "POST",
    path: "/v1/deliveries/{id}/retry",
    needs: "admin",
    ok: 202,
    prepare: async () => ({ path: `/v1/deliveries/${await freshDelivery()}/retry` }),
  },
  {
    method: "POST",
    path: "/v1/events",
    needs: "ingest",
    ok: 202,
    prepare: at("/v1/events", { type: "door.opened", data: validData("door.opened") }),
  },
  { method: "GET", path: "/v1/events", needs: "viewer", ok: 200, prepare: at("/v1/events") },
  { method: "GET", path: "/v1/event-types", needs: "viewer", ok: 200, prepare: at("/v1/event-types") },
  {
    method: "GET",
    path: "/v1/template-variables",
    needs: "viewer",
    ok: 200,
    prepare: at("/v1/template-variables"),
  },
  {
    method: "GET",
    path: "/v1/event-types/{type}",
    needs: "viewer",
    ok: 200,
    prepare: at("/v1/event-types/access.granted"),
  },
  {
    method: "POST",
    path: "/v1/api-keys",
    needs: "admin",
    ok: 201,
    prepare: at("/v1/api-keys", { name: "made in the matrix", role: "viewer" }),
  },
  { method: "GET", path: "/v1/api-keys", needs: "admin", ok: 200, prepare: at("/v1/api-keys") },
  {
    method: "DELETE",
    path: "/v1/api-keys/{id}",
    needs: "admin",
    ok: 204,
    prepare: async () => ({ path: `/v1/api-keys/${(await createKey("viewer", "to delete")).id}` }),
  },
];

/** A site and a schedule every access-control resource below can refer to, made in beforeAll. */
const shared = { site: 0, schedule: 0 };
let serial = 0;

async function make(path: string, body: unknown): Promise<number> {
  const res = await gh.api("POST", path, body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id;
}

/** A valid new body for each access-control resource; unique values where the store insists. */
const newBody: Record<string, () => unknown> = {
  sites: () => ({ name: "Matrix site" }),
  doors: () => ({ site_id: shared.site, name: "Matrix door" }),
  devices: () => ({ site_id: shared.site, serial_number: `MATRIX-${++serial}`, name: "Matrix device" }),
  users: () => ({ name: "Matrix user" }),
  credentials: () => ({ kind: "qr", value: `matrix-qr-${++serial}` }),
  "access-groups": () => ({ site_id: shared.site, name: "Matrix group", schedule_id: shared.schedule }),
  schedules: () => ({ site_id: shared.site, name: "Matrix schedule" }),
  holidays: () => ({ site_id: shared.site, name: "Matrix holiday", date: "2026-12-24" }),
};
const patchBody: Record<string, unknown> = {
  sites: { name: "patched" },
  doors: { name: "patched" },
  devices: { name: "patched" },
  users: { name: "patched" },
  credentials: { status: "suspended" },
  "access-groups": { name: "patched" },
  schedules: { name: "patched" },
  holidays: { name: "patched" },
};

for (const resource of Object.keys(newBody)) {
  const base = `/v1/${resource}`;
  const fresh = async () => `${base}/${await make(base, newBody[resource]?.())}`;
  routes.push(
    { method: "GET", path: base, needs: "viewer", ok: 200, prepare: at(base) },
    {
      method: "POST",
      path: base,
      needs: "admin",
      ok: 201,
      prepare: async () => ({ path: base, body: newBody[resource]?.() }),
    },
    {
      method: "GET",
      path: `${base}/{id}`,
      needs: "viewer",
      ok: 200,
      prepare: async () => ({ path: await fresh() }),
    },
    {
      method: "PATCH",
      path: `${base}/{id}`,
      needs: "admin",
      ok: 200,
      prepare: async () => ({ path: await fresh(), body: patchBody[resource] }),
    },
    {
      method: "DELETE",
      path: `${base}/{id}`,
      needs: "admin",
      ok: 204,
      prepare: async () => ({ path: await fresh() }),
    },
  );
}

const freshDoor = async () => make("/v1/doors", newBody.doors?.());
const freshSerial = async () => {
  const body = newBody.devices?.() as { serial_number: string };
  await make("/v1/devices", body);
  return body.serial_number;
};
const doorOp = (path: string, needs: Role, body: unknown): Route => ({
  method: "POST",
  path: `/v1/doors/{id}/${path}`,
  needs,
  ok: 200,
  prepare: async () => ({ path: `/v1/doors/${await freshDoor()}/${path}`, body }),
});
const deviceReport = (path: string, body: unknown): Route => ({
  method: "POST",
  path: `/v1/devices/{serial}/${path}`,
  needs: "ingest",
  ok: 200,
  prepare: async () => ({ path: `/v1/devices/${await freshSerial()}/${path}`, body }),
});
routes.push(
  doorOp("access-requests", "ingest", { credential: { kind: "qr", value: "not-a-known-code" } }),
  doorOp("unlock", "admin", { seconds: 2 }),
  doorOp("mode", "admin", { mode: "unlocked" }),
  {
    method: "GET",
    path: "/v1/doors/{id}/state",
    needs: "viewer",
    ok: 200,
    prepare: async () => ({ path: `/v1/doors/${await freshDoor()}/state` }),
  },
  deviceReport("heartbeat", { firmware_version: "1.0" }),
  deviceReport("inputs", { input: "tamper" }),
  deviceReport("events", { type: "call.incoming", data: {} }),
);

const callers: Caller[] = [
  { name: "no key", role: null, key: () => null },
  { name: "an unknown key", role: null, key: () => "gh_this-key-was-never-issued-000000" },
  { name: "viewer", role: "viewer", key: () => keys.viewer ?? "" },
  { name: "ingest", role: "ingest", key: () => keys.ingest ?? "" },
  { name: "admin", role: "admin", key: () => ADMIN_KEY },
];

const matrix = routes.flatMap((route) =>
  callers.map((caller) => ({ route, caller, want: expected(route, caller) })),
);

beforeAll(async () => {
  gh = await startTestServer();
  rx = await Receiver.start();
  const hook = await gh.api("POST", "/v1/webhooks", { url: `${rx.url}/all`, event_types: ["*"] });
  expect(hook.status).toBe(201);
  hookUid = hook.body.uid;
  keys.viewer = (await createKey("viewer")).key;
  keys.ingest = (await createKey("ingest")).key;
  shared.site = await make("/v1/sites", { name: "Matrix HQ" });
  shared.schedule = await make("/v1/schedules", { site_id: shared.site, name: "Always", windows: [] });
});
afterAll(async () => {
  await gh.stop();
  await rx.close();
});

describe("the auth matrix", () => {
  it("covers every route the OpenAPI document lists", async () => {
    const doc: any = await (await fetch(`${gh.url}/openapi.json`)).json();
    const documented = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(
      ([path, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`),
    );
    expect(routes.map((r) => `${r.method} ${r.path}`).sort()).toEqual(documented.sort());
  });

  it.each(matrix.map((c) => ({ ...c, label: `${c.route.method} ${c.route.path}` })))(
    "$label as $caller.name → $want.status",
    async ({ route, caller, want }) => {
      const call = await route.prepare();
      const res = await gh.api(route.method, call.path, call.body, caller.key());
      expect(res.status, JSON.stringify(res.body)).toBe(want.status);
      if (want.error) expect(res.body.error).toBe(want.error);
    },
  );
});

describe("checks come in the right order", () => {
  it("answers 401 before looking at a malformed uid or body", async () => {
    expect((await gh.api("GET", "/v1/webhooks/abc", undefined, null)).body.error).toBe("Log In");
    expect((await gh.api("PATCH", "/v1/webhooks/0", "{bad", null)).status).toBe(401);
    expect((await gh.api("POST", "/v1/events", "{bad", null)).status).toBe(401);
    expect((await gh.api("POST", "/v1/webhooks", { nonsense: true }, null)).status).toBe(401);
  });

  it("answers 403 before looking at a malformed body", async () => {
    const res = await gh.api("POST", "/v1/webhooks", { url: 5 }, keys.viewer);
    expect(res.status).toBe(403);
    expect(res.body.error).toBe("Administrator rights required");
    const ev = await gh.api("POST", "/v1/events", { type: "no.such" }, keys.viewer);
    expect(ev.status).toBe(403);
    expect(ev.body.error).toBe("Ingest rights required");
  });

  it("a refused call changes nothing", async () => {
    const uid = await freshWebhook();
    const before = (await gh.api("GET", `/v1/webhooks/${uid}`)).body;
    for (const key of [keys.viewer, keys.ingest, null]) {
      expect((await gh.api("PATCH", `/v1/webhooks/${uid}`, { description: "nope" }, key)).status).not.toBe(
        200,
      );
      expect((await gh.api("DELETE", `/v1/webhooks/${uid}`, undefined, key)).status).not.toBe(204);
    }
    expect((await gh.api("GET", `/v1/webhooks/${uid}`)).body).toEqual(before);
  });
});

describe("the Authorization header", () => {
  const call = (authorization: string | undefined) =>
    fetch(`${gh.url}/v1/webhooks`, { headers: authorization ? { authorization } : {} });

  it.each([
    ["the key without a scheme", ADMIN_KEY],
    ["the Basic scheme", `Basic ${ADMIN_KEY}`],
    ["Bearer with no key", "Bearer "],
    ["the key with a character missing", `Bearer ${ADMIN_KEY.slice(0, -1)}`],
    ["two keys", `Bearer ${ADMIN_KEY} ${ADMIN_KEY}`],
  ])("refuses %s with 401 Log In", async (_what, header) => {
    const res = await call(header);
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: "Log In" });
  });

  it("takes the scheme name in any letter case", async () => {
    expect((await call(`bearer ${ADMIN_KEY}`)).status).toBe(200);
    expect((await call(`BEARER ${ADMIN_KEY}`)).status).toBe(200);
  });
});

describe("API keys", () => {
  it("are shown once: the key is in the 201 body and never in the list", async () => {
    const res = await gh.api("POST", "/v1/api-keys", { name: "shown once", role: "viewer" });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ name: "shown once", role: "viewer" });
    expect(typeof res.body.key).toBe("string");
    expect(res.body.key.length).toBeGreaterThanOrEqual(32);
    expect(Number.isInteger(res.body.id)).toBe(true);

    const list = await gh.api("GET", "/v1/api-keys");
    expect(list.status).toBe(200);
    const listed = list.body.api_keys.find((k: any) => k.id === res.body.id);
    expect(listed).toMatchObject({ name: "shown once", role: "viewer" });
    for (const k of list.body.api_keys) {
      expect(k).not.toHaveProperty("key");
      expect(k).not.toHaveProperty("key_hash");
    }
    expect(JSON.stringify(list.body)).not.toContain(res.body.key);
    expect(JSON.stringify(list.body)).not.toContain(ADMIN_KEY);
  });

  it.each(["admin", "viewer", "ingest"] as const)(
    "a new %s key works at once with its role",
    async (role) => {
      const { key } = await createKey(role);
      const read = await gh.api("GET", "/v1/webhooks", undefined, key);
      const post = await gh.api(
        "POST",
        "/v1/events",
        { type: "door.opened", data: validData("door.opened") },
        key,
      );
      expect(read.status).toBe(role === "ingest" ? 403 : 200);
      expect(post.status).toBe(role === "viewer" ? 403 : 202);
    },
  );

  it("stops working as soon as it is deleted", async () => {
    const { id, key } = await createKey("admin", "short-lived");
    expect((await gh.api("GET", "/v1/api-keys", undefined, key)).status).toBe(200);

    const del = await gh.api("DELETE", `/v1/api-keys/${id}`);
    expect(del.status).toBe(204);
    for (const [method, path] of [
      ["GET", "/v1/api-keys"],
      ["GET", "/v1/webhooks"],
      ["POST", "/v1/events"],
    ] as const) {
      const res = await gh.api(
        method,
        path,
        method === "POST" ? { type: "door.opened", data: validData("door.opened") } : undefined,
        key,
      );
      expect(res.status, `${method} ${path}`).toBe(401);
      expect(res.body.error).toBe("Log In");
    }
    const list = await gh.api("GET", "/v1/api-keys");
    expect(list.body.api_keys.map((k: any) => k.id)).not.toContain(id);
    expect((await gh.api("DELETE", `/v1/api-keys/${id}`)).status).toBe(404);
  });

  it("refuses an unknown role and unknown fields", async () => {
    const role = await gh.api("POST", "/v1/api-keys", { name: "x", role: "root" });
    expect(role.status).toBe(400);
    expect(role.body.error).toMatch(/^role: /);
    const extra = await gh.api("POST", "/v1/api-keys", { name: "x", role: "viewer", key: "my-own-key" });
    expect(extra.status).toBe(400);
    expect(extra.body.error).toContain("key");
  });

  it("are stored hashed: the raw key is nowhere in the api_keys table or the database files", async () => {
    const { id, key } = await createKey("viewer", "hashed at rest");
    // Read through the server's own store, so the same check holds on SQLite and PostgreSQL.
    const rows = (await gh.server.services.store.db.selectFrom("api_keys").selectAll().execute()) as Array<
      Record<string, unknown>
    >;
    expect(rows.some((r) => Number(r.id) === id)).toBe(true);
    for (const row of rows) {
      for (const value of Object.values(row)) {
        expect(String(value)).not.toContain(key);
        expect(String(value)).not.toContain(ADMIN_KEY);
      }
    }
    if (gh.store.kind !== "sqlite") return;
    for (const name of ["gatehouse.db", "gatehouse.db-wal"]) {
      let bytes: Buffer;
      try {
        bytes = readFileSync(join(gh.dataDir, name));
      } catch {
        continue; // no WAL file right now
      }
      expect(bytes.includes(Buffer.from(key)), name).toBe(false);
    }
  });
});
