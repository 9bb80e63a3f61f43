// The data schemas: every catalog type has one, real-looking data passes, and what is wrong is named by path.
import fc from "fast-check";
import { describe, expect, expectTypeOf, it } from "vitest";
import type { DoorMode } from "../../src/core/model.js";
import type { DenyReason, GrantMethod } from "../../src/core/rules.js";
import { EVENT_TYPES } from "../../src/events/catalog.js";
import {
  type AccessDeniedData,
  type AccessGrantedData,
  CustomData,
  type DoorModeChangedData,
  eventDataIssues,
  eventDataJsonSchema,
  eventDataSchema,
} from "../../src/events/data-schemas.js";
import { EventsIn } from "../../src/events/schema.js";
import { describeZodError } from "../../src/lib/validation.js";
import { validData } from "../support/event-data.js";

const TYPES = EVENT_TYPES.map((t) => t.type);

/** The API's message for a body posted to POST /v1/events, or "ok". */
function verdict(body: unknown): string {
  const result = EventsIn.safeParse(body);
  return result.success ? "ok" : describeZodError(result.error);
}

function requiredFields(type: string): string[] {
  return (eventDataJsonSchema(type)?.required as string[] | undefined) ?? [];
}

describe("the data schemas", () => {
  it("cover every catalog type, custom.* with any object, and no unknown type", () => {
    for (const type of TYPES) expect(eventDataSchema(type), type).toBeDefined();
    expect(eventDataSchema("custom.door_bell")).toBe(CustomData);
    expect(eventDataSchema("door.exploded")).toBeUndefined();
    expect(eventDataSchema("custom.")).toBeUndefined();
  });

  it.each(TYPES)("accept real-looking %s data", (type) => {
    expect(eventDataIssues(type, validData(type))).toEqual([]);
    expect(verdict({ type: type.startsWith("webhook.") ? "custom.x" : type, data: validData(type) })).toBe(
      "ok",
    );
  });

  it("accept the webhook.* data Gatehouse emits itself (src/server.ts, the test-send route)", () => {
    const disabled = { webhook: { uid: 3, name: "old CRM", url: "https://x.example/h" }, reason: "410 Gone" };
    expect(eventDataIssues("webhook.disabled", disabled)).toEqual([]);
    const test = { webhook: { uid: 3, name: "" }, message: "Test from Gatehouse" };
    expect(eventDataIssues("webhook.test", test)).toEqual([]);
  });

  it("keep the core's access vocabulary: every deny reason, grant method and door mode", () => {
    expectTypeOf<AccessDeniedData["reason"]>().toEqualTypeOf<DenyReason>();
    expectTypeOf<GrantMethod>().toExtend<AccessGrantedData["method"]>();
    expectTypeOf<DoorModeChangedData["mode"]>().toEqualTypeOf<DoorMode>();
  });

  it("let devices add fields of their own, at the top and inside references", () => {
    const key = fc.string({ minLength: 1, maxLength: 12 }).map((k) => `x_${k}`);
    fc.assert(
      fc.property(fc.constantFrom(...TYPES), key, fc.jsonValue(), (type, k, v) => {
        const data = validData(type, { [k]: v });
        if (typeof data.door === "object") data.door = { ...(data.door as object), [k]: v };
        expect(eventDataIssues(type, data)).toEqual([]);
      }),
    );
  });

  it("name a missing required field: `data.<field>: is required`", () => {
    const cases = TYPES.flatMap((type) => requiredFields(type).map((field) => ({ type, field })));
    expect(cases.length).toBeGreaterThan(TYPES.length);
    fc.assert(
      fc.property(fc.constantFrom(...cases), ({ type, field }) => {
        const data = validData(type);
        delete data[field];
        const [issue] = eventDataIssues(type, data);
        expect(issue?.path).toEqual([field]);
        expect(issue?.message).toBe("is required");
      }),
    );
  });

  it("name a door id that is not an integer ≥ 1, in one event or the fourth of an array", () => {
    const badIds = fc.oneof(
      fc.integer({ max: 0 }),
      fc.double({ min: 1.01, max: 1e6, noNaN: true }),
      fc.string(),
    );
    const doorTypes = TYPES.filter((t) => requiredFields(t).includes("door"));
    fc.assert(
      fc.property(fc.constantFrom(...doorTypes), badIds, (type, id) => {
        fc.pre(!Number.isInteger(id) || (id as number) < 1);
        const data = validData(type, { door: { id, name: "Main Entrance" } });
        expect(verdict({ type, data })).toMatch(/^data\.door\.id: must be /);
        const ok = { type, data: validData(type) };
        expect(verdict([ok, ok, ok, { type, data }])).toMatch(/^\[3\]\.data\.door\.id: must be /);
      }),
    );
  });

  it.each([
    ["access.denied", { reason: "bad_luck" }, /^data\.reason: must be one of: unknown_credential, /],
    ["access.granted", { method: "magic" }, /^data\.method: must be one of: credential, face, /],
    ["access.granted", { reader: "front" }, /^data\.reader: must be an object$/],
    ["access.granted", { credential: { id: 1, kind: "card" } }, /^data\.credential\.masked: is required$/],
    ["door.held_open", { open_for_s: -1 }, /^data\.open_for_s: must be ≥ 0$/],
    ["door.secured", { previous: "open" }, /^data\.previous: must be one of: forced, held$/],
    ["lock.unlocked", { cause: 3 }, /^data\.cause: must be one of: /],
    ["device.healthcheck", { connected: "yes" }, /^data\.connected: must be true or false$/],
    [
      "credential.created",
      { card: { facility_code: -1, card_number: "1" } },
      /^data\.card\.facility_code: must be ≥ 0$/,
    ],
    ["alarm.triggered", { value: [1] }, /^data\.value: must be a number, a string or a boolean$/],
    ["schedule.activated", { doors: [{ id: 1 }] }, /^data\.doors\[0\]\.name: is required$/],
    ["audit.user.updated", { resource: { type: "door", id: 1 } }, /^data\.resource\.type: must be "user"$/],
    ["login.failed", { channel: "ssh" }, /^data\.channel: must be one of: api, gui$/],
  ])("refuse %s with %o", (type, change, message) => {
    expect(verdict({ type, data: validData(type, change) })).toMatch(message);
  });

  it("refuse a catalog type posted with no data, naming the first required field", () => {
    expect(verdict({ type: "door.opened" })).toBe("data.door: is required");
  });

  it("take any object for custom.*", () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (data) => {
        expect(verdict({ type: "custom.anything", data })).toBe("ok");
      }),
    );
  });
});

describe("the JSON Schemas", () => {
  it.each(TYPES)("%s: a draft 2020-12 object schema, open to more fields, converted once", (type) => {
    const schema = eventDataJsonSchema(type);
    expect(schema).toMatchObject({ $schema: "https://json-schema.org/draft/2020-12/schema", type: "object" });
    expect(schema?.additionalProperties).toEqual({});
    expect(typeof schema?.description).toBe("string");
    expect(eventDataJsonSchema(type)).toBe(schema);
  });

  it("describe every top-level field", () => {
    for (const type of TYPES) {
      const properties = eventDataJsonSchema(type)?.properties as Record<string, { description?: string }>;
      for (const [name, field] of Object.entries(properties)) {
        expect(typeof field.description, `${type}: ${name}`).toBe("string");
      }
    }
  });

  it("give custom.* the generic object schema and unknown types none", () => {
    expect(eventDataJsonSchema("custom.x")).toMatchObject({ type: "object", additionalProperties: {} });
    expect(eventDataJsonSchema("nope.nope")).toBeUndefined();
  });
});
