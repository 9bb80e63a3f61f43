// docs/templates.md is generated from the declared variables, the limits and real renders; this fails when it drifts.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { renderTemplatesDoc } from "../../scripts/templates-doc.js";
import { TEMPLATE_VARIABLES } from "../../src/delivery/formats/template-variables.js";

describe("docs/templates.md", () => {
  const committed = readFileSync(new URL("../../docs/templates.md", import.meta.url), "utf8");

  it("matches what the code generates (run `npm run docs:templates` after changing variables or limits)", () => {
    expect(committed).toBe(renderTemplatesDoc());
  });

  it("lists every declared variable, and the Kentix door opening permitted and denied", () => {
    for (const { name } of TEMPLATE_VARIABLES) expect(committed, name).toContain(`| \`${name}\` |`);
    expect(committed).toContain('"authorization": "permitted"');
    expect(committed).toContain('"authorization": "denied"');
  });
});
