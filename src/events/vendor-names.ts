// The name an event goes by in each vendor's vocabulary. One canonical type can split into several vendor
// names by its data (BAS-IP's log.access_denied_by_*), and several types can share one (Kisi's lock.unlock).
// (Skeleton: the full split is filled in by the vendor formats work.)
import { eventTypeInfo, type Vendor } from "./catalog.js";

/** The vendor's name for this event, or undefined when the vendor has none. */
export function vendorEventName(
  vendor: Vendor,
  type: string,
  data: Record<string, unknown>,
): string | undefined {
  void data;
  return eventTypeInfo(type)?.aliases[vendor]?.[0];
}
