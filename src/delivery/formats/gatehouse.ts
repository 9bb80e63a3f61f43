// The "gatehouse" body format, version 1: the canonical event envelope.
import type { StoredEvent } from "../../store/events.js";

export function renderGatehouseV1(event: StoredEvent): string {
  return JSON.stringify({
    id: event.id,
    type: event.type,
    timestamp: event.timestamp,
    recorded_at: new Date(event.recorded_at).toISOString(),
    site_id: event.site_id,
    sequence: event.sequence,
    data: event.data,
  });
}
