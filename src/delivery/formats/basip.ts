// The basip body format: the `log.*` name, a Unix timestamp and the event's fields, references flattened.
import { vendorEventName } from "../../events/vendor-names.js";
import { type Fields, objectOr, unixSeconds } from "./event-refs.js";
import type { EventView } from "./event-view.js";

/** References a BAS-IP log line shows flat (`door_id`, `door_name`), with the fields each always has. */
const FLAT_REFS: Record<string, readonly string[]> = {
  door: ["id", "name"],
  reader: ["name"],
  sensor: ["name"],
  lock: ["name"],
  user: ["id", "name"],
  credential: ["id", "kind", "masked"],
};

/**
 * The event's data with its references flattened one level, so a log line reads `door_name`, `user_id`; an
 * absent reference (a null user) gives its fields as null. Everything else is kept as it is.
 */
export function basipInfo(data: Fields): Fields {
  const info: Fields = {};
  for (const [key, value] of Object.entries(data)) {
    const fields = Object.hasOwn(FLAT_REFS, key) ? FLAT_REFS[key] : undefined;
    const ref = objectOr(value);
    if (!fields || (value !== null && !ref)) {
      info[key] = value;
      continue;
    }
    for (const field of new Set([...fields, ...Object.keys(ref ?? {})])) {
      info[`${key}_${field}`] = ref?.[field] ?? null;
    }
  }
  return info;
}

/** A type BAS-IP has no name for goes by its canonical name in `event_type`, with no `log.` prefix. */
export function renderBasip(event: EventView): Record<string, unknown> {
  return {
    event_type: vendorEventName("basip", event.type, event.data) ?? event.type,
    event_id: event.id,
    timestamp: unixSeconds(event.timestamp),
    site_id: event.site_id,
    info: basipInfo(event.data),
  };
}
