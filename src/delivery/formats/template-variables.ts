// The system variables a template body can use, declared once, and the render context built from an event.
import { eventTypeGroup } from "../../events/catalog.js";
import type { EventView } from "./event-view.js";

/** A system variable as the API and docs list it. */
export interface TemplateVariable {
  /** The dotted path a template writes, e.g. `user.name`. */
  name: string;
  description: string;
}

type Scalar = string | number | boolean | null;

interface Declared extends TemplateVariable {
  read: (event: EventView) => unknown;
}

/** The variable under which the event's whole `data` sits; any path below it is allowed. */
export const DATA_VARIABLE = "data";

/** An own property at a path, or undefined: data comes from senders, so nothing is assumed of its shape. */
function at(value: unknown, ...path: string[]): unknown {
  let current = value;
  for (const key of path) {
    if (typeof current !== "object" || current === null || Array.isArray(current)) return undefined;
    if (!Object.hasOwn(current, key)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

const text = (value: unknown): string | null => (typeof value === "string" ? value : null);
const number = (value: unknown): number | null =>
  typeof value === "number" && Number.isFinite(value) ? value : null;
const scalar = (value: unknown): Scalar =>
  typeof value === "string" || typeof value === "boolean" ? value : number(value);

const dataText =
  (...path: string[]) =>
  (e: EventView) =>
    text(at(e.data, ...path));
const dataNumber =
  (...path: string[]) =>
  (e: EventView) =>
    number(at(e.data, ...path));
// Alarm fields have common names (sensor, value): read them only from an alarm's data.
const alarmField =
  (key: string, read: (value: unknown) => Scalar) =>
  (e: EventView): Scalar =>
    typeof at(e.data, "alarm_group") === "string" ? read(at(e.data, key)) : null;

// Kentix's words for the outcome of an access attempt.
const DECISIONS = new Map([
  ["access.granted", "permitted"],
  ["access.denied", "denied"],
]);

const DECLARED: readonly Declared[] = [
  {
    name: "event.id",
    description: "The event's id (a UUID v7 unless the sender gave one)",
    read: (e) => e.id,
  },
  { name: "event.type", description: "The event type, e.g. `access.granted`", read: (e) => e.type },
  {
    name: "event.group",
    description: "The type's group, the part before the first dot, e.g. `access`",
    read: (e) => eventTypeGroup(e.type),
  },
  {
    name: "event.timestamp",
    description: "When it happened, ISO 8601 as the sender gave it",
    read: (e) => e.timestamp,
  },
  {
    name: "event.recorded_at",
    description: "When Gatehouse stored it, ISO 8601 in UTC",
    read: (e) => new Date(e.recorded_at).toISOString(),
  },
  {
    name: "event.site_id",
    description: "The site's id; empty for events of no site",
    read: (e) => e.site_id,
  },
  {
    name: "event.sequence",
    description: "The event's place in its site's order, increasing",
    read: (e) => e.sequence,
  },
  {
    name: "timestamp",
    description: "When it happened (the time of an access attempt), ISO 8601; the same as `event.timestamp`",
    read: (e) => e.timestamp,
  },
  { name: "site.id", description: "The site's id; empty for events of no site", read: (e) => e.site_id },
  { name: "door.id", description: "The door's id", read: dataNumber("door", "id") },
  { name: "door.name", description: "The door's name, as people know it", read: dataText("door", "name") },
  {
    name: "user.id",
    description: "The user's id; empty when the person is not known",
    read: dataNumber("user", "id"),
  },
  {
    name: "user.name",
    description: "The user's display name; empty when the person is not known",
    read: dataText("user", "name"),
  },
  {
    name: "credential.id",
    description: "The stored credential's id; empty when nothing stored matched",
    read: dataNumber("credential", "id"),
  },
  {
    name: "credential.kind",
    description: "What was presented: `card`, `pin`, `qr`, `mobile` or `face`",
    read: dataText("credential", "kind"),
  },
  {
    name: "credential.uid",
    description: "The token UID, masked: `****` and its last 4 characters; events never hold the secret",
    read: dataText("credential", "masked"),
  },
  {
    name: "decision",
    description: "`permitted` for `access.granted`, `denied` for `access.denied`; empty for other events",
    read: (e) => DECISIONS.get(e.type) ?? null,
  },
  {
    name: "reason",
    description:
      "Why it happened: the deny reason of `access.denied` (e.g. `outside_schedule`), why a lift call failed",
    read: dataText("reason"),
  },
  {
    name: "method",
    description: "How access was granted, e.g. `credential`, `face`, `exit_button`",
    read: dataText("method"),
  },
  {
    name: "device.serial_number",
    description: "The device's serial number (device, call, lift and login events)",
    read: dataText("serial_number"),
  },
  {
    name: "device.firmware_version",
    description: "The firmware the device runs (`device.healthcheck`, `device.booted`)",
    read: dataText("firmware_version"),
  },
  {
    name: "device.ip_address",
    description: "The device's IP address (`device.healthcheck`)",
    read: dataText("ip_address"),
  },
  {
    name: "alarm.group",
    description: "The alarm group the sensor belongs to (alarm events)",
    read: alarmField("alarm_group", text),
  },
  { name: "alarm.sensor", description: "The sensor that raised the alarm", read: alarmField("sensor", text) },
  {
    name: "alarm.severity",
    description: "How urgent the alarm is: `info`, `warning` or `critical`",
    read: alarmField("severity", text),
  },
  {
    name: "alarm.value",
    description: "The reading that crossed the threshold: a number, text or true/false",
    read: alarmField("value", scalar),
  },
  {
    name: "schedule.id",
    description: "The schedule's id (schedule events)",
    read: dataNumber("schedule", "id"),
  },
  { name: "schedule.name", description: "The schedule's name", read: dataText("schedule", "name") },
  {
    name: DATA_VARIABLE,
    description:
      "The event's whole `data`; any path below it works, e.g. `data.reader.name`, `data.doors[0].id`",
    read: (e) => e.data,
  },
];

/** Every system variable, in the order the docs list them. */
export const TEMPLATE_VARIABLES: readonly TemplateVariable[] = DECLARED.map(({ name, description }) => ({
  name,
  description,
}));

/**
 * What a template renders against. Groups (`user`, `door`, …) are objects, or null when the event has none of
 * their fields, so `{% if user %}` reads naturally; a field the event lacks is null and prints as nothing.
 * Objects have no prototype: a template finds nothing on them but the variables.
 */
export function templateContext(event: EventView): Record<string, unknown> {
  const context: Record<string, unknown> = Object.create(null);
  for (const { name, read } of DECLARED) {
    const dot = name.indexOf(".");
    if (dot === -1) {
      context[name] = read(event) ?? null;
      continue;
    }
    const group = name.slice(0, dot);
    if (context[group] === undefined) context[group] = Object.create(null);
    (context[group] as Record<string, unknown>)[name.slice(dot + 1)] = read(event) ?? null;
  }
  for (const [name, value] of Object.entries(context)) {
    if (isEmptyGroup(value)) context[name] = null;
  }
  return context;
}

function isEmptyGroup(value: unknown): boolean {
  return (
    typeof value === "object" &&
    value !== null &&
    Object.getPrototypeOf(value) === null &&
    Object.values(value).every((field) => field === null)
  );
}

/**
 * A variable path is known when it names a declared variable or group (`size` after it is Liquid's length),
 * or anything under `data`.
 */
export function isKnownVariable(path: readonly string[]): boolean {
  if (path[0] === DATA_VARIABLE) return true;
  const name = path.join(".");
  if (DECLARED.some((v) => v.name === name || v.name.startsWith(`${name}.`))) return true;
  return path.length > 1 && path[path.length - 1] === "size" && isKnownVariable(path.slice(0, -1));
}

/** The declared variable closest to an unknown name, for a "did you mean" hint; undefined when none is close. */
export function closestVariable(name: string): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const v of DECLARED) {
    const distance = editDistance(name, v.name);
    if (distance < (best?.distance ?? Number.POSITIVE_INFINITY)) best = { name: v.name, distance };
  }
  // Beyond a third of the name, a "did you mean" is a guess rather than a typo fixed.
  return best && best.distance <= Math.max(1, Math.floor(name.length / 3)) ? best.name : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1);
      row.push(Math.min((previous[j] as number) + 1, (row[j - 1] as number) + 1, substitution));
    }
    previous = row;
  }
  return previous[b.length] as number;
}
