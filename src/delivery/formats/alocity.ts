// The alocity body format. (Skeleton: filled in by the vendor formats work.)
import type { EventView } from "./event-view.js";

export function renderAlocity(event: EventView): Record<string, unknown> {
  throw new Error(`alocity format not implemented yet (event ${event.id})`);
}
