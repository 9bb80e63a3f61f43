// The template body format: the webhook's own body, written in Liquid over system variables (KentixONE-style).
import { Context, type Emitter, Liquid, LiquidError, type Template, toValueSync } from "liquidjs";
import type { EventView } from "./event-view.js";
import type { RenderedBody } from "./index.js";
import { TEMPLATE_SAMPLE_EVENTS } from "./template-samples.js";
import { closestVariable, isKnownVariable, templateContext } from "./template-variables.js";

export const TEMPLATE_CONTENT_TYPES = ["application/json", "text/plain"] as const;
export type TemplateContentType = (typeof TEMPLATE_CONTENT_TYPES)[number];

/** What one template may be and do. Rendering runs on the delivery hot path, so every bound is tight. */
export const TEMPLATE_LIMITS = {
  /** The template's own size, in UTF-8 bytes. */
  templateBytes: 16 * 1024,
  /** The rendered body, in UTF-8 bytes: room for an event's whole data (64 KiB) several times over. */
  bodyBytes: 256 * 1024,
  /** Wall-clock time one render may take, in milliseconds. */
  renderMs: 100,
  /** LiquidJS's allocation budget for one render: characters and array items its filters and loops create. */
  memory: 1_000_000,
  /** Compiled templates kept in memory; the one used longest ago makes room. */
  cachedTemplates: 256,
} as const;

/** Where a problem's reader finds the variables; the API's 400 for an unknown variable ends with it. */
export const TEMPLATE_VARIABLES_HINT =
  "the variables a template can use are listed by GET /v1/template-variables and in docs/templates.md";

const CONTENT_TYPE_HEADERS: Record<TemplateContentType, string> = {
  "application/json": "application/json",
  "text/plain": "text/plain; charset=utf-8",
};

/** Liquid tags a template may not use, and why: they reach outside the template or print past the escaping. */
export const TEMPLATE_REFUSED_TAGS: Readonly<Record<string, string>> = {
  include: "templates cannot read files or other templates",
  render: "templates cannot read files or other templates",
  layout: "templates cannot read files or other templates",
  cycle: "it prints values without escaping them",
};

interface FilterThis {
  context: Context;
}

/** How a value prints: text as is, nothing for null, numbers and booleans as JSON, objects and arrays as JSON. */
function printed(value: unknown): string {
  if (typeof value === "string") return value;
  if (value === null || value === undefined) return "";
  if (typeof value === "object") return JSON.stringify(value) ?? "";
  return String(value);
}

function charge(filter: FilterThis, characters: number): void {
  filter.context.memoryLimit.use(characters);
}

// Charged before converting: a string grown by captures is refused before it is copied.
function printPlain(this: FilterThis, value: unknown): string {
  if (typeof value === "string") charge(this, value.length);
  const text = printed(value);
  charge(this, text.length);
  return text;
}

/** JSON templates: every value printed is JSON string content, so `"{{ user.name }}"` stays a valid string. */
function printJsonContent(this: FilterThis, value: unknown): string {
  return JSON.stringify(printPlain.call(this, value)).slice(1, -1);
}

/** `{{ value | json }}`: the value as JSON, null when absent. A raw filter: its output is not escaped again. */
function jsonFilter(this: FilterThis, value: unknown, space: unknown = 0): string {
  const indent = typeof space === "number" ? Math.min(Math.max(Math.trunc(space), 0), 8) : 0;
  const text = JSON.stringify(
    value ?? null,
    (_key, v: unknown) => {
      if (typeof v === "string") charge(this, v.length);
      return v;
    },
    indent,
  );
  charge(this, text.length);
  return text;
}

function rawFilter(this: FilterThis, value: unknown): unknown {
  if (typeof value === "string") charge(this, value.length);
  return value;
}

function engine(print: (this: FilterThis, value: unknown) => string): Liquid {
  const liquid = new Liquid({
    ownPropertyOnly: true,
    strictFilters: true,
    // Absent variables print as nothing; unknown ones are refused when the template is saved.
    strictVariables: false,
    // An empty in-memory file system: nothing a template names is ever looked up on disk.
    templates: {},
    relativeReference: false,
    timezoneOffset: "UTC",
    locale: "en-US",
    parseLimit: TEMPLATE_LIMITS.templateBytes,
    renderLimit: TEMPLATE_LIMITS.renderMs,
    memoryLimit: TEMPLATE_LIMITS.memory,
    outputEscape: print,
  });
  for (const [tag, why] of Object.entries(TEMPLATE_REFUSED_TAGS)) {
    liquid.registerTag(tag, {
      parse() {
        throw new Error(`the ${tag} tag is not available: ${why}`);
      },
      render() {},
    });
  }
  liquid.registerFilter("json", { raw: true, handler: jsonFilter });
  liquid.registerFilter("jsonify", { raw: true, handler: jsonFilter });
  liquid.registerFilter("raw", { raw: true, handler: rawFilter });
  return liquid;
}

const ENGINES: Record<TemplateContentType, Liquid> = {
  "application/json": engine(printJsonContent),
  "text/plain": engine(printPlain),
};

/** Collects the body, refusing to grow past the cap while rendering rather than measuring it afterwards. */
class CappedEmitter implements Emitter {
  buffer = "";

  write(html: unknown): void {
    const text = printed(html);
    if (this.buffer.length + text.length > TEMPLATE_LIMITS.bodyBytes) {
      throw new Error(`the body would be longer than ${TEMPLATE_LIMITS.bodyBytes} bytes`);
    }
    this.buffer += text;
  }
}

/** Keeps an error on one line and short: Liquid quotes an unclosed tag up to the end of the template. */
function oneLine(message: string): string {
  const flat = message.replaceAll("\r", "\\r").replaceAll("\n", "\\n");
  return flat.length <= 160 ? flat : `${flat.slice(0, 100)}…${flat.slice(-50)}`;
}

/** A Liquid error in words: what, then where. */
function describe(error: unknown): string {
  if (!LiquidError.is(error)) return error instanceof Error ? error.message : String(error);
  const [line, column] = error.token.getPosition();
  const what = oneLine((error.originalError?.message ?? error.message).replace(/, line:\d+, col:\d+$/, ""))
    .replace(/^undefined filter: (.*)$/, 'unknown filter "$1"')
    .replace(/^tag "(.*)" not found$/, 'unknown tag "$1"')
    .replace(/^memory alloc limit exceeded$/, "uses more memory than a template may")
    .replace(
      /^template render limit exceeded$/,
      `takes longer than the ${TEMPLATE_LIMITS.renderMs} ms allowed`,
    );
  return `${what} at line ${line}, column ${column}`;
}

/**
 * A render that ran out of its wall-clock time. Unlike the template's other failures this one may not
 * happen again: a render descheduled on a loaded machine, or paused by GC, runs out of time as surely as a
 * runaway loop does. So a delivery that meets it is retried, not failed.
 */
export class TemplateOutOfTimeError extends Error {}

function isOutOfTime(error: unknown): boolean {
  return (
    LiquidError.is(error) &&
    /^template render limit exceeded/.test(error.originalError?.message ?? error.message)
  );
}

const compiledTemplates = new Map<string, Template[]>();

/** The parsed template, from the cache when this source was seen lately; throws the syntax problem. */
function compile(source: string, contentType: TemplateContentType): Template[] {
  const key = `${contentType}\n${source}`;
  const cached = compiledTemplates.get(key);
  if (cached) {
    compiledTemplates.delete(key);
    compiledTemplates.set(key, cached);
    return cached;
  }
  const bytes = Buffer.byteLength(source);
  if (bytes > TEMPLATE_LIMITS.templateBytes) {
    throw new Error(`must be at most ${TEMPLATE_LIMITS.templateBytes} bytes; this one is ${bytes}`);
  }
  let templates: Template[];
  try {
    templates = ENGINES[contentType].parse(source);
  } catch (error) {
    throw new Error(describe(error));
  }
  if (compiledTemplates.size >= TEMPLATE_LIMITS.cachedTemplates) {
    const oldest = compiledTemplates.keys().next();
    if (!oldest.done) compiledTemplates.delete(oldest.value);
  }
  compiledTemplates.set(key, templates);
  return templates;
}

/** The rendered text, before any JSON handling. */
function renderText(source: string, contentType: TemplateContentType, event: EventView): string {
  const templates = compile(source, contentType);
  const liquid = ENGINES[contentType];
  const context = new Context(templateContext(event), liquid.options, { sync: true }, { liquid });
  const emitter = new CappedEmitter();
  try {
    toValueSync(liquid.renderer.renderTemplates(templates, context, emitter));
  } catch (error) {
    if (isOutOfTime(error)) throw new TemplateOutOfTimeError(describe(error));
    throw new Error(describe(error));
  }
  const bytes = Buffer.byteLength(emitter.buffer);
  if (bytes > TEMPLATE_LIMITS.bodyBytes) {
    throw new Error(`the body is ${bytes} bytes, more than the ${TEMPLATE_LIMITS.bodyBytes} allowed`);
  }
  return emitter.buffer;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * The body for one delivery. A JSON body must parse; when it is an object the webhook's custom fields join it
 * (the template's own fields win a clash). Throws when the template cannot render this event.
 */
export function renderTemplate(
  source: string,
  contentType: TemplateContentType,
  event: EventView,
  custom: Record<string, unknown>,
): RenderedBody {
  const body = renderText(source, contentType, event);
  const rendered = { body, contentType: CONTENT_TYPE_HEADERS[contentType], isEnvelope: false as const };
  if (contentType === "text/plain") return rendered;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (error) {
    throw new Error(`the body is not valid JSON: ${(error as Error).message}`);
  }
  if (!isPlainObject(parsed) || Object.keys(custom).length === 0) return rendered;
  // The template's fields keep their order; custom fields it does not set follow them.
  const merged: Record<string, unknown> = { ...parsed };
  for (const [key, value] of Object.entries(custom)) {
    if (!Object.hasOwn(merged, key))
      Object.defineProperty(merged, key, { value, enumerable: true, writable: true });
  }
  return { ...rendered, body: JSON.stringify(merged) };
}

/** Variables the template reads that are not system variables, with where each is first read. */
function unknownVariables(templates: Template[], contentType: TemplateContentType): string[] {
  const { globals } = ENGINES[contentType].analyzeSync(templates, { partials: false });
  const found = new Map<string, string>();
  for (const variable of Object.values(globals).flat()) {
    const path: string[] = [];
    for (const segment of variable.segments) {
      if (typeof segment !== "string") break;
      path.push(segment);
    }
    const name = variable.toString();
    if (isKnownVariable(path) || found.has(name)) continue;
    const { row, col } = variable.location;
    const guess = name.length <= 64 ? closestVariable(name) : undefined;
    found.set(name, `"${name}" at line ${row}, column ${col}${guess ? ` (did you mean "${guess}"?)` : ""}`);
  }
  return [...found.values()];
}

/**
 * A template's problem in words, for the API's 400; null when it is fine. Beyond syntax and variable names, the
 * template is rendered for each sample event, so a limit it hits or JSON it breaks shows now, not at delivery.
 */
export function templateProblem(source: string, contentType: TemplateContentType): string | null {
  if (source.trim() === "") return "template: must not be empty";
  let templates: Template[];
  try {
    templates = compile(source, contentType);
  } catch (error) {
    return `template: ${(error as Error).message}`;
  }
  const unknown = unknownVariables(templates, contentType);
  if (unknown.length > 0) {
    const listed =
      unknown.slice(0, 5).join(", ") + (unknown.length > 5 ? ` and ${unknown.length - 5} more` : "");
    return `template: unknown variable${unknown.length > 1 ? "s" : ""} ${listed}; ${TEMPLATE_VARIABLES_HINT}`;
  }
  for (const event of TEMPLATE_SAMPLE_EVENTS) {
    try {
      renderTemplate(source, contentType, event, {});
    } catch (error) {
      const hint = (error as Error).message.startsWith("the body is not valid JSON")
        ? " (outside quotes, print a value with | json: an absent one becomes null)"
        : "";
      return `template: fails for a sample ${event.type} event: ${(error as Error).message}${hint}`;
    }
  }
  return null;
}
