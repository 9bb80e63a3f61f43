// The fields of a webhook row for tests that write the store directly, without the API.
import { type WebhookFields, WIRE_DEFAULTS } from "../../src/store/webhooks.js";

/** An active webhook at an address nothing listens on; `overrides` set what the test cares about. */
export function webhookFields(overrides: Partial<WebhookFields> = {}): WebhookFields {
  return {
    name: "test",
    url: "http://127.0.0.1:9/hook",
    secret: "whsec_c2VjcmV0",
    status: "active",
    timeout: 5000,
    headers: "{}",
    description: "",
    event_types: ["*"],
    max_retries: 3,
    ...WIRE_DEFAULTS,
    disabled_reason: null,
    ...overrides,
  };
}
