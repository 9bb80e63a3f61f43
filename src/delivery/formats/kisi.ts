// The kisi body format. (Skeleton: filled in by the vendor formats work.)
import type { EventView } from "./event-view.js";

export function renderKisi(event: EventView): Record<string, unknown> {
  throw new Error(`kisi format not implemented yet (event ${event.id})`);
}
