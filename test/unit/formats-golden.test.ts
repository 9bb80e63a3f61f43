// Golden files: every vendor format's body for the samples, byte for byte. `UPDATE_GOLDEN=1` rewrites them.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { type FormatSettings, type PayloadFormat, renderBody } from "../../src/delivery/formats/index.js";
import type { Vendor } from "../../src/events/catalog.js";
import { sampleEvents } from "../../src/events/samples.js";
import { vendorEventName } from "../../src/events/vendor-names.js";

const GOLDEN = new URL("../golden/", import.meta.url);
const update = process.env.UPDATE_GOLDEN === "1";

const FORMATS: Array<{ dir: string; vendor: Vendor; format: PayloadFormat; version: string | null }> = [
  { dir: "kisi", vendor: "kisi", format: "kisi", version: null },
  { dir: "alocity", vendor: "alocity", format: "alocity", version: null },
  { dir: "basip", vendor: "basip", format: "basip", version: null },
  { dir: "genea-v1", vendor: "genea", format: "genea", version: "v1" },
  { dir: "genea-v2", vendor: "genea", format: "genea", version: "v2" },
  { dir: "genea-v3", vendor: "genea", format: "genea", version: "v3" },
];

/** Audit events share one code path per format: a few stand for all 55. */
const AUDIT = [
  "audit.user.created",
  "audit.user.updated",
  "audit.credential.deleted",
  "audit.site.updated",
  "audit.webhook.secret_rotated",
];
/** Rendered by every format, whether it names them or not. */
const ALWAYS = [
  "alarm.triggered",
  "call.incoming",
  "schedule.activated",
  "webhook.disabled",
  "custom.example",
  ...AUDIT,
];

const samples = sampleEvents();

/** The samples a format's golden files cover: each one it has a name for, and the few above. */
function goldenSamples(vendor: Vendor) {
  return samples.filter(({ name, event }) => {
    if (ALWAYS.includes(name)) return true;
    if (event.type.startsWith("audit.")) return false;
    return vendorEventName(vendor, event.type, JSON.parse(event.data_json)) !== undefined;
  });
}

describe.each(FORMATS)("golden files of $dir", ({ dir, vendor, format, version }) => {
  const folder = new URL(`${dir}/`, GOLDEN);
  const settings: FormatSettings = {
    payload_format: format,
    payload_version: version,
    template: null,
    template_content_type: null,
    custom_body: {},
  };
  const covered = goldenSamples(vendor);
  if (update) mkdirSync(folder, { recursive: true });

  it.each(covered.map((s) => [s.name, s.event] as const))("%s", (name, event) => {
    const { body, contentType } = renderBody(settings, event);
    expect(contentType).toBe("application/json");
    const file = new URL(`${name}.json`, folder);
    if (update) writeFileSync(file, `${JSON.stringify(JSON.parse(body), null, 2)}\n`);
    // Compared as the bytes sent: the file's JSON, serialised compactly, keeps key order and types.
    expect(body).toBe(JSON.stringify(JSON.parse(readFileSync(file, "utf8"))));
  });

  it("has no golden file for a sample it no longer covers", () => {
    const wanted = new Set(covered.map((s) => `${s.name}.json`));
    const stale = readdirSync(folder).filter((f) => !wanted.has(f));
    if (update) for (const f of stale) rmSync(new URL(f, folder));
    else expect(stale).toEqual([]);
  });
});

describe("docs/formats.md", () => {
  it("shows only bodies the formats really send for the samples", () => {
    const doc = readFileSync(new URL("../../docs/formats.md", import.meta.url), "utf8");
    const examples = [...doc.matchAll(/```json\n([\s\S]*?)```/g)].map((m) =>
      JSON.stringify(JSON.parse(m[1] ?? "")),
    );
    const rendered = new Set<string>();
    for (const { event } of samples) {
      for (const { format, version } of [...FORMATS, { format: "gatehouse" as const, version: null }]) {
        const settings = {
          payload_format: format,
          payload_version: version,
          template: null,
          template_content_type: null,
          custom_body: {},
        };
        const body = renderBody(settings, event).body;
        rendered.add(body);
        rendered.add(JSON.stringify((JSON.parse(body) as { payload?: unknown }).payload));
      }
    }
    expect(examples.length).toBeGreaterThan(5);
    for (const example of examples) expect(rendered.has(example), example).toBe(true);
  });
});
