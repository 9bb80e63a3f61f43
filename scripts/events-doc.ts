// Renders docs/events.md from the catalog and the data schemas, so the document cannot say other than the code.
import {
  AUDIT_ACTIONS,
  AUDIT_RESOURCES,
  type EventTypeInfo,
  eventTypeGroups,
  type Vendor,
} from "../src/events/catalog.js";
import { eventDataJsonSchema, type JsonSchema } from "../src/events/data-schemas.js";

const VENDORS: Record<Vendor, string> = { kisi: "Kisi", alocity: "Alocity", basip: "BAS-IP", genea: "Genea" };
// z.int() bounds itself to the safe integers; saying so on every id would only be noise.
const SAFE = Number.MAX_SAFE_INTEGER;

interface Row {
  name: string;
  type: string;
  required: boolean;
  description: string;
}

const code = (s: string) => `\`${s}\``;
const cell = (s: string) => s.replaceAll("|", "\\|").replaceAll("*", "\\*").replaceAll("\n", " ");

function asSchema(value: unknown): JsonSchema | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as JsonSchema)
    : undefined;
}

function branches(node: JsonSchema): JsonSchema[] {
  if (!Array.isArray(node.anyOf)) return [node];
  return node.anyOf.flatMap((b: unknown): JsonSchema[] => {
    const schema = asSchema(b);
    return schema ? [schema] : [];
  });
}

/** A field's type in words: `integer ≥ 1`, `object or null`, `one of: a, b`. */
function typeText(node: JsonSchema): string {
  if (Array.isArray(node.anyOf)) return branches(node).map(typeText).join(" or ");
  if (node.const !== undefined) return code(JSON.stringify(node.const));
  if (Array.isArray(node.enum) && node.enum.length === 1) return code(JSON.stringify(node.enum[0]));
  if (Array.isArray(node.enum)) return `one of: ${node.enum.map((v) => code(String(v))).join(", ")}`;
  if (Array.isArray(node.type)) return node.type.join(" or ");
  const type = typeof node.type === "string" ? node.type : "any";
  if (type === "array") return `array of ${typeText(asSchema(node.items) ?? {})}`;
  const bounds: string[] = [];
  if (typeof node.minimum === "number" && node.minimum > -SAFE) bounds.push(`≥ ${node.minimum}`);
  if (typeof node.maximum === "number" && node.maximum < SAFE) bounds.push(`≤ ${node.maximum}`);
  if (type === "object" && !node.properties && asSchema(node.additionalProperties)?.type) {
    return `map of name → ${typeText(asSchema(node.additionalProperties) ?? {})}`;
  }
  return [type, ...bounds].join(" ");
}

/** The object whose fields a row's children are: the node itself, its object branch, or its items or values. */
function objectInside(node: JsonSchema): { schema: JsonSchema; suffix: string } | undefined {
  for (const b of branches(node)) {
    if (b.properties) return { schema: b, suffix: "" };
    const items = asSchema(b.items);
    if (items?.properties) return { schema: items, suffix: "[]" };
    const values = asSchema(b.additionalProperties);
    if (values?.properties) return { schema: values, suffix: ".<name>" };
  }
  return undefined;
}

function rows(schema: JsonSchema, prefix = ""): Row[] {
  const required = new Set(Array.isArray(schema.required) ? schema.required : []);
  const properties = asSchema(schema.properties) ?? {};
  return Object.entries(properties).flatMap(([name, value]) => {
    const node = asSchema(value) ?? {};
    const row: Row = {
      name: `${prefix}${name}`,
      type: typeText(node),
      required: required.has(name),
      description: typeof node.description === "string" ? node.description : "",
    };
    const inner = objectInside(node);
    return inner ? [row, ...rows(inner.schema, `${prefix}${name}${inner.suffix}.`)] : [row];
  });
}

function fieldTable(type: string): string[] {
  const schema = eventDataJsonSchema(type) ?? {};
  const out = ["| field | type | required | description |", "|---|---|---|---|"];
  for (const r of rows(schema)) {
    out.push(`| ${code(r.name)} | ${cell(r.type)} | ${r.required ? "yes" : "no"} | ${cell(r.description)} |`);
  }
  return out;
}

function vendorNames(info: EventTypeInfo): string {
  const names = (Object.keys(VENDORS) as Vendor[]).flatMap((v) => {
    const list = info.aliases[v];
    return list?.length ? [`${VENDORS[v]}: ${list.map(code).join(", ")}`] : [];
  });
  return names.length ? names.join("; ") : "none";
}

function typeSection(info: EventTypeInfo): string[] {
  return [
    `### ${code(info.type)}`,
    "",
    info.description,
    "",
    `Vendor names: ${vendorNames(info)}.`,
    "",
    ...fieldTable(info.type),
    "",
  ];
}

// 55 audit types share one shape; a table of them and the shape once says it all.
function auditSection(types: EventTypeInfo[]): string[] {
  const actions = AUDIT_ACTIONS.map(code).join(", ");
  return [
    `Every ${code("audit.<resource>.<action>")}: a change made through the API or console (${types.length} types).`,
    `Resource is one of ${AUDIT_RESOURCES.map(code).join(", ")}; action is one of ${actions}.`,
    "Genea sends these as its AUDIT events. Each has this data, with `resource.type` the type's resource",
    `(here ${code("audit.user.updated")}):`,
    "",
    ...fieldTable("audit.user.updated"),
    "",
  ];
}

export function renderEventsDoc(): string {
  const groups = eventTypeGroups();
  const out = [
    "# Event types",
    "",
    "<!-- Generated by `npm run docs:events` from src/events/catalog-data.ts and src/events/data/; do not edit. -->",
    "",
    "Every event has `id`, `type`, `timestamp`, `recorded_at`, `site_id`, `sequence` and `data`. This page lists",
    "each type's `data`. `POST /v1/events` refuses data that does not match its type, naming the field",
    "(`data.door.id: must be ≥ 1`). Objects may carry more fields than listed: devices and vendors add their own,",
    "and they are stored and delivered as posted. `GET /v1/event-types/{type}` serves the same schema as JSON",
    "Schema (draft 2020-12). Types named `custom.<name>` take any JSON object.",
    "",
    `Groups: ${groups.map((g) => `[${g.group}](#${g.group})`).join(", ")}.`,
    "",
  ];
  for (const { group, types } of groups) {
    out.push(`## ${group}`, "");
    if (group === "webhook") out.push("Emitted by Gatehouse itself; `POST /v1/events` refuses them.", "");
    if (group === "audit") out.push(...auditSection(types));
    else for (const info of types) out.push(...typeSection(info));
  }
  return `${out.join("\n").trimEnd()}\n`;
}
