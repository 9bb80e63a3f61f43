// Renders docs/templates.md from the declared variables, the limits and real renders, so the page cannot drift.
import type { EventView } from "../src/delivery/formats/event-view.js";
import {
  renderTemplate,
  TEMPLATE_LIMITS,
  TEMPLATE_REFUSED_TAGS,
  type TemplateContentType,
  templateProblem,
} from "../src/delivery/formats/template.js";
import { TEMPLATE_SAMPLE_EVENTS } from "../src/delivery/formats/template-samples.js";
import {
  DATA_VARIABLE,
  TEMPLATE_VARIABLES,
  templateContext,
} from "../src/delivery/formats/template-variables.js";

const code = (s: string) => `\`${s}\``;
const cell = (s: string) => s.replaceAll("|", "\\|").replaceAll("\n", " ");
const fence = (language: string, body: string) => [`\`\`\`${language}`, body.trimEnd(), "```"];

function sample(type: string): EventView {
  const event = TEMPLATE_SAMPLE_EVENTS.find((e) => e.type === type);
  if (!event) throw new Error(`no sample ${type} event`);
  return event;
}

/** What `{{ name }}` prints for the first sample event that has the variable. */
function example(name: string): string {
  if (name === DATA_VARIABLE) return "the event's data, as JSON";
  for (const event of TEMPLATE_SAMPLE_EVENTS) {
    const value = name
      .split(".")
      .reduce<unknown>(
        (v, key) => (v as Record<string, unknown> | null)?.[key] ?? null,
        templateContext(event),
      );
    if (value !== null) {
      const printed = renderTemplate(`{{ ${name} }}`, "text/plain", event, {}).body;
      return `${code(printed)} (${event.type})`;
    }
  }
  return "";
}

function variablesTable(): string[] {
  const out = ["| variable | what it is | e.g. |", "|---|---|---|"];
  for (const { name, description } of TEMPLATE_VARIABLES) {
    out.push(`| ${code(name)} | ${cell(description)} | ${cell(example(name))} |`);
  }
  return out;
}

interface Example {
  title: string;
  about: string[];
  contentType: TemplateContentType;
  source: string;
  events: string[];
}

const EXAMPLES: Example[] = [
  {
    title: "The KentixONE door opening",
    about: [
      "Kentix's own example: when someone holds a token to a door, send the token UID, the user's name, the time",
      "of the attempt and whether it was permitted or denied.",
    ],
    contentType: "application/json",
    source: `{
  "token_uid": "{{ credential.uid }}",
  "user": "{{ user.name }}",
  "time": "{{ timestamp }}",
  "authorization": "{{ decision }}",
  "door": "{{ door.name }}"
}`,
    events: ["access.granted", "access.denied"],
  },
  {
    title: "A Slack message",
    about: [
      "Slack's incoming webhooks take a JSON object with a `text`. Quotes in a name are escaped for you;",
      "`default` fills in for an unknown person.",
    ],
    contentType: "application/json",
    source: `{
  "text": "{% if decision == 'denied' %}:no_entry: Denied{% else %}:white_check_mark: Permitted{% endif %} at *{{ door.name }}*: {{ user.name | default: 'unknown person' }} ({{ credential.kind }} {{ credential.uid }}) at {{ timestamp | date: '%H:%M:%S' }} UTC{% if reason %}, {{ reason | replace: '_', ' ' }}{% endif %}"
}`,
    events: ["access.denied"],
  },
  {
    title: "A plain-text body for an SMS gateway",
    about: [
      "Many SMS gateways take the message as the request body. A `text/plain` template prints values as they",
      "are; `date` shows the time in the zone it is given.",
    ],
    contentType: "text/plain",
    source: `{{ door.name }}: {{ decision | upcase }} for {{ user.name | default: "unknown" }} ({{ credential.uid }}) at {{ timestamp | date: "%d.%m.%Y %H:%M", "Europe/Berlin" }}`,
    events: ["access.granted", "access.denied"],
  },
  {
    title: "An alarm, with the whole event data",
    about: ["Values that may be absent, and whole objects, go outside quotes with `| json`."],
    contentType: "application/json",
    source: `{
  "alarm": "{{ alarm.group }}: {{ alarm.sensor }} ({{ alarm.severity }})",
  "value": {{ alarm.value | json }},
  "at": "{{ timestamp }}",
  "event": {"id": "{{ event.id }}", "type": "{{ event.type }}", "data": {{ data | json }}}
}`,
    events: ["alarm.triggered"],
  },
];

function exampleSection(e: Example): string[] {
  const problem = templateProblem(e.source, e.contentType);
  if (problem) throw new Error(`the example "${e.title}" is refused: ${problem}`);
  const language = e.contentType === "application/json" ? "json" : "text";
  const out = [
    `### ${e.title}`,
    "",
    ...e.about,
    "",
    `Template (${code(e.contentType)}):`,
    "",
    ...fence("liquid", e.source),
  ];
  for (const type of e.events) {
    const { body } = renderTemplate(e.source, e.contentType, sample(type), {});
    out.push("", `The body for the sample ${code(type)} event:`, "", ...fence(language, body));
  }
  return [...out, ""];
}

const MISTAKES: { source: string; contentType: TemplateContentType }[] = [
  { source: '{"user": "{{ user.nam }}"}', contentType: "application/json" },
  { source: '{"value": {{ alarm.value }}}', contentType: "application/json" },
  { source: "{{ door.name | shout }}", contentType: "text/plain" },
  { source: "{% if decision == 'denied' %}Alarm!", contentType: "text/plain" },
  { source: "{% include 'secrets.txt' %}", contentType: "text/plain" },
];

function mistakesTable(): string[] {
  const out = ["| template | content type | answer |", "|---|---|---|"];
  for (const { source, contentType } of MISTAKES) {
    const problem = templateProblem(source, contentType)
      // What the JSON parser adds is worded differently by each Node version; the page shows the rest.
      ?.replace(/(not valid JSON: ).*?( \(outside quotes)/, "$1…$2");
    if (!problem) throw new Error(`the mistake ${source} is accepted`);
    out.push(`| ${code(cell(source))} | ${code(contentType)} | ${cell(problem)} |`);
  }
  return out;
}

const kib = (bytes: number) => `${bytes / 1024} KiB`;

export function renderTemplatesDoc(): string {
  const refused = Object.entries(TEMPLATE_REFUSED_TAGS).map(([tag, why]) => `- ${code(tag)}: ${why}.`);
  const out = [
    "# Template bodies",
    "",
    "<!-- Generated by `npm run docs:templates` from src/delivery/formats/template*.ts; do not edit. -->",
    "",
    'A webhook with `payload_format: "template"` sends a body it writes itself, the way KentixONE builds webhook',
    "payloads from system variables: `template` holds the body in [Liquid](https://liquidjs.com) and",
    "`template_content_type` says what it is, `application/json` (the default) or `text/plain`. Each delivery",
    "renders the template for its event; the request is signed and retried like any other.",
    "",
    "A template is checked when it is saved: a syntax error, an unknown filter or tag, an unknown variable, a",
    "limit it hits or, for JSON, a body that does not parse is a `400` naming the problem (see",
    "[Mistakes](#mistakes)). Should a template still fail for some event, that delivery fails with the reason",
    "and is not retried: the same event through the same template would fail again. The one exception is a",
    `render that runs out of its ${TEMPLATE_LIMITS.renderMs} ms: a busy machine can cause that as well as the template, so that`,
    "delivery is retried on the webhook's usual schedule.",
    "",
    "## Variables",
    "",
    "A variable the event does not have prints as nothing (`{% if user %}` is false when there is no person).",
    "The examples are what each prints for the sample events below. `GET /v1/template-variables` lists the same.",
    "",
    ...variablesTable(),
    "",
    "Liquid's own tags and filters work as documented at liquidjs.com: `if`, `unless`, `case`, `for`, `assign`,",
    "`capture`, `default`, `upcase`, `replace`, `date`, and so on. Variables a template assigns or loops over are",
    'its own. `date` prints in UTC unless given a zone: `{{ timestamp | date: "%H:%M", "Europe/Berlin" }}`.',
    "",
    "## How values print",
    "",
    "- `text/plain`: text as it is, numbers and `true`/`false` as they are, objects and lists as JSON, an absent",
    "  value as nothing. The webhook's custom body fields are not used.",
    "- `application/json`: every printed value is escaped as the content of a JSON string, so",
    '  `"name": "{{ user.name }}"` stays valid whatever the name holds (quotes, backslashes, new lines).',
    "  Numbers and `true`/`false` print the same as JSON, so they may stand outside quotes.",
    "- `{{ value | json }}` prints a whole value as JSON — a string with its quotes, an object, a list, `null`",
    "  when absent — and is not escaped again. Use it outside quotes for anything that may be absent.",
    "- `{{ value | raw }}` prints without escaping. Text made with `capture` is escaped already, so print it",
    "  with `raw`.",
    "- A JSON body must parse after rendering. When it is an object, the webhook's custom body fields are",
    "  added to it; the template's own fields win a clash.",
    "",
    "## Examples",
    "",
    "The sample events are a door opening permitted (Dana Smith), one denied outside the person's schedule",
    '(Sam "Sammy" O\'Hara), a forced door, an alarm, a device health check, a schedule and a test event.',
    "",
    ...EXAMPLES.flatMap(exampleSection),
    "## Mistakes",
    "",
    "What saving these templates answers (the `error` of the `400`; … stands for the JSON parser's own words):",
    "",
    ...mistakesTable(),
    "",
    "## The sandbox",
    "",
    "Templates are written by API users and run on the delivery path, so what they can reach and spend is fenced:",
    "",
    "- No JavaScript runs: Liquid's expressions are its own small language.",
    "- Only the variables above are there, read through their own fields: nothing of Node (`process`,",
    "  `require`, globals) and no `constructor`, `__proto__`, `prototype` or methods of a value.",
    "- No file is ever read. These tags are refused:",
    ...refused.map((line) => `  ${line}`),
    "- An unknown filter is an error, not silently skipped.",
    "",
    "| limit | value |",
    "|---|---|",
    `| template size | ${kib(TEMPLATE_LIMITS.templateBytes)} (UTF-8) |`,
    `| body size | ${kib(TEMPLATE_LIMITS.bodyBytes)}, enforced while rendering |`,
    `| render time | ${TEMPLATE_LIMITS.renderMs} ms per delivery |`,
    `| allocations | ${TEMPLATE_LIMITS.memory.toLocaleString("en-US")} characters and list items made by filters and loops per render |`,
    "",
    "A template that reaches a limit for the sample events is refused when it is saved.",
  ];
  return `${out.join("\n").trimEnd()}\n`;
}
