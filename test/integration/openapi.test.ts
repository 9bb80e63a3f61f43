import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../support/server.js";

describe("the OpenAPI document", () => {
  let gh: TestServer;
  beforeAll(async () => {
    gh = await startTestServer();
  });
  afterAll(() => gh.stop());

  it("served at /openapi.json matches the committed openapi.json (run `npm run openapi` after an API change)", async () => {
    const served: any = await (await fetch(`${gh.url}/openapi.json`)).json();
    const committed = JSON.parse(readFileSync(new URL("../../openapi.json", import.meta.url), "utf8"));
    expect(served).toEqual(committed);
  });

  it("documents every public route with its security and error bodies", async () => {
    const doc: any = await (await fetch(`${gh.url}/openapi.json`)).json();
    expect(doc.openapi).toBe("3.1.0");
    const ops = Object.entries(doc.paths as Record<string, Record<string, any>>).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => ({ path, method, op })),
    );
    const names = ops.map((o) => `${o.method.toUpperCase()} ${o.path}`).sort();
    expect(names).toEqual(
      [
        "DELETE /v1/api-keys/{id}",
        "DELETE /v1/webhooks/{uid}",
        "GET /v1/api-keys",
        "GET /v1/deliveries/{id}",
        "GET /v1/event-types",
        "GET /v1/event-types/{type}",
        "GET /v1/events",
        "GET /v1/webhooks",
        "GET /v1/webhooks/{uid}",
        "GET /v1/webhooks/{uid}/deliveries",
        "GET /v1/template-variables",
        "PATCH /v1/webhooks/{uid}",
        "POST /v1/api-keys",
        "POST /v1/deliveries/{id}/retry",
        "POST /v1/events",
        "POST /v1/webhooks",
        "POST /v1/webhooks/preview",
        "POST /v1/webhooks/{uid}/secret/reveal",
        "POST /v1/webhooks/{uid}/secret/rotate",
        "POST /v1/webhooks/{uid}/test",
        ...[
          "sites",
          "doors",
          "devices",
          "users",
          "credentials",
          "access-groups",
          "schedules",
          "holidays",
        ].flatMap((r) => [
          `GET /v1/${r}`,
          `POST /v1/${r}`,
          `GET /v1/${r}/{id}`,
          `PATCH /v1/${r}/{id}`,
          `DELETE /v1/${r}/{id}`,
        ]),
        "POST /v1/doors/{id}/access-requests",
        "POST /v1/doors/{id}/unlock",
        "POST /v1/doors/{id}/mode",
        "GET /v1/doors/{id}/state",
        "POST /v1/devices/{serial}/heartbeat",
        "POST /v1/devices/{serial}/inputs",
        "POST /v1/devices/{serial}/events",
      ].sort(),
    );
    for (const { op } of ops) {
      expect(op.security).toEqual([{ bearerAuth: [] }]);
      expect(op.responses["401"].content["application/json"].schema.$ref).toBe("#/components/schemas/Error");
    }
    const webhookIn = doc.components.schemas.WebhookIn;
    expect(webhookIn.properties.timeout).toMatchObject({ minimum: 1000, maximum: 30000 });
    expect(webhookIn.properties.url).toMatchObject({ minLength: 4, maxLength: 2000 });
  });
});
