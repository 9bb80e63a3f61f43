// Fan-out matching: which webhooks an event goes to. Pure, so it is tested exhaustively.
import type { Webhook } from "../store/webhooks.js";
import { BASIP_WILDCARD, isValidSubscription, matchesSubscription } from "./catalog.js";
import { type FilterSubject, isEmptyFilter, passesFilters } from "./filters.js";
import { matchesVendorName, vendorEventName, vendorOfName } from "./vendor-names.js";

/** What fan-out looks at: the type, and for vendor names and filters the site and the data. */
export type FanoutSubject = FilterSubject;

type Matcher = (event: FanoutSubject) => boolean;

/**
 * One subscription as a predicate. A canonical pattern looks at the type; a vendor name (`lock.unlock`,
 * `log.access_denied_by_unknown_card`) matches the events that vendor would call by that name, which can
 * depend on the data; `log.*` matches every event BAS-IP has a name for.
 */
function compile(pattern: string): Matcher {
  if (pattern === BASIP_WILDCARD) return (e) => vendorEventName("basip", e.type, e.data) !== undefined;
  if (vendorOfName(pattern)) return (e) => matchesVendorName(pattern, e.type, e.data);
  return (e) => matchesSubscription(pattern, e.type);
}

/** What a webhook may subscribe to: canonical names and patterns, any vendor's event name, `log.*`. */
export function isSubscription(pattern: string): boolean {
  return isValidSubscription(pattern) || vendorOfName(pattern) !== undefined;
}

// Keyed by the subscription list: a changed webhook is a new object with a new list, so entries never go stale.
const compiled = new WeakMap<readonly string[], Matcher[]>();

function matchersOf(eventTypes: readonly string[]): Matcher[] {
  let matchers = compiled.get(eventTypes);
  if (!matchers) {
    matchers = eventTypes.map(compile);
    compiled.set(eventTypes, matchers);
  }
  return matchers;
}

/** True when any of the subscriptions covers the event. No subscriptions means nothing. */
export function subscribes(eventTypes: readonly string[], event: FanoutSubject | string): boolean {
  const subject = typeof event === "string" ? { type: event, site_id: null, data: {} } : event;
  return matchersOf(eventTypes).some((matches) => matches(subject));
}

/** The active webhooks an event goes to: subscribed and let through by their filters. Test events go nowhere. */
export function webhooksFor(event: FanoutSubject, webhooks: readonly Webhook[]): Webhook[] {
  if (event.type === "webhook.test") return [];
  return webhooks.filter(
    (w) =>
      w.status === "active" &&
      subscribes(w.event_types, event) &&
      (isEmptyFilter(w.filters) || passesFilters(w.filters, event)),
  );
}
