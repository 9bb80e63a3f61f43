import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { EventView } from "../../src/delivery/formats/event-view.js";
import {
  renderTemplate,
  TEMPLATE_LIMITS,
  type TemplateContentType,
  templateProblem,
} from "../../src/delivery/formats/template.js";
import { TEMPLATE_SAMPLE_EVENTS } from "../../src/delivery/formats/template-samples.js";
import { TEMPLATE_VARIABLES, templateContext } from "../../src/delivery/formats/template-variables.js";
import { EVENT_TYPES } from "../../src/events/catalog.js";
import { validData } from "../support/event-data.js";

const JSON_TYPE = "application/json";
const TEXT_TYPE = "text/plain";

function view(type: string, data: Record<string, unknown>, envelope: Partial<EventView> = {}): EventView {
  return {
    position: 1,
    id: "0193a5b0-7e1f-7000-8000-000000000042",
    type,
    timestamp: "2026-11-23T08:15:30.000Z",
    recorded_at: Date.parse("2026-11-23T08:15:30.400Z"),
    site_id: 7,
    sequence: 12,
    data,
    ...envelope,
  };
}

const door = { id: 3, name: "Main Entrance" };
const granted = view("access.granted", {
  door,
  reader: { name: "Main Entrance, outside" },
  user: { id: 42, name: "Dana Smith" },
  credential: { id: 77, kind: "card", masked: "****1234" },
  method: "credential",
});
const denied = view("access.denied", {
  door,
  reader: { name: "Main Entrance, outside" },
  user: { id: 43, name: "Lee Chan" },
  credential: { id: 78, kind: "card", masked: "****5678" },
  reason: "outside_schedule",
});
const forced = view("door.forced_open", { door });

const text = (source: string, event: EventView = granted) =>
  renderTemplate(source, TEXT_TYPE, event, {}).body;
const json = (source: string, event: EventView = granted, custom: Record<string, unknown> = {}) =>
  JSON.parse(renderTemplate(source, JSON_TYPE, event, custom).body);

// The door opening of Kentix's webhook example: token UID, user name, time and the authorisation.
const KENTIX = `{
  "token_uid": "{{ credential.uid }}",
  "user": "{{ user.name }}",
  "time": "{{ timestamp }}",
  "authorization": "{{ decision }}",
  "door": "{{ door.name }}"
}`;

describe("the Kentix door opening", () => {
  it("sends the token UID, the user's name, the time and permitted for a granted access", () => {
    const rendered = renderTemplate(KENTIX, JSON_TYPE, granted, {});
    expect(rendered.contentType).toBe("application/json");
    expect(rendered.isEnvelope).toBe(false);
    expect(JSON.parse(rendered.body)).toEqual({
      token_uid: "****1234",
      user: "Dana Smith",
      time: "2026-11-23T08:15:30.000Z",
      authorization: "permitted",
      door: "Main Entrance",
    });
  });

  it("says denied for a refused access", () => {
    expect(json(KENTIX, denied)).toMatchObject({
      user: "Lee Chan",
      token_uid: "****5678",
      authorization: "denied",
    });
  });

  it("renders as plain text, with the time formatted in UTC whatever the server's zone", () => {
    const sms =
      "{{ user.name }} ({{ credential.uid }}) {{ decision }} at {{ door.name }}, {{ timestamp | date: '%H:%M' }}";
    const rendered = renderTemplate(sms, TEXT_TYPE, denied, {});
    expect(rendered.body).toBe("Lee Chan (****5678) denied at Main Entrance, 08:15");
    expect(rendered.contentType).toBe("text/plain; charset=utf-8");
  });

  it("passes validation in both content types", () => {
    expect(templateProblem(KENTIX, JSON_TYPE)).toBeNull();
    expect(templateProblem("{{ user.name }} {{ decision }} {{ timestamp }}", TEXT_TYPE)).toBeNull();
  });
});

function valueAt(context: Record<string, unknown>, name: string): unknown {
  return name
    .split(".")
    .reduce<unknown>((v, key) => (v as Record<string, unknown> | null)?.[key] ?? null, context);
}

describe("system variables", () => {
  it("each renders for a sample event that has it", () => {
    for (const { name } of TEMPLATE_VARIABLES) {
      const holders = TEMPLATE_SAMPLE_EVENTS.filter((e) => valueAt(templateContext(e), name) !== null);
      expect(holders.length, `no sample event has ${name}`).toBeGreaterThan(0);
      for (const event of holders) {
        const value = valueAt(templateContext(event), name);
        const expected = typeof value === "object" ? JSON.stringify(value) : String(value);
        expect(text(`{{ ${name} }}`, event), name).toBe(expected);
        expect(templateProblem(`{{ ${name} }}`, TEXT_TYPE), name).toBeNull();
      }
    }
  });

  it("reads the envelope and the event's data", () => {
    const source = [
      "{{ event.id }}|{{ event.type }}|{{ event.group }}|{{ event.timestamp }}|{{ event.recorded_at }}",
      "{{ event.site_id }}|{{ event.sequence }}|{{ site.id }}|{{ door.id }}|{{ user.id }}|{{ credential.id }}",
      "{{ credential.kind }}|{{ method }}|{{ data.reader.name }}",
    ].join("\n");
    expect(text(source).split("\n")).toEqual([
      "0193a5b0-7e1f-7000-8000-000000000042|access.granted|access|2026-11-23T08:15:30.000Z|2026-11-23T08:15:30.400Z",
      "7|12|7|3|42|77",
      "card|credential|Main Entrance, outside",
    ]);
    expect(text("{{ reason }}", denied)).toBe("outside_schedule");
  });

  it("prints nothing for what the event lacks, and null through json; absent groups are falsy", () => {
    expect(text("[{{ user.name }}|{{ credential.uid }}|{{ decision }}|{{ alarm.value }}]", forced)).toBe(
      "[|||]",
    );
    expect(
      json('{"user": {{ user | json }}, "name": {{ user.name | json }}, "d": {{ decision | json }}}', forced),
    ).toEqual({ user: null, name: null, d: null });
    expect(text("{% if user %}someone{% else %}no one{% endif %}", forced)).toBe("no one");
    expect(
      text("{% if decision %}{{ decision }}{% endif %}", view("webhook.test", {}, { site_id: null })),
    ).toBe("");
    expect(text("[{{ site.id }}|{{ event.site_id }}]", view("webhook.test", {}, { site_id: null }))).toBe(
      "[|]",
    );
  });

  it("takes nothing from data of an unexpected shape (custom events carry anything)", () => {
    const odd = view("custom.thing", {
      user: "bob",
      door: [1],
      credential: { masked: 5 },
      value: 3,
      sensor: "s",
    });
    expect(
      text(
        "[{{ user.name }}|{{ door.name }}|{{ credential.uid }}|{{ alarm.value }}|{{ alarm.sensor }}]",
        odd,
      ),
    ).toBe("[||||]");
    expect(text("{{ data.user }}", odd)).toBe("bob");
  });

  it("reads alarm fields only from an alarm's data, so a door contact's sensor is not an alarm", () => {
    const contact = view("door.opened", { door, sensor: { name: "contact" } });
    expect(text("{% if alarm %}alarm{% else %}none{% endif %}", contact)).toBe("none");
    const alarm = view("alarm.triggered", {
      alarm_group: "Cold room",
      sensor: "T2",
      severity: "warning",
      value: false,
    });
    expect(text("{{ alarm.group }}/{{ alarm.sensor }}/{{ alarm.severity }}/{{ alarm.value }}", alarm)).toBe(
      "Cold room/T2/warning/false",
    );
  });

  it("renders a template printing every variable as valid JSON for every catalog type", () => {
    const fields = TEMPLATE_VARIABLES.map(({ name }) => `"${name}": {{ ${name} | json }}`).join(", ");
    for (const { type } of EVENT_TYPES) {
      const body = json(`{${fields}}`, view(type, validData(type)));
      expect(body["event.type"], type).toBe(type);
    }
  });
});

describe("JSON bodies", () => {
  // Rendering has a wall-clock limit (TEMPLATE_LIMITS.renderMs): on the 2-core CI machine, with the whole suite's
  // servers and threads running, one of these hundred renders has been descheduled past it. A retry tells that
  // apart from a name that really breaks the JSON, which fails every time.
  it("keep any user name a valid JSON string: quotes, backslashes, newlines, control characters, lone surrogates", {
    retry: 2,
  }, () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), fc.string(), (name, doorName) => {
        const event = view("access.granted", {
          ...granted.data,
          user: { id: 1, name },
          door: { id: 3, name: doorName },
        });
        const body = json('{"name": "{{ user.name }}", "door": "Door {{ door.name | upcase }}"}', event);
        expect(body).toEqual({ name, door: `Door ${doorName.toUpperCase()}` });
      }),
    );
  });

  it("print numbers and booleans as JSON, and objects as JSON text inside strings", () => {
    const health = view("device.healthcheck", {
      serial_number: "S1",
      firmware_version: "1.0",
      database_active: true,
      connected: false,
      ip_address: "10.0.0.2",
    });
    expect(
      json(
        '{"up": {{ data.connected }}, "db": {{ data.database_active }}, "seq": {{ event.sequence }}}',
        health,
      ),
    ).toEqual({ up: false, db: true, seq: 12 });
    expect(json('{"door": "{{ door }}"}')).toEqual({ door: JSON.stringify(door) });
  });

  it("print whole values with json, indented when asked", () => {
    expect(json('{"data": {{ data | json }}, "door": {{ door | json: 2 }}}')).toEqual({
      data: granted.data,
      door,
    });
    expect(text("{{ door | json: 2 }}")).toBe(JSON.stringify(door, null, 2));
    expect(json('{"d": {% assign j = door | json %}{{ j | raw }}}')).toEqual({ d: door });
  });

  it("refuse a body that is not JSON, saying so", () => {
    expect(() => renderTemplate('{"n": {{ user.id }}}', JSON_TYPE, forced, {})).toThrow(
      /body is not valid JSON/,
    );
    expect(() => renderTemplate("{{ user.name }}", JSON_TYPE, granted, {})).toThrow(/not valid JSON/);
  });

  it("take the webhook's custom fields when the body is an object; the template's own fields win", () => {
    const rendered = renderTemplate(
      '{"user": "{{ user.name }}", "site": {{ site.id }}}',
      JSON_TYPE,
      granted,
      {
        site: "custom",
        source: "gatehouse",
      },
    );
    expect(rendered.body).toBe('{"user":"Dana Smith","site":7,"source":"gatehouse"}');
    expect(json("[{{ user.id }}]", granted, { source: "gatehouse" })).toEqual([42]);
    expect(renderTemplate("{{ user.id }}", TEXT_TYPE, granted, { source: "x" }).body).toBe("42");
  });

  it("keep the author's formatting when there is nothing to merge", () => {
    expect(renderTemplate('{ "n" : {{ user.id }} }\n', JSON_TYPE, granted, {}).body).toBe('{ "n" : 42 }\n');
  });

  it("print captured text with raw: the capture holds it escaped already", () => {
    const event = view("access.granted", { ...granted.data, user: { id: 1, name: 'A "B"' } });
    expect(json('{% capture c %}{{ user.name }}!{% endcapture %}{"c": "{{ c | raw }}"}', event)).toEqual({
      c: 'A "B"!',
    });
  });
});

describe("templateProblem", () => {
  it("names a syntax error with its line and column", () => {
    expect(templateProblem('{\n  "name": "{{ user.name"\n}', JSON_TYPE)).toMatch(
      'template: output "{{ user.name\\"\\n}" not closed at line 2, column 12',
    );
    expect(templateProblem("ok\n{% if %}yes{% endif %}", TEXT_TYPE)).toBe(
      'template: invalid value expression: "" at line 2, column 6',
    );
    expect(templateProblem("{% for d in data.doors %}{{ d.name }}", TEXT_TYPE)).toMatch(
      /^template: tag \{% for d in data\.doors %\} not closed at line 1, column 1$/,
    );
    expect(templateProblem("{% shout %}", TEXT_TYPE)).toBe(
      'template: unknown tag "shout" at line 1, column 1',
    );
    expect(templateProblem("\n  {{ user.name | shout }}", TEXT_TYPE)).toBe(
      'template: unknown filter "shout" at line 2, column 3',
    );
  });

  it("names an unknown variable, root or nested, where it is, and the variable meant", () => {
    expect(templateProblem("{{ usr }}", TEXT_TYPE)).toBe(
      'template: unknown variable "usr" at line 1, column 4; the variables a template can use are listed by ' +
        "GET /v1/template-variables and in docs/templates.md",
    );
    expect(templateProblem('{"who": "{{ user.nam }}"}', JSON_TYPE)).toMatch(
      /^template: unknown variable "user\.nam" at line 1, column 13 \(did you mean "user\.name"\?\); /,
    );
    const several = templateProblem(
      "{{ door.nme }}\n{% if decison %}{{ credential.uid.secret }}{% endif %}",
      TEXT_TYPE,
    );
    expect(several).toContain('unknown variables "door.nme" at line 1, column 4 (did you mean "door.name"?)');
    expect(several).toContain('"decison" at line 2, column 7 (did you mean "decision"?)');
    expect(several).toContain('"credential.uid.secret" at line 2, column 20');
  });

  it("knows variables the template makes itself, loop variables, size, and anything under data", () => {
    const source = [
      "{% assign who = user.name | default: 'someone' %}{% capture where %}{{ door.name }}{% endcapture %}",
      "{% for d in data.doors %}{{ forloop.index }}:{{ d.name }}{% endfor %}{% increment n %}",
      "{{ who }} {{ where }} {{ user.name.size }} {{ data.anything.at.all }} {{ data[event.type] }}",
    ].join("\n");
    expect(templateProblem(source, TEXT_TYPE)).toBeNull();
    expect(templateProblem("{{ later }}{% assign later = 1 %}", TEXT_TYPE)).toMatch(
      /unknown variable "later"/,
    );
  });

  it("tries a JSON template on sample events, so an unquoted value that may be absent is caught on save", () => {
    expect(templateProblem('{"value": {{ alarm.value }}}', JSON_TYPE)).toMatch(
      /^template: fails for a sample access\.granted event: the body is not valid JSON: .*\| json/,
    );
    expect(templateProblem('{"value": {{ alarm.value | json }}}', JSON_TYPE)).toBeNull();
    // A name printed raw breaks on the sample whose name has quotes in it.
    expect(templateProblem('{"user": "{{ user.name | raw }}"}', JSON_TYPE)).toMatch(
      /fails for a sample access\.denied event: the body is not valid JSON/,
    );
    expect(templateProblem('{"user": "{{ user.name | json }}"}', JSON_TYPE)).toMatch(/not valid JSON/);
  });

  it("refuses an empty template and one over the size limit", () => {
    expect(templateProblem(" \n", TEXT_TYPE)).toBe("template: must not be empty");
    const big = "x".repeat(TEMPLATE_LIMITS.templateBytes + 1);
    expect(templateProblem(big, TEXT_TYPE)).toBe(
      `template: must be at most ${TEMPLATE_LIMITS.templateBytes} bytes; this one is ${big.length}`,
    );
    expect(() => renderTemplate(big, TEXT_TYPE, granted, {})).toThrow(/must be at most/);
    expect(templateProblem("é".repeat(TEMPLATE_LIMITS.templateBytes / 2 + 1), TEXT_TYPE)).toMatch(
      /must be at most/,
    );
    expect(templateProblem("x".repeat(TEMPLATE_LIMITS.templateBytes), TEXT_TYPE)).toBeNull();
  });
});

describe("limits", () => {
  const elapsed = (run: () => unknown): number => {
    const start = performance.now();
    expect(run).toThrow();
    return performance.now() - start;
  };

  it("caps the body while it renders", () => {
    const kib = "0123456789abcdef".repeat(64);
    const source = `{% for i in (1..1000) %}${kib}{% endfor %}`;
    expect(() => renderTemplate(source, TEXT_TYPE, granted, {})).toThrow(
      `the body would be longer than ${TEMPLATE_LIMITS.bodyBytes} bytes`,
    );
    const justFits = `{% for i in (1..${TEMPLATE_LIMITS.bodyBytes / 1024}) %}${kib}{% endfor %}`;
    expect(text(justFits)).toHaveLength(TEMPLATE_LIMITS.bodyBytes);
    expect(templateProblem(source, TEXT_TYPE)).toMatch(/^template: fails for a sample .* longer than/);
  });

  it("cuts off a loop that would run for ages, within a bounded time", () => {
    const nested = "{% for a in (1..100000) %}{% for b in (1..100000) %}{{ b }}{% endfor %}{% endfor %}";
    const ms = elapsed(() => renderTemplate(nested, TEXT_TYPE, granted, {}));
    expect(ms).toBeLessThan(TEMPLATE_LIMITS.renderMs * 10);
    expect(() => renderTemplate(nested, TEXT_TYPE, granted, {})).toThrow(
      /takes longer than the 100 ms allowed/,
    );
    expect(templateProblem(nested, TEXT_TYPE)).toMatch(/takes longer than/);
  });

  it("refuses huge ranges and strings that double, before they take the memory", () => {
    expect(elapsed(() => text("{% for i in (1..1000000000) %}{% endfor %}"))).toBeLessThan(1000);
    const doubling =
      "{% assign s = 'xx' %}{% for i in (1..40) %}{% assign s = s | append: s %}{% endfor %}{{ s.size }}";
    expect(() => text(doubling)).toThrow(/uses more memory than a template may/);
    const captured =
      "{% for i in (1..40) %}{% capture c %}{{ c | raw }}{{ c | raw }}x{% endcapture %}{% endfor %}";
    expect(elapsed(() => text(captured))).toBeLessThan(1000);
  });

  it("keeps rendering correctly once more templates were seen than it caches", () => {
    const first = "first {{ user.id }}";
    expect(text(first)).toBe("first 42");
    for (let i = 0; i < TEMPLATE_LIMITS.cachedTemplates + 10; i++)
      expect(text(`{{ user.id | plus: ${i} }}`)).toBe(`${42 + i}`);
    expect(text(first)).toBe("first 42");
  });
});

describe("the sandbox", () => {
  const render = (source: string, type: TemplateContentType = TEXT_TYPE) =>
    renderTemplate(source, type, granted, {}).body;

  it("offers nothing of Node or JavaScript: no process, require, globals, this", () => {
    for (const name of [
      "process",
      "process.env",
      "require",
      "global",
      "globalThis",
      "this",
      "module",
      "Function",
    ]) {
      expect(render(`[{{ ${name} }}]`), name).toBe("[]");
      expect(templateProblem(`{{ ${name} }}`, TEXT_TYPE), name).toMatch(/unknown variable/);
    }
  });

  it("reaches no constructor, prototype or method through a value", () => {
    const reaches = [
      "event.constructor",
      "event.constructor.name",
      "event.__proto__",
      "event.prototype",
      "user.name.constructor",
      "user.name.toUpperCase",
      "data.constructor",
      "data.hasOwnProperty",
      "data.doors.constructor",
      "data.reader.__proto__.constructor",
      "constructor",
      "__proto__",
    ];
    for (const path of reaches) expect(render(`[{{ ${path} }}]`), path).toBe("[]");
    expect(render("{% assign x = event.__proto__ %}[{{ x }}{{ x.constructor }}{{ x.toString }}]")).toBe("[]");
    expect(render("{% assign x = user.name | split: '' %}[{{ x | map: 'constructor' | join: '' }}]")).toBe(
      "[]",
    );
    expect(render("[{{ data.reader | map: 'constructor' | first }}]")).toBe("[]");
    expect(render("[{{ data.reader | where: 'constructor' | size }}]")).toBe("[0]");
    expect(templateProblem('{{ "" | constructor }}', TEXT_TYPE)).toBe(
      'template: unknown filter "constructor" at line 1, column 1',
    );
    expect(() => render('{{ "" | constructor }}')).toThrow(/unknown filter "constructor"/);
    expect(() => render("{{ user | prototype }}")).toThrow(/unknown filter "prototype"/);
    expect(() => render("{% constructor %}")).toThrow(/unknown tag "constructor"/);
  });

  it("leaves Object.prototype, Array.prototype and the event untouched after hostile templates", () => {
    const objectKeys = Object.getOwnPropertyNames(Object.prototype);
    const arrayKeys = Object.getOwnPropertyNames(Array.prototype);
    const dataBefore = structuredClone(granted.data);
    const hostile = [
      "{% assign __proto__ = data %}{% assign constructor = 'x' %}{{ polluted }}",
      "{% for __proto__ in data.doors %}{% endfor %}{% for x in (1..2) %}{% assign __proto__ = 1 %}{% endfor %}",
      "{% increment __proto__ %}{% decrement constructor %}{% increment polluted %}",
      "{% capture __proto__ %}{{ user | json }}{% endcapture %}{% capture polluted %}yes{% endcapture %}",
      "{% assign x = event.__proto__ %}{% assign x.polluted = 1 %}",
      "{{ data | where_exp: '__proto__', '__proto__.polluted == 1' | size }}",
    ];
    for (const source of hostile) {
      try {
        render(source);
      } catch {
        // Refused is as good as harmless; what matters is what is left behind.
      }
    }
    const custom = JSON.parse(
      '{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}}',
    );
    const merged = JSON.parse(renderTemplate('{"a": 1}', JSON_TYPE, granted, custom).body);
    expect(Object.hasOwn(merged, "__proto__")).toBe(true);
    expect(Object.getOwnPropertyNames(Object.prototype)).toEqual(objectKeys);
    expect(Object.getOwnPropertyNames(Array.prototype)).toEqual(arrayKeys);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(merged)).toBe(Object.prototype);
    expect(granted.data).toEqual(dataBefore);
    expect(text("[{{ polluted }}]")).toBe("[]");
  });

  it("reads no file: include, render and layout are refused, whatever they name", () => {
    for (const tag of ["include", "render", "layout"]) {
      for (const name of ["'package.json'", "'/etc/passwd'", "'../../package'", "data.reader.name"]) {
        const source = `{% ${tag} ${name} %}`;
        expect(() => render(source), source).toThrow(`the ${tag} tag is not available`);
        expect(templateProblem(source, TEXT_TYPE), source).toBe(
          `template: the ${tag} tag is not available: templates cannot read files or other templates at line 1, column 1`,
        );
      }
    }
  });

  it("refuses cycle, which would print values past the JSON escaping", () => {
    expect(templateProblem('{"a": "{% cycle user.name %}"}', JSON_TYPE)).toMatch(
      /the cycle tag is not available/,
    );
  });
});
