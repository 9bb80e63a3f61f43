// The webhook entity's API contract: every field and limit of the BAS-IP webhook entity (seed 004), the
// create/list/get/patch/delete answers, and the exact errors for malformed uids and bodies.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/lib/clock.js";
import { startTestServer, type TestServer } from "../support/server.js";

/** The system headers seed 004 says a webhook cannot override, copied literally from the seed. */
const SEED_004_SYSTEM_HEADERS = [
  "host",
  "connection",
  "keep-alive",
  "transfer-encoding",
  "upgrade",
  "via",
  "te",
  "trailer",
  "content-length",
  "content-type",
  "authorization",
  "origin",
  "permissions-policy",
  "user-agent",
  "accept",
  "accept-encoding",
  "accept-language",
  "x-forwarded-for",
  "x-forwarded-host",
  "x-forwarded-proto",
  "x-real-ip",
  "forwarded",
  "date",
  "expires",
  "last-modified",
  "cache-control",
  "etag",
  "if-match",
  "if-none-match",
  "access-control-allow-origin",
  "access-control-allow-methods",
  "access-control-allow-headers",
  "access-control-expose-headers",
];

const MALFORMED_UIDS = ["0", "-1", "abc", "1.5", "99999", "1e0", "0x1", "01"];

/** A syntactically valid http(s) URL of exactly `length` characters. */
function urlOfLength(length: number): string {
  const base = "https://example.com/";
  return base + "a".repeat(length - base.length);
}

/** The error names the field first, or one of its items (`event_types[0]: …`). */
const namesField = (field: string) => new RegExp(`^${field}(\\[\\d+\\])?: `);

const headersJson = (h: Record<string, unknown>) => JSON.stringify(h);

/** A field value the API must refuse, and why (for the test name). */
interface Refused {
  field: string;
  value: unknown;
  why: string;
}

/** A field value the API must accept and store as given. */
interface Accepted {
  field: string;
  value: unknown;
  why: string;
}

const refused: Refused[] = [
  { field: "url", value: "a:b", why: "3 characters" },
  { field: "url", value: urlOfLength(2001), why: "2001 characters" },
  { field: "url", value: "ftp://example.com/hook", why: "not http(s)" },
  { field: "url", value: "not a url at all", why: "not a URL" },
  { field: "url", value: "http://", why: "no host" },
  { field: "url", value: "example.com/hook", why: "no scheme" },
  { field: "url", value: 12345, why: "a number" },
  { field: "url", value: null, why: "null" },
  { field: "secret", value: "a".repeat(15), why: "15 characters" },
  { field: "secret", value: "a".repeat(129), why: "129 characters" },
  { field: "secret", value: 1234567890123456, why: "a number" },
  { field: "secret", value: "whsec_!!!!not-base64!!!!", why: "a whsec_ secret that is not base64" },
  { field: "status", value: "enabled", why: "not active/disabled" },
  { field: "status", value: "ACTIVE", why: "wrong case" },
  { field: "status", value: "", why: "empty" },
  { field: "status", value: true, why: "a boolean" },
  { field: "timeout", value: 999, why: "999" },
  { field: "timeout", value: 30001, why: "30001" },
  { field: "timeout", value: 0, why: "0" },
  { field: "timeout", value: -5000, why: "negative" },
  { field: "timeout", value: 1500.5, why: "not an integer" },
  { field: "timeout", value: "5000", why: "a string" },
  { field: "timeout", value: null, why: "null" },
  { field: "headers", value: {}, why: "an object, not a JSON string" },
  { field: "headers", value: "{not json", why: "not JSON" },
  { field: "headers", value: "[]", why: "a JSON array" },
  { field: "headers", value: '"X-A: b"', why: "a JSON string" },
  { field: "headers", value: "null", why: "JSON null" },
  { field: "headers", value: "42", why: "a JSON number" },
  { field: "headers", value: headersJson({ "X A": "b" }), why: "a name with a space" },
  { field: "headers", value: headersJson({ "X:A": "b" }), why: "a name with a colon" },
  { field: "headers", value: headersJson({ "X(A)": "b" }), why: "a name with parentheses" },
  { field: "headers", value: headersJson({ "X@A": "b" }), why: "a name with @" },
  { field: "headers", value: headersJson({ "X/A": "b" }), why: "a name with /" },
  { field: "headers", value: headersJson({ "X,A": "b" }), why: "a name with a comma" },
  { field: "headers", value: headersJson({ 'X"A': "b" }), why: "a name with a quote" },
  { field: "headers", value: headersJson({ "X-Ключ": "b" }), why: "a name with non-ASCII" },
  { field: "headers", value: headersJson({ "": "b" }), why: "an empty name" },
  { field: "headers", value: headersJson({ "X-A": "line\nbreak" }), why: "a value with a newline" },
  { field: "headers", value: headersJson({ "X-A": "cr\rhere" }), why: "a value with a carriage return" },
  { field: "headers", value: headersJson({ "X-A": "nul\u0000" }), why: "a value with NUL" },
  { field: "headers", value: headersJson({ "X-A": "del\u007f" }), why: "a value with DEL" },
  { field: "headers", value: headersJson({ "X-A": "café" }), why: "a value with extended ASCII" },
  { field: "headers", value: headersJson({ "X-A": "€" }), why: "a value with non-ASCII" },
  { field: "headers", value: headersJson({ "X-A": 5 }), why: "a number value" },
  { field: "headers", value: headersJson({ "X-A": null }), why: "a null value" },
  { field: "headers", value: '{"X-A":"1","x-a":"2"}', why: "one name twice, differently cased" },
  { field: "headers", value: headersJson({ "webhook-signature": "v1,forged" }), why: "a signature header" },
  { field: "description", value: "d".repeat(1001), why: "1001 characters" },
  { field: "description", value: 5, why: "a number" },
  { field: "event_types", value: ["door.nope"], why: "an unknown type" },
  { field: "event_types", value: ["access.granted", "nope.*"], why: "an unknown group wildcard" },
  { field: "event_types", value: ["door"], why: "a bare group name" },
  { field: "event_types", value: ["access.granted.*"], why: "a wildcard below a type" },
  { field: "event_types", value: ["**"], why: "a double star" },
  { field: "event_types", value: [""], why: "an empty name" },
  { field: "event_types", value: ["custom."], why: "custom with no name" },
  { field: "event_types", value: ["custom.Bad-Name"], why: "a custom name with bad characters" },
  { field: "event_types", value: "door.*", why: "a string, not a list" },
  { field: "event_types", value: [1], why: "a list of numbers" },
  { field: "max_retries", value: -1, why: "-1" },
  { field: "max_retries", value: 6, why: "6" },
  { field: "max_retries", value: 1.5, why: "not an integer" },
  { field: "max_retries", value: "3", why: "a string" },
  { field: "name", value: "n".repeat(201), why: "201 characters" },
];

const accepted: Accepted[] = [
  { field: "url", value: urlOfLength(2000), why: "2000 characters" },
  { field: "url", value: "http://example.com/hook", why: "http" },
  { field: "url", value: "https://example.com:8443/hook?x=1", why: "https with port and query" },
  { field: "secret", value: "s".repeat(16), why: "16 characters" },
  { field: "secret", value: "s".repeat(128), why: "128 characters" },
  { field: "secret", value: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", why: "a whsec_ secret" },
  { field: "status", value: "active", why: "active" },
  { field: "status", value: "disabled", why: "disabled" },
  { field: "timeout", value: 1000, why: "1000" },
  { field: "timeout", value: 30000, why: "30000" },
  { field: "headers", value: "{}", why: "no headers" },
  { field: "headers", value: headersJson({ "X-Api-Key": "abc" }), why: "one header" },
  { field: "headers", value: headersJson({ "A!#$%&'*+-.^_`|~9z": "v" }), why: "every RFC 7230 token symbol" },
  {
    field: "headers",
    value: headersJson({ "X-A": "tab\there and space ~!" }),
    why: "tab, space, visible ASCII",
  },
  { field: "headers", value: headersJson({ "X-Empty": "" }), why: "an empty value" },
  { field: "description", value: "", why: "empty" },
  { field: "description", value: "d".repeat(1000), why: "1000 characters" },
  { field: "event_types", value: [], why: "none" },
  { field: "event_types", value: ["access.granted"], why: "an exact type" },
  { field: "event_types", value: ["door.*"], why: "a group wildcard" },
  { field: "event_types", value: ["*"], why: "everything" },
  { field: "event_types", value: ["custom.*"], why: "every custom type" },
  { field: "event_types", value: ["custom.my_thing"], why: "one custom type" },
  { field: "event_types", value: ["door.*", "access.granted", "custom.my_thing"], why: "a mix" },
  { field: "max_retries", value: 0, why: "0" },
  { field: "max_retries", value: 5, why: "5" },
  { field: "name", value: "n".repeat(200), why: "200 characters" },
];

describe("webhooks API", () => {
  let gh: TestServer;
  let viewerKey: string;
  const newWebhook = async (fields: Record<string, unknown> = {}) => {
    const res = await gh.api("POST", "/v1/webhooks", { url: "https://example.com/hook", ...fields });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body;
  };

  beforeAll(async () => {
    gh = await startTestServer();
    const key = await gh.api("POST", "/v1/api-keys", { name: "viewer", role: "viewer" });
    expect(key.status).toBe(201);
    viewerKey = key.body.key;
  });
  afterAll(async () => {
    await gh.stop();
  });

  describe("create", () => {
    it("answers 201 with the whole entity: uid ≥ 1 and Unix-second timestamps", async () => {
      const before = Math.floor(Date.now() / 1000);
      const res = await gh.api("POST", "/v1/webhooks", {
        url: "https://api.yourcompany.com/webhooks/1",
        secret: "1234567890abcdef",
        status: "active",
        timeout: 10000,
        headers: "{}",
        description: "Webhook info",
        event_types: ["access.granted", "door.*"],
        max_retries: 1,
      });
      const after = Math.ceil(Date.now() / 1000);
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        url: "https://api.yourcompany.com/webhooks/1",
        secret: "1234567890abcdef",
        status: "active",
        timeout: 10000,
        headers: "{}",
        description: "Webhook info",
        event_types: ["access.granted", "door.*"],
        max_retries: 1,
      });
      expect(Number.isInteger(res.body.uid) && res.body.uid >= 1).toBe(true);
      for (const at of [res.body.created_at, res.body.updated_at]) {
        expect(Number.isInteger(at)).toBe(true);
        expect(at).toBeGreaterThanOrEqual(before);
        expect(at).toBeLessThanOrEqual(after);
      }
    });

    it("gives each webhook its own uid", async () => {
      const a = await newWebhook();
      const b = await newWebhook();
      expect(b.uid).not.toBe(a.uid);
    });

    it("generates `whsec_` + base64 of 24 random bytes when the secret is left out", async () => {
      const a = await newWebhook();
      const b = await newWebhook();
      for (const secret of [a.secret, b.secret]) {
        expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
        expect(Buffer.from(secret.slice("whsec_".length), "base64")).toHaveLength(24);
      }
      expect(a.secret).not.toBe(b.secret);
    });

    it("requires a url", async () => {
      const res = await gh.api("POST", "/v1/webhooks", { event_types: ["*"] });
      expect(res.status).toBe(400);
      expect(res.body.error).toMatch(/^url: /);
    });

    it.each(refused)("refuses $field = $why with a 400 naming the field", async ({ field, value }) => {
      const res = await gh.api("POST", "/v1/webhooks", { url: "https://example.com/hook", [field]: value });
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(res.body.error).toMatch(namesField(field));
    });

    it.each(accepted)("accepts $field = $why and stores it as given", async ({ field, value }) => {
      const res = await gh.api("POST", "/v1/webhooks", { url: "https://example.com/hook", [field]: value });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect(res.body[field]).toEqual(value);
      const got = await gh.api("GET", `/v1/webhooks/${res.body.uid}`);
      expect(got.body[field]).toEqual(value);
    });

    it.each(SEED_004_SYSTEM_HEADERS)("refuses the system header %s in any letter case", async (name) => {
      const title = name.replace(/(^|-)([a-z])/g, (_m, dash: string, c: string) => dash + c.toUpperCase());
      for (const variant of [name, name.toUpperCase(), title]) {
        const res = await gh.api("POST", "/v1/webhooks", {
          url: "https://example.com/hook",
          headers: headersJson({ "X-Fine": "ok", [variant]: "value" }),
        });
        expect(res.status, variant).toBe(400);
        expect(res.body.error).toMatch(/^headers: /);
        expect(res.body.error).toContain(variant);
      }
    });

    it.each(["uid", "created_at", "updated_at", "disabled_reason", "foo"])(
      "refuses the unknown or read-only field %s",
      async (field) => {
        const res = await gh.api("POST", "/v1/webhooks", { url: "https://example.com/hook", [field]: 7 });
        expect(res.status).toBe(400);
        expect(res.body.error).toContain(field);
      },
    );

    it.each(["{not json", '{"url": "https://example.com/hook",}', ""])(
      "answers 400 Wrong JSON body to %j",
      async (raw) => {
        const res = await gh.api("POST", "/v1/webhooks", raw);
        expect(res.status).toBe(400);
        expect(res.body.error).toBe("Wrong JSON body");
      },
    );

    it.each([
      ["an array", []],
      ["a number", 5],
      ["null", null],
    ])("refuses a body that is %s", async (_what, body) => {
      const res = await gh.api("POST", "/v1/webhooks", JSON.stringify(body));
      expect(res.status).toBe(400);
      expect(typeof res.body.error).toBe("string");
    });
  });

  describe("list and get", () => {
    it("lists webhooks without any `secret` key", async () => {
      const created = await newWebhook({ secret: "list-secret-0123456789" });
      const res = await gh.api("GET", "/v1/webhooks");
      expect(res.status).toBe(200);
      expect(res.body.webhooks.length).toBeGreaterThan(0);
      const listed = res.body.webhooks.find((w: any) => w.uid === created.uid);
      expect(listed).toMatchObject({ uid: created.uid, url: created.url });
      for (const w of res.body.webhooks) expect(w).not.toHaveProperty("secret");
      expect(JSON.stringify(res.body)).not.toContain("list-secret-0123456789");
    });

    it("shows the secret to an administrator", async () => {
      const created = await newWebhook({ secret: "admin-sees-0123456789" });
      const res = await gh.api("GET", `/v1/webhooks/${created.uid}`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual(created);
    });

    it("hides the secret from a viewer", async () => {
      const created = await newWebhook({ secret: "viewer-blind-0123456789" });
      const res = await gh.api("GET", `/v1/webhooks/${created.uid}`, undefined, viewerKey);
      expect(res.status).toBe(200);
      expect(res.body).not.toHaveProperty("secret");
      const { secret: _hidden, ...rest } = created;
      expect(res.body).toEqual(rest);
    });
  });

  describe("patch", () => {
    it("changes only the fields given", async () => {
      const created = await newWebhook({ description: "before", event_types: ["door.*"] });
      const res = await gh.api("PATCH", `/v1/webhooks/${created.uid}`, {
        url: "https://example.org/changed",
        secret: "a-brand-new-secret-42",
        timeout: 2500,
        headers: headersJson({ "X-Tenant": "7" }),
        description: "after",
        event_types: ["access.granted", "custom.*"],
        max_retries: 0,
        status: "disabled",
      });
      expect(res.status).toBe(200);
      const expected = {
        ...created,
        url: "https://example.org/changed",
        secret: "a-brand-new-secret-42",
        timeout: 2500,
        headers: headersJson({ "X-Tenant": "7" }),
        description: "after",
        event_types: ["access.granted", "custom.*"],
        max_retries: 0,
        status: "disabled",
        updated_at: res.body.updated_at,
      };
      expect(res.body).toEqual(expected);
      expect((await gh.api("GET", `/v1/webhooks/${created.uid}`)).body).toEqual(expected);

      const again = await gh.api("PATCH", `/v1/webhooks/${created.uid}`, { description: "only this" });
      expect(again.status).toBe(200);
      expect(again.body).toEqual({
        ...expected,
        description: "only this",
        updated_at: again.body.updated_at,
      });
    });

    it.each(refused)("refuses $field = $why and leaves the webhook as it was", async ({ field, value }) => {
      const created = await newWebhook();
      const res = await gh.api("PATCH", `/v1/webhooks/${created.uid}`, { [field]: value });
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(res.body.error).toMatch(namesField(field));
      expect((await gh.api("GET", `/v1/webhooks/${created.uid}`)).body).toEqual(created);
    });

    it.each(accepted)("accepts $field = $why", async ({ field, value }) => {
      const created = await newWebhook();
      const res = await gh.api("PATCH", `/v1/webhooks/${created.uid}`, { [field]: value });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body[field]).toEqual(value);
    });

    it("refuses a system header set by patch", async () => {
      const created = await newWebhook();
      const res = await gh.api("PATCH", `/v1/webhooks/${created.uid}`, {
        headers: headersJson({ Authorization: "Bearer x" }),
      });
      expect(res.status).toBe(400);
      expect(res.body.error).toMatch(/^headers: .*Authorization/);
    });

    it.each(["uid", "created_at", "updated_at", "foo"])(
      "refuses the unknown or read-only field %s",
      async (f) => {
        const created = await newWebhook();
        const res = await gh.api("PATCH", `/v1/webhooks/${created.uid}`, { [f]: 1 });
        expect(res.status).toBe(400);
        expect(res.body.error).toContain(f);
      },
    );

    it("answers 400 Wrong JSON body to invalid JSON", async () => {
      const created = await newWebhook();
      const res = await gh.api("PATCH", `/v1/webhooks/${created.uid}`, "{bad");
      expect(res.status).toBe(400);
      expect(res.body.error).toBe("Wrong JSON body");
    });
  });

  describe("delete", () => {
    it("answers 204, then the uid is gone from get, patch, delete, test and the list", async () => {
      const created = await newWebhook();
      const res = await gh.api("DELETE", `/v1/webhooks/${created.uid}`);
      expect(res.status).toBe(204);
      expect(res.body).toBeNull();
      for (const [method, path, body] of [
        ["GET", `/v1/webhooks/${created.uid}`, undefined],
        ["PATCH", `/v1/webhooks/${created.uid}`, { description: "x" }],
        ["DELETE", `/v1/webhooks/${created.uid}`, undefined],
        ["POST", `/v1/webhooks/${created.uid}/test`, undefined],
        ["GET", `/v1/webhooks/${created.uid}/deliveries`, undefined],
      ] as const) {
        const after = await gh.api(method, path, body);
        expect(after.status, `${method} ${path}`).toBe(400);
        expect(after.body.error).toBe("Wrong webhook uid");
      }
      const list = await gh.api("GET", "/v1/webhooks");
      expect(list.body.webhooks.map((w: any) => w.uid)).not.toContain(created.uid);
    });
  });

  describe("malformed or unknown uids answer exactly as the BAS-IP entity does", () => {
    const calls = [
      ["GET", ""],
      ["PATCH", ""],
      ["DELETE", ""],
      ["POST", "/test"],
      ["GET", "/deliveries"],
    ] as const;
    const cases = MALFORMED_UIDS.flatMap((uid) =>
      calls.map(([method, suffix]) => ({ uid, method, path: `/v1/webhooks/${uid}${suffix}` })),
    );

    beforeAll(async () => {
      // So that uid 1 exists and `1e0`, `0x1` or `01` would find it if they were read as numbers.
      await newWebhook();
    });

    it.each(cases)("$method $path", async ({ method, path }) => {
      const res = await gh.api(method, path, method === "PATCH" ? { description: "x" } : undefined);
      expect(res.status).toBe(400);
      expect(res.body.error).toBe("Wrong webhook uid");
    });
  });
});

describe("updated_at", () => {
  let gh: TestServer;
  const clock = new ManualClock(Date.UTC(2026, 0, 1, 8, 0, 0));
  const api = (method: string, path: string, body?: unknown) => gh.api(method, path, body);

  beforeAll(async () => {
    gh = await startTestServer({ clock });
  });
  afterAll(() => gh.stop());

  it("is the time of the last change in Unix seconds; created_at stays", async () => {
    const created = await api("POST", "/v1/webhooks", { url: "https://example.com/hook" });
    const t0 = Date.UTC(2026, 0, 1, 8, 0, 0) / 1000;
    expect(created.body).toMatchObject({ created_at: t0, updated_at: t0 });

    clock.advance(90_000);
    const patched = await api("PATCH", `/v1/webhooks/${created.body.uid}`, { description: "later" });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ created_at: t0, updated_at: t0 + 90 });

    clock.advance(5_000);
    const refused = await api("PATCH", `/v1/webhooks/${created.body.uid}`, { timeout: 1 });
    expect(refused.status).toBe(400);
    const got = await api("GET", `/v1/webhooks/${created.body.uid}`);
    expect(got.body).toMatchObject({ created_at: t0, updated_at: t0 + 90, description: "later" });
  });
});
