// Sample events a template is tried on before it is saved (and that the docs render), one of each shape.
import type { EventView } from "./event-view.js";

const door = { id: 3, name: "Main Entrance" };
const reader = { name: "Main Entrance, outside" };

function sample(
  type: string,
  sequence: number,
  site_id: number | null,
  data: Record<string, unknown>,
): EventView {
  return {
    position: sequence,
    id: `0193a5b0-7e1f-7000-8000-${String(sequence).padStart(12, "0")}`,
    type,
    timestamp: `2026-11-23T08:0${sequence}:00.000Z`,
    recorded_at: Date.parse(`2026-11-23T08:0${sequence}:00.250Z`),
    site_id,
    sequence,
    data,
  };
}

/**
 * The door opening of Kentix's example, permitted and denied, and events with no person, credential or site.
 * The denied user's name has quotes in it, so a JSON template that prints a name unescaped fails on save.
 */
export const TEMPLATE_SAMPLE_EVENTS: readonly EventView[] = [
  sample("access.granted", 1, 1, {
    door,
    reader,
    user: { id: 42, name: "Dana Smith" },
    credential: { id: 77, kind: "card", masked: "****1234" },
    method: "credential",
  }),
  sample("access.denied", 2, 1, {
    door,
    reader,
    user: { id: 43, name: 'Sam "Sammy" O\'Hara' },
    credential: { id: 78, kind: "card", masked: "****5678" },
    reason: "outside_schedule",
  }),
  sample("door.forced_open", 3, 1, { door }),
  sample("alarm.triggered", 4, 1, {
    alarm_group: "Server room",
    sensor: "Temperature 1",
    severity: "critical",
    value: 41.5,
  }),
  sample("device.healthcheck", 5, 1, {
    serial_number: "GH-CTRL-0001",
    firmware_version: "4.2.1",
    database_active: true,
    connected: true,
    ip_address: "10.0.0.20",
  }),
  sample("schedule.activated", 6, 1, { schedule: { id: 5, name: "Office hours" }, doors: [door] }),
  sample("webhook.test", 7, null, { webhook: { uid: 1, name: "CRM" }, message: "Test from Gatehouse" }),
];
