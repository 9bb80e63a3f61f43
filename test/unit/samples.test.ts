// The sample events: one for every catalog type and every split, valid for its schema, and always the same.
import { describe, expect, it } from "vitest";
import { DENY_REASONS } from "../../src/core/rules.js";
import { EVENT_TYPES } from "../../src/events/catalog.js";
import { eventDataIssues, GRANT_METHODS } from "../../src/events/data-schemas.js";
import { SAMPLE_TIME, sampleEvent, sampleEvents } from "../../src/events/samples.js";

const samples = sampleEvents();
const dataOf = (json: string) => JSON.parse(json) as Record<string, unknown>;

describe("sampleEvents", () => {
  it("has the usual sample of every catalog type, named by its type", () => {
    const names = new Set(samples.map((s) => s.name));
    for (const { type } of EVENT_TYPES) expect(names.has(type), type).toBe(true);
  });

  it.each(samples.map((s) => [s.name, s.event] as const))("%s fits its type's data schema", (_, event) => {
    expect(eventDataIssues(event.type, dataOf(event.data_json))).toEqual([]);
  });

  it("covers every grant method and every deny reason", () => {
    const of = (type: string, key: string) =>
      new Set(samples.filter((s) => s.event.type === type).map((s) => dataOf(s.event.data_json)[key]));
    expect([...of("access.granted", "method")].sort()).toEqual([...GRANT_METHODS].sort());
    expect([...of("access.denied", "reason")].sort()).toEqual([...DENY_REASONS].sort());
  });

  it("gives each sample its own UUID v7 id, a fixed time, and the same answer every time", () => {
    const ids = samples.map((s) => s.event.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids)
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(samples.map((s) => s.event.timestamp))).toEqual(new Set([SAMPLE_TIME]));
    expect(sampleEvents()).toEqual(samples);
    expect(new Set(samples.map((s) => s.name)).size).toBe(samples.length);
  });

  it("puts webhook and API key events at no site, the rest at site 1", () => {
    expect(sampleEvent("webhook.disabled").site_id).toBeNull();
    expect(sampleEvent("audit.api_key.created").site_id).toBeNull();
    expect(sampleEvent("access.granted").site_id).toBe(1);
    expect(sampleEvent("audit.site.updated").site_id).toBe(1);
  });
});

describe("sampleEvent", () => {
  it("answers the usual sample of a type", () => {
    const usual = samples.find((s) => s.name === "access.denied")?.event;
    expect(sampleEvent("access.denied")).toEqual(usual);
  });

  it("answers a generic custom event under the name asked for", () => {
    const event = sampleEvent("custom.door_bell");
    expect(event.type).toBe("custom.door_bell");
    expect(eventDataIssues("custom.door_bell", dataOf(event.data_json))).toEqual([]);
  });

  it("refuses a type outside the catalog", () => {
    expect(() => sampleEvent("door.exploded")).toThrow(/unknown event type door\.exploded/);
  });
});
