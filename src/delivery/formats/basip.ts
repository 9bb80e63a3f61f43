// The basip body format. (Skeleton: filled in by the vendor formats work.)
import type { EventView } from "./event-view.js";

export function renderBasip(event: EventView): Record<string, unknown> {
  throw new Error(`basip format not implemented yet (event ${event.id})`);
}
