// The "gatehouse" body format, version 1: the canonical event envelope.
import type { StoredEvent } from "../../store/events.js";

/**
 * `{"id", "type", "timestamp", "recorded_at", "site_id", "sequence", "data"}`, in that order. `data` goes in
 * as the JSON text stored at ingest: the same bytes serialising the object would give, without
 * serialising ~1 KB again for every delivery.
 */
export function renderGatehouseV1(event: StoredEvent): string {
  const head = JSON.stringify({
    id: event.id,
    type: event.type,
    timestamp: event.timestamp,
    recorded_at: new Date(event.recorded_at).toISOString(),
    site_id: event.site_id,
    sequence: event.sequence,
  });
  return `${head.slice(0, -1)},"data":${event.data_json}}`;
}
