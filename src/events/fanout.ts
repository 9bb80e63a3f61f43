// Fan-out matching: which webhooks an event goes to. Pure, so it is tested exhaustively.
import type { Webhook } from "../store/webhooks.js";
import { matchesSubscription } from "./catalog.js";

/** True when any of the webhook's subscriptions covers the type. No subscriptions means nothing. */
export function subscribes(eventTypes: readonly string[], type: string): boolean {
  return eventTypes.some((pattern) => matchesSubscription(pattern, type));
}

/** The active webhooks an event of this type goes to. Test events go only to the webhook that asked. */
export function webhooksFor(type: string, webhooks: readonly Webhook[]): Webhook[] {
  if (type === "webhook.test") return [];
  return webhooks.filter((w) => w.status === "active" && subscribes(w.event_types, type));
}
