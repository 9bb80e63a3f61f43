// docs/events.md is generated from the catalog and the data schemas; this fails when the committed copy drifts.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { renderEventsDoc } from "../../scripts/events-doc.js";
import { EVENT_TYPES } from "../../src/events/catalog.js";

describe("docs/events.md", () => {
  const committed = readFileSync(new URL("../../docs/events.md", import.meta.url), "utf8");

  it("matches what the code generates (run `npm run docs:events` after changing the catalog or a schema)", () => {
    expect(committed).toBe(renderEventsDoc());
  });

  it("names every catalog type outside audit with its own section, and the audit shape once", () => {
    for (const { type, group } of EVENT_TYPES) {
      if (group !== "audit") expect(committed, type).toContain(`### \`${type}\``);
    }
    expect(committed).toContain("| `resource.type` |");
    expect(committed).toContain("| `door.id` | integer ≥ 1 | yes |");
  });
});
