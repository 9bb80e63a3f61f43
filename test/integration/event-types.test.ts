// GET /v1/event-types/{type}: each catalog type with the JSON Schema of its data, custom.* generically.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EVENT_TYPES } from "../../src/events/catalog.js";
import { validData } from "../support/event-data.js";
import { startTestServer, type TestServer } from "../support/server.js";

describe("GET /v1/event-types/{type}", () => {
  let gh: TestServer;
  beforeAll(async () => {
    gh = await startTestServer();
  });
  afterAll(async () => {
    await gh.stop();
  });

  it("answers access.granted with its group, vendor names and data schema", async () => {
    const res = await gh.api("GET", "/v1/event-types/access.granted");
    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(["aliases", "description", "group", "schema", "type"]);
    expect(res.body).toMatchObject({ type: "access.granted", group: "access" });
    expect(res.body.aliases.basip).toContain("log.access_granted_by_valid_identifier");
    const { schema } = res.body;
    expect(schema.$schema).toBe("https://json-schema.org/draft/2020-12/schema");
    expect(schema.required).toEqual(
      expect.arrayContaining(["door", "reader", "user", "credential", "method"]),
    );
    expect(schema.properties.door.properties.id).toMatchObject({ type: "integer", minimum: 1 });
    expect(schema.properties.method.enum).toContain("exit_button");
  });

  it("answers every catalog type, and its example data has every field the schema requires", async () => {
    for (const { type, group } of EVENT_TYPES) {
      const res = await gh.api("GET", `/v1/event-types/${type}`);
      expect(res.status, type).toBe(200);
      expect(res.body.group).toBe(group);
      for (const field of res.body.schema.required ?? [])
        expect(validData(type), `${type}.${field}`).toHaveProperty(field);
    }
  });

  it("answers custom.<name> with the generic object schema", async () => {
    const res = await gh.api("GET", "/v1/event-types/custom.door_bell");
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ type: "custom.door_bell", group: "custom", aliases: {} });
    expect(res.body.schema).toMatchObject({ type: "object", additionalProperties: {} });
    expect(res.body.schema.required).toBeUndefined();
  });

  it.each(["door.exploded", "door", "custom.", "custom.Bad-Name", "audit.user"])(
    "answers %s with 404 Unknown event type",
    async (type) => {
      const res = await gh.api("GET", `/v1/event-types/${type}`);
      expect(res.status).toBe(404);
      expect(res.body.error).toBe(`Unknown event type: ${type}`);
    },
  );
});
