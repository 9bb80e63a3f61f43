// Every signature scheme × every payload format, delivered for real to a loopback receiver and checked by
// code written from the seeds alone (test/support/seed-signatures.ts), not by our signing code.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { validData } from "../support/event-data.js";
import { Receiver } from "../support/receiver.js";
import { verifiesPerSeed } from "../support/seed-signatures.js";
import { startTestServer, type TestServer } from "../support/server.js";

const SCHEMES = ["standard", "kisi", "genea", "alocity", "basip", "none"] as const;
const FORMATS: Array<{ payload_format: string; payload_version?: string; template?: string; name: string }> =
  [
    { name: "gatehouse", payload_format: "gatehouse" },
    { name: "kisi", payload_format: "kisi" },
    { name: "alocity", payload_format: "alocity" },
    { name: "basip", payload_format: "basip" },
    { name: "genea-v1", payload_format: "genea", payload_version: "v1" },
    { name: "genea-v2", payload_format: "genea", payload_version: "v2" },
    { name: "genea-v3", payload_format: "genea", payload_version: "v3" },
    {
      name: "template",
      payload_format: "template",
      template:
        '{"uid": "{{ credential.uid }}", "who": "{{ user.name }}", "door": "{{ door.name }}", "when": "{{ timestamp }}", "decision": "{{ decision }}"}',
    },
  ];

/** What each format must say about the access.granted event posted below. */
function checkBody(format: string, body: Record<string, unknown>, eventId: string): void {
  const data = validData("access.granted") as { door: { id: number; name: string }; user: { name: string } };
  switch (format) {
    case "gatehouse":
      expect(body).toMatchObject({ id: eventId, type: "access.granted", data });
      break;
    case "kisi":
      expect(body).toMatchObject({
        uuid: eventId,
        type: "lock.unlock",
        success: true,
        object_id: data.door.id,
      });
      break;
    case "alocity":
      expect(JSON.stringify(body)).toContain("accesslog.created");
      break;
    case "basip":
      expect(JSON.stringify(body)).toMatch(
        /"log\.(access_granted_by_|multi_access_granted|lock_was_opened_by_)/,
      );
      break;
    case "template":
      expect(body).toMatchObject({ who: data.user.name, door: data.door.name, decision: "permitted" });
      break;
    default:
      expect(format).toMatch(/^genea-v[123]$/);
      expect(JSON.stringify(body)).toContain(eventId);
  }
}

describe("every scheme × every format, on the wire", () => {
  let gh: TestServer;
  let rx: Receiver;
  const secrets = new Map<string, string>();

  beforeAll(async () => {
    gh = await startTestServer();
    rx = await Receiver.start();
    for (const scheme of SCHEMES) {
      for (const f of FORMATS) {
        const { name, ...format } = f;
        const res = await gh.api("POST", "/v1/webhooks", {
          url: `${rx.url}/${scheme}/${name}`,
          signature_scheme: scheme,
          ...format,
          custom_body: name === "kisi" ? { source: "gatehouse" } : {},
          event_types: ["access.granted"],
        });
        expect(res.status, `${scheme} ${name}: ${JSON.stringify(res.body)}`).toBe(201);
        secrets.set(`/${scheme}/${name}`, res.body.secret);
      }
    }
  });
  afterAll(async () => {
    await gh.stop();
    await rx.close();
  });

  it("delivers one access.granted to each, signed as its scheme says and shaped as its format says", async () => {
    const posted = await gh.api("POST", "/v1/events", {
      type: "access.granted",
      site_id: 3,
      data: validData("access.granted"),
    });
    expect(posted.status).toBe(202);
    const eventId = posted.body.ids[0] as string;
    const all = await rx.waitForCount(SCHEMES.length * FORMATS.length, 20_000);
    expect(new Set(all.map((r) => r.path)).size).toBe(SCHEMES.length * FORMATS.length);
    for (const got of all) {
      const [, scheme, format] = got.path.split("/") as [string, string, string];
      const secret = secrets.get(got.path) as string;
      expect(verifiesPerSeed(scheme, secret, got.headers, got.body), got.path).toBe(true);
      // A byte changed anywhere breaks every scheme that signs.
      if (scheme !== "none") expect(verifiesPerSeed(scheme, secret, got.headers, `${got.body} `)).toBe(false);
      expect(got.headers["content-type"]).toBe("application/json");
      const body = JSON.parse(got.body) as Record<string, unknown>;
      checkBody(format, body, eventId);
      if (format === "kisi") expect(body.source).toBe("gatehouse");
    }
  });
});
