// An event as the vendor formats read it: the stored envelope with `data` parsed once per event object.
import type { StoredEvent } from "../../store/events.js";

export interface EventView extends Omit<StoredEvent, "data_json"> {
  data: Record<string, unknown>;
}

const views = new WeakMap<StoredEvent, EventView>();

/** Parses `data` once per stored event, however many webhooks render it. */
export function viewOf(event: StoredEvent): EventView {
  let view = views.get(event);
  if (!view) {
    const { data_json, ...rest } = event;
    view = { ...rest, data: JSON.parse(data_json) as Record<string, unknown> };
    views.set(event, view);
  }
  return view;
}
