// The webhook's wire settings through the API (issue 6): scheme, format and version, custom body, filters,
// static Authorization, vendor names as subscriptions, secret reveal and rotation, and event-type search.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/lib/clock.js";
import { validData } from "../support/event-data.js";
import { Receiver, verifyStandard } from "../support/receiver.js";
import { startTestServer, type TestServer } from "../support/server.js";
import { waitFor } from "../support/wait.js";

describe("webhook wire settings", () => {
  let gh: TestServer;
  let rx: Receiver;
  beforeAll(async () => {
    gh = await startTestServer();
    rx = await Receiver.start();
  });
  afterAll(async () => {
    await gh.stop();
    await rx.close();
  });

  const create = (body: Record<string, unknown>) =>
    gh.api("POST", "/v1/webhooks", { url: `${rx.url}/w`, ...body });

  it("defaults to the gatehouse format signed as Standard Webhooks, with no filters", async () => {
    const res = await create({});
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      signature_scheme: "standard",
      payload_format: "gatehouse",
      payload_version: "1",
      template: null,
      custom_body: {},
      filters: {},
      authorization: null,
      secret_rotation: null,
    });
  });

  it("stores each scheme and format and shows the version in effect", async () => {
    for (const signature_scheme of ["standard", "kisi", "genea", "alocity", "basip", "none"]) {
      const res = await create({ signature_scheme });
      expect(res.status).toBe(201);
      expect(res.body.signature_scheme).toBe(signature_scheme);
    }
    const genea = await create({ payload_format: "genea" });
    expect(genea.body.payload_version).toBe("v3");
    const v1 = await create({ payload_format: "genea", payload_version: "v1" });
    expect(v1.body.payload_version).toBe("v1");
    const got = await gh.api("GET", `/v1/webhooks/${v1.body.uid}`);
    expect(got.body).toMatchObject({ payload_format: "genea", payload_version: "v1" });
  });

  it("refuses settings that do not fit, naming the field", async () => {
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ signature_scheme: "md5" }, /^signature_scheme: must be one of: standard, kisi/],
      [{ payload_format: "xml" }, /^payload_format: must be one of: gatehouse, kisi/],
      [
        { payload_format: "genea", payload_version: "v4" },
        /^payload_version: the genea format has versions v1, v2, v3/,
      ],
      [{ payload_format: "kisi", payload_version: "2" }, /^payload_version: the kisi format has version 1/],
      [{ payload_format: "template" }, /^template: required when payload_format is template/],
      [{ custom_body: [1, 2] }, /^custom_body: must be a JSON object/],
      [
        { custom_body: { big: "x".repeat(20_000) } },
        /^custom_body: must be at most 16384 characters as JSON/,
      ],
      [{ filters: { door_ids: [] } }, /^filters\.door_ids: must name at least one/],
      [{ filters: { door_ids: [0] } }, /^filters\.door_ids\[0\]: ids are integers ≥ 1/],
      [{ filters: { decision: "maybe" } }, /^filters\.decision: must be one of: granted, denied/],
      [{ filters: { floor: 3 } }, /^filters: unknown field: floor/],
      [{ authorization: { type: "digest" } }, /^authorization\.type: must be \{"type": "basic"/],
      [
        { authorization: { type: "basic", username: "a:b", password: "p" } },
        /^authorization\.username: must not contain a colon/,
      ],
      [
        { authorization: { type: "bearer", token: "has space" } },
        /^authorization\.token: must be visible ASCII/,
      ],
      [{ event_types: ["lock.unlocks"] }, /^event_types: unknown event type "lock.unlocks"/],
    ];
    for (const [body, error] of cases) {
      const res = await create(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error, JSON.stringify(body)).toMatch(error);
    }
  });

  it("moves a changed format to its default version and checks the result as a whole", async () => {
    const { body: w } = await create({ payload_format: "genea", payload_version: "v2" });
    const toKisi = await gh.api("PATCH", `/v1/webhooks/${w.uid}`, { payload_format: "kisi" });
    expect(toKisi.status).toBe(200);
    expect(toKisi.body.payload_version).toBe("1");
    const badVersion = await gh.api("PATCH", `/v1/webhooks/${w.uid}`, { payload_version: "v2" });
    expect(badVersion.status).toBe(400);
    expect(badVersion.body.error).toMatch(/^payload_version: the kisi format has version 1/);
    const toTemplate = await gh.api("PATCH", `/v1/webhooks/${w.uid}`, { payload_format: "template" });
    expect(toTemplate.status).toBe(400);
    expect(toTemplate.body.error).toMatch(/^template: required/);
    expect((await gh.api("GET", `/v1/webhooks/${w.uid}`)).body.payload_format).toBe("kisi");
  });

  it("keeps a static Authorization secret: lists show its type, audit events mask it", async () => {
    const auth = { type: "bearer", token: "kentix-token-123" };
    const { body: w } = await create({ authorization: auth, event_types: ["door.*"] });
    expect(w.authorization).toEqual(auth);
    const list = await gh.api("GET", "/v1/webhooks");
    const shown = list.body.webhooks.find((x: { uid: number }) => x.uid === w.uid);
    expect(shown.authorization).toEqual({ type: "bearer" });
    expect(JSON.stringify(list.body)).not.toContain("kentix-token-123");
    const audit = await gh.api("GET", "/v1/events?type=audit.webhook.created&limit=1000");
    expect(audit.status).toBe(200);
    const mine = audit.body.events.find(
      (e: { data: { resource: { id: number } } }) => e.data.resource.id === w.uid,
    );
    expect(mine.data.changes.authorization.after).toBe("****");
    expect(JSON.stringify(audit.body)).not.toContain("kentix-token-123");
  });

  it("sends the Authorization header and records it masked on the attempt", async () => {
    const basic = { type: "basic", username: "kentix", password: "s3cret-pass" };
    const url = `${rx.url}/basic`;
    const { body: w } = await create({ url, authorization: basic, event_types: ["door.opened"] });
    await gh.api("POST", "/v1/events", { type: "door.opened", site_id: 1, data: validData("door.opened") });
    const got = await waitFor(() => rx.received.find((r) => r.path === "/basic"), { timeoutMs: 10_000 });
    expect(got.headers.authorization).toBe(`Basic ${Buffer.from("kentix:s3cret-pass").toString("base64")}`);
    const deliveries = await waitFor(
      async () => {
        const res = await gh.api("GET", `/v1/webhooks/${w.uid}/deliveries`);
        return res.body.deliveries?.find((d: { status: string }) => d.status === "succeeded");
      },
      { timeoutMs: 10_000 },
    );
    const detail = await gh.api("GET", `/v1/deliveries/${deliveries.id}`);
    expect(detail.body.attempts[0].request.headers.authorization).toBe("Basic ****");
    expect(JSON.stringify(detail.body)).not.toContain("s3cret-pass");
  });
});

describe("vendor names as subscriptions, and filters", () => {
  let gh: TestServer;
  let rx: Receiver;
  beforeAll(async () => {
    gh = await startTestServer();
    rx = await Receiver.start();
  });
  afterAll(async () => {
    await gh.stop();
    await rx.close();
  });

  const typesAt = (path: string) => rx.received.filter((r) => r.path === path).map((r) => r.json.type);

  it("stores vendor names as written and delivers the events they name", async () => {
    const event_types = ["lock.unlock", "log.door_was_opened", "door.state"];
    const { body: w, status } = await gh.api("POST", "/v1/webhooks", {
      url: `${rx.url}/vendor`,
      event_types,
    });
    expect(status).toBe(201);
    expect(w.event_types).toEqual(event_types);
    expect((await gh.api("GET", `/v1/webhooks/${w.uid}`)).body.event_types).toEqual(event_types);

    for (const type of ["access.granted", "access.denied", "door.forced_open", "device.booted"]) {
      const res = await gh.api("POST", "/v1/events", { type, site_id: 1, data: validData(type) });
      expect(res.status).toBe(202);
    }
    await waitFor(() => (typesAt("/vendor").length >= 3 ? true : undefined), { timeoutMs: 10_000 });
    expect(typesAt("/vendor").sort()).toEqual(["access.denied", "access.granted", "door.forced_open"]);
  });

  it("lets through only what the filters accept", async () => {
    const { body: w } = await gh.api("POST", "/v1/webhooks", {
      url: `${rx.url}/filtered`,
      event_types: ["access.*", "door.*"],
      filters: { site_ids: [5], decision: "denied" },
    });
    expect(w.filters).toEqual({ site_ids: [5], decision: "denied" });
    const post = (type: string, site_id: number) =>
      gh.api("POST", "/v1/events", { type, site_id, data: validData(type) });
    await post("access.granted", 5); // wrong decision
    await post("access.denied", 6); // wrong site
    await post("access.denied", 5); // passes
    await post("door.opened", 5); // not an access event: the decision does not apply
    await waitFor(() => (typesAt("/filtered").length >= 2 ? true : undefined), { timeoutMs: 10_000 });
    // Anything else would have been queued by the same commit as what arrived.
    expect(typesAt("/filtered").sort()).toEqual(["access.denied", "door.opened"]);
  });
});

describe("secret reveal and rotation", () => {
  let gh: TestServer;
  let rx: Receiver;
  beforeAll(async () => {
    gh = await startTestServer();
    rx = await Receiver.start();
  });
  afterAll(async () => {
    await gh.stop();
    await rx.close();
  });

  it("reveals the secret to administrators only, and audits it", async () => {
    const { body: w } = await gh.api("POST", "/v1/webhooks", { url: `${rx.url}/r`, event_types: [] });
    const viewer = await gh.api("POST", "/v1/api-keys", { name: "v", role: "viewer" });
    const refused = await gh.api("POST", `/v1/webhooks/${w.uid}/secret/reveal`, undefined, viewer.body.key);
    expect(refused.status).toBe(403);
    const res = await gh.api("POST", `/v1/webhooks/${w.uid}/secret/reveal`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      secret: w.secret,
      previous_secret: null,
      previous_secret_expires_at: null,
      authorization: null,
    });
    const audit = await gh.api("GET", "/v1/events?type=audit.webhook.secret_revealed");
    expect(audit.body.events).toHaveLength(1);
    expect(audit.body.events[0].data).toMatchObject({
      resource: { type: "webhook", id: w.uid },
      actor: { type: "api_key" },
    });
    expect(JSON.stringify(audit.body)).not.toContain(w.secret);
    expect((await gh.api("POST", "/v1/webhooks/999/secret/reveal")).body).toEqual({
      error: "Wrong webhook uid",
      code: "wrong_uid",
    });
  });

  it("signs with both secrets during the overlap, then with the new one alone", async () => {
    const { body: w } = await gh.api("POST", "/v1/webhooks", {
      url: `${rx.url}/rot`,
      event_types: ["door.opened"],
    });
    const old = w.secret as string;
    const rotated = await gh.api("POST", `/v1/webhooks/${w.uid}/secret/rotate`, { overlap_seconds: 3600 });
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).not.toBe(old);
    expect(rotated.body.previous_secret).toBe(old);
    expect(rotated.body.previous_secret_expires_at).toBeGreaterThan(Date.now() / 1000 + 3500);
    expect((await gh.api("GET", `/v1/webhooks/${w.uid}`)).body.secret_rotation).toEqual({
      previous_secret_expires_at: rotated.body.previous_secret_expires_at,
    });

    const at = () => rx.received.filter((r) => r.path === "/rot");
    await gh.api("POST", "/v1/events", { type: "door.opened", site_id: 1, data: validData("door.opened") });
    const [during] = await waitFor(() => (at().length >= 1 ? at() : undefined), { timeoutMs: 10_000 });
    const signature = String(during?.headers["webhook-signature"]);
    expect(signature.split(" ")).toHaveLength(2);
    // A receiver holding either secret verifies.
    expect(verifyStandard(old, during?.headers ?? {}, during?.body ?? "")).toBe(true);
    expect(verifyStandard(rotated.body.secret, during?.headers ?? {}, during?.body ?? "")).toBe(true);

    const now = await gh.api("POST", `/v1/webhooks/${w.uid}/secret/rotate`, { overlap_seconds: 0 });
    expect(now.body.previous_secret).toBeNull();
    await gh.api("POST", "/v1/events", { type: "door.opened", site_id: 1, data: validData("door.opened") });
    const after = await waitFor(() => (at().length >= 2 ? at()[1] : undefined), { timeoutMs: 10_000 });
    expect(String(after.headers["webhook-signature"]).split(" ")).toHaveLength(1);
    expect(verifyStandard(now.body.secret, after.headers, after.body)).toBe(true);
    expect(verifyStandard(rotated.body.secret, after.headers, after.body)).toBe(false);

    const audit = await gh.api("GET", "/v1/events?type=audit.webhook.secret_rotated");
    expect(audit.body.events).toHaveLength(2);
    expect(JSON.stringify(audit.body)).not.toContain(now.body.secret);
  });

  it("takes a chosen secret, refuses the current one and a bad overlap", async () => {
    const { body: w } = await gh.api("POST", "/v1/webhooks", { url: `${rx.url}/c`, event_types: [] });
    const same = await gh.api("POST", `/v1/webhooks/${w.uid}/secret/rotate`, { secret: w.secret });
    expect(same.status).toBe(400);
    expect(same.body.error).toBe("secret: must differ from the current secret");
    const long = await gh.api("POST", `/v1/webhooks/${w.uid}/secret/rotate`, { overlap_seconds: 10_000_000 });
    expect(long.body.error).toMatch(/^overlap_seconds: must be between 0 and 604800/);
    const chosen = await gh.api("POST", `/v1/webhooks/${w.uid}/secret/rotate`, {
      secret: "my-own-secret-0123456789",
    });
    expect(chosen.status).toBe(200);
    expect(chosen.body.secret).toBe("my-own-secret-0123456789");
    const empty = await gh.api("POST", `/v1/webhooks/${w.uid}/secret/rotate`);
    expect(empty.status).toBe(200);
    expect(empty.body.secret).toMatch(/^whsec_/);
  });
});

describe("event-type search", () => {
  let gh: TestServer;
  beforeAll(async () => {
    gh = await startTestServer();
  });
  afterAll(async () => {
    await gh.stop();
  });

  const found = async (search: string) => {
    const res = await gh.api("GET", `/v1/event-types?search=${encodeURIComponent(search)}`);
    expect(res.status).toBe(200);
    return res.body.groups.flatMap((g: { types: { type: string }[] }) =>
      g.types.map((t) => t.type),
    ) as string[];
  };

  it("searches names, groups, descriptions and vendor names", async () => {
    const door = await found("door");
    expect(door).toContain("door.opened");
    expect(door).toContain("access.granted"); // "through a door" in its description
    expect(await found("unlock")).toContain("access.granted"); // Kisi's lock.unlock
    expect(await found("tamper_event")).toEqual(["device.tamper"]);
    expect(await found("accesslog")).toEqual(["access.granted", "access.denied"]);
    expect(await found("door forced")).toContain("door.forced_open");
    expect(await found("no-such-thing")).toEqual([]);
  });

  it("returns vendor aliases with what it finds", async () => {
    const res = await gh.api("GET", "/v1/event-types?search=healthcheck");
    const types = res.body.groups.flatMap((g: { types: unknown[] }) => g.types);
    expect(types).toContainEqual(
      expect.objectContaining({
        type: "device.healthcheck",
        aliases: expect.objectContaining({ alocity: ["door.healthcheck"] }),
      }),
    );
  });
});

describe("template variables", () => {
  let gh: TestServer;
  beforeAll(async () => {
    gh = await startTestServer();
  });
  afterAll(async () => {
    await gh.stop();
  });

  it("lists what a template can print, and a template naming anything else is refused on save", async () => {
    const res = await gh.api("GET", "/v1/template-variables");
    expect(res.status).toBe(200);
    const names = res.body.variables.map((v: { name: string }) => v.name);
    for (const name of ["event.type", "user.name", "credential.uid", "door.name", "timestamp", "decision"]) {
      expect(names).toContain(name);
    }
    expect(res.body.limits.template_bytes).toBe(16_384);
    const bad = await gh.api("POST", "/v1/webhooks", {
      url: "https://example.com/t",
      payload_format: "template",
      template: '{"who": "{{ user.nam }}"}',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatch(
      /^template: unknown variable "user\.nam" at line 1, column \d+ \(did you mean "user\.name"\?\)/,
    );
    const syntax = await gh.api("POST", "/v1/webhooks", {
      url: "https://example.com/t",
      payload_format: "template",
      template: "{% if user %}unclosed",
      template_content_type: "text/plain",
    });
    expect(syntax.status).toBe(400);
    expect(syntax.body.error).toMatch(/^template: .*line 1/);
  });
});

describe("preview", () => {
  let gh: TestServer;
  beforeAll(async () => {
    gh = await startTestServer();
  });
  afterAll(async () => {
    await gh.stop();
  });

  const preview = (body: Record<string, unknown>) => gh.api("POST", "/v1/webhooks/preview", body);

  it("renders a sample access.granted as the settings tried would send it, signed", async () => {
    const res = await preview({ webhook: { payload_format: "kisi", signature_scheme: "kisi" } });
    expect(res.status).toBe(200);
    const body = JSON.parse(res.body.request.body);
    expect(body).toMatchObject({ uuid: res.body.event.id, type: "lock.unlock", success: true });
    expect(res.body.request.headers["x-signature"]).toMatch(/^[0-9a-f]{64}$/);
    expect(res.body.request.headers["content-type"]).toBe("application/json");
  });

  it("renders a template against an event given inline, and names a template's problem", async () => {
    const template = "{{ user.name }} at {{ door.name }}: {{ decision }}";
    const res = await preview({
      webhook: { payload_format: "template", template, template_content_type: "text/plain" },
      event: { type: "access.denied", data: validData("access.denied") },
    });
    expect(res.status).toBe(200);
    const data = validData("access.denied") as { door: { name: string } };
    expect(res.body.request.body).toContain(`at ${data.door.name}: denied`);
    const bad = await preview({ webhook: { payload_format: "template", template: "{{ nope }}" } });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatch(/^template: unknown variable "nope"/);
  });

  it("starts from a saved webhook, its secret and a stored event", async () => {
    const { body: w } = await gh.api("POST", "/v1/webhooks", {
      url: "https://example.com/genea",
      payload_format: "genea",
      payload_version: "v1",
      signature_scheme: "genea",
      authorization: { type: "bearer", token: "tok-123456" },
    });
    const posted = await gh.api("POST", "/v1/events", {
      type: "door.forced_open",
      site_id: 2,
      data: validData("door.forced_open"),
    });
    const res = await preview({ uid: w.uid, event_id: posted.body.ids[0] });
    expect(res.status).toBe(200);
    expect(res.body.event).toMatchObject({ id: posted.body.ids[0], type: "door.forced_open" });
    expect(res.body.request.url).toBe("https://example.com/genea");
    expect(res.body.request.headers["x-sequr-signature"]).toMatch(/^sha1=[0-9a-f]{40}$/);
    expect(res.body.request.headers.authorization).toBe("Bearer ****");
    expect(res.body.request.body).toContain(posted.body.ids[0]);
    const v3 = await preview({
      uid: w.uid,
      event_id: posted.body.ids[0],
      webhook: { payload_version: "v3" },
    });
    expect(v3.body.request.body).not.toBe(res.body.request.body);
    const missing = await preview({ uid: w.uid, event_id: "no-such-event" });
    expect(missing.status).toBe(400);
    expect(missing.body.error).toBe("event_id: no stored event has the id no-such-event");
    const both = await preview({ event_id: "x", event_type: "door.opened" });
    expect(both.body.error).toMatch(/give at most one of event_id, event and event_type/);
  });
});

describe("changes within one millisecond", () => {
  let gh: TestServer;
  let rx: Receiver;
  const clock = new ManualClock(Date.parse("2026-11-23T08:00:00Z"));
  beforeAll(async () => {
    gh = await startTestServer({ clock });
    rx = await Receiver.start();
  });
  afterAll(async () => {
    await gh.stop();
    await rx.close();
  });

  it("are each seen by fan-out, though the clock has not moved", async () => {
    const { body: w } = await gh.api("POST", "/v1/webhooks", {
      url: `${rx.url}/same-ms`,
      event_types: ["door.opened"],
    });
    const first = await gh.api("PATCH", `/v1/webhooks/${w.uid}`, { event_types: ["door.closed"] });
    const second = await gh.api("PATCH", `/v1/webhooks/${w.uid}`, { event_types: ["door.forced_open"] });
    expect(second.body.event_types).toEqual(["door.forced_open"]);
    expect(first.status).toBe(200);
    for (const type of ["door.opened", "door.closed", "door.forced_open"]) {
      await gh.api("POST", "/v1/events", { type, site_id: 1, data: validData(type) });
    }
    const [got] = await rx.waitForCount(1);
    expect(got?.json.type).toBe("door.forced_open");
    // Anything else would have been queued by the same commits.
    const deliveries = await gh.api("GET", `/v1/webhooks/${w.uid}/deliveries`);
    expect(deliveries.body.deliveries).toHaveLength(1);
  });
});
