import { describe, expect, it } from "vitest";
import { buildRequest } from "../../src/delivery/request.js";
import type { StoredEvent } from "../../src/store/events.js";
import { type Webhook, WIRE_DEFAULTS } from "../../src/store/webhooks.js";

const webhook: Webhook = {
  uid: 1,
  name: "w",
  url: "https://example.com/hook?x=1",
  secret: "whsec_c2VjcmV0",
  status: "active",
  timeout: 5000,
  headers: '{"X-Api-Key":"one"}',
  description: "",
  event_types: ["*"],
  max_retries: 3,
  disabled_reason: null,
  created_at: 0,
  updated_at: 0,
  ...WIRE_DEFAULTS,
};

const event: StoredEvent = {
  position: 1,
  id: "evt_1",
  type: "door.opened",
  timestamp: "2026-01-01T00:00:00.000Z",
  recorded_at: Date.UTC(2026, 0, 1),
  site_id: null,
  sequence: 1,
  data_json: '{"door":12}',
};

describe("buildRequest", () => {
  it("sends the webhook's custom headers, and the new ones once the webhook is changed", () => {
    const now = Date.UTC(2026, 0, 1);
    expect(buildRequest(webhook, event, now).headers["X-Api-Key"]).toBe("one");
    expect(buildRequest(webhook, event, now).headers["X-Api-Key"]).toBe("one");
    // The webhook cache holds a new object after a change.
    const changed = { ...webhook, headers: '{"X-Api-Key":"two"}' };
    expect(buildRequest(changed, event, now).headers["X-Api-Key"]).toBe("two");
    expect(buildRequest({ ...webhook, headers: "{}" }, event, now).headers["X-Api-Key"]).toBeUndefined();
  });

  it("does not let one request's headers leak into the next", () => {
    const first = buildRequest(webhook, event, Date.UTC(2026, 0, 1));
    first.headers["X-Api-Key"] = "tampered";
    const second = buildRequest(webhook, { ...event, id: "evt_2" }, Date.UTC(2026, 0, 1));
    expect(second.headers["X-Api-Key"]).toBe("one");
    expect(second.headers["webhook-id"]).toBe("evt_2");
  });
});
