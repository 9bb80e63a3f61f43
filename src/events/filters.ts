// Per-webhook filters (KentixONE binds webhooks to alarm groups and sensors): which events of the subscribed
// types a webhook takes, by what they are about. Pure, so fan-out can run it for every event and webhook.

export const DECISIONS = ["granted", "denied"] as const;
export type Decision = (typeof DECISIONS)[number];

/**
 * Every condition present must hold (AND); a list matches when the event names any of its values (OR). An
 * event that does not say what a condition asks about fails it (a door filter keeps device health out),
 * except `decision`, which only ever concerns access events and lets every other event through.
 */
export interface WebhookFilters {
  site_ids?: number[];
  door_ids?: number[];
  /** Device serial numbers. */
  devices?: string[];
  user_ids?: number[];
  /** Access events of users in these access groups (the groups that cover the door). */
  access_group_ids?: number[];
  /** Kentix-style alarm groups, as alarm events name them. */
  alarm_groups?: string[];
  /** Sensors, as alarm events name them. */
  sensors?: string[];
  decision?: Decision;
}

export const FILTER_KEYS = [
  "site_ids",
  "door_ids",
  "devices",
  "user_ids",
  "access_group_ids",
  "alarm_groups",
  "sensors",
  "decision",
] as const satisfies readonly (keyof WebhookFilters)[];

export interface FilterSubject {
  type: string;
  site_id: number | null | undefined;
  data: Record<string, unknown>;
}

const record = (v: unknown): Record<string, unknown> | undefined =>
  typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;

function idOf(v: unknown): unknown {
  return record(v)?.id;
}

/** The doors an event is about: `data.door`, or every door of a schedule event's `data.doors`. */
function doorIds(data: Record<string, unknown>): unknown[] {
  const one = idOf(data.door);
  if (one !== undefined) return [one];
  return Array.isArray(data.doors) ? data.doors.map(idOf) : [];
}

function groupIds(data: Record<string, unknown>): unknown[] {
  return Array.isArray(data.groups) ? data.groups.map(idOf) : [];
}

function deviceSerial(data: Record<string, unknown>): unknown {
  return data.serial_number ?? record(data.device)?.serial_number;
}

function sensorName(data: Record<string, unknown>): unknown {
  return typeof data.sensor === "string" ? data.sensor : record(data.sensor)?.name;
}

function decisionOf(type: string): Decision | undefined {
  if (type === "access.granted") return "granted";
  if (type === "access.denied") return "denied";
  return undefined;
}

const hit = (list: readonly unknown[] | undefined, value: unknown) =>
  list === undefined || list.includes(value as never);

export function isEmptyFilter(filters: WebhookFilters): boolean {
  return FILTER_KEYS.every((key) => filters[key] === undefined);
}

/** True when the event passes every condition of the webhook's filters. */
export function passesFilters(filters: WebhookFilters, event: FilterSubject): boolean {
  const { data } = event;
  if (!hit(filters.site_ids, event.site_id)) return false;
  if (filters.door_ids && !doorIds(data).some((id) => filters.door_ids?.includes(id as number))) return false;
  if (!hit(filters.devices, deviceSerial(data))) return false;
  if (!hit(filters.user_ids, idOf(data.user))) return false;
  if (
    filters.access_group_ids &&
    !groupIds(data).some((id) => filters.access_group_ids?.includes(id as number))
  )
    return false;
  if (!hit(filters.alarm_groups, data.alarm_group)) return false;
  if (!hit(filters.sensors, sensorName(data))) return false;
  if (filters.decision !== undefined) {
    const decision = decisionOf(event.type);
    if (decision !== undefined && decision !== filters.decision) return false;
  }
  return true;
}
