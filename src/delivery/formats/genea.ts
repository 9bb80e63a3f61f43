// The genea body format, versions v1, v2 and v3. (Skeleton: filled in by the vendor formats work.)
import type { EventView } from "./event-view.js";

export const GENEA_VERSIONS = ["v1", "v2", "v3"] as const;
export type GeneaVersion = (typeof GENEA_VERSIONS)[number];

export function renderGenea(event: EventView, version: GeneaVersion): Record<string, unknown> {
  throw new Error(`genea ${version} format not implemented yet (event ${event.id})`);
}
