import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EVENT_TYPES, eventTypeGroup } from "../../src/events/catalog.js";
import { isSubscription, subscribes, webhooksFor } from "../../src/events/fanout.js";
import { type Webhook, WIRE_DEFAULTS } from "../../src/store/webhooks.js";

const ev = (type: string, data: Record<string, unknown> = {}, site_id: number | null = null) => ({
  type,
  site_id,
  data,
});

let nextUid = 1;
function webhook(event_types: string[], fields: Partial<Webhook> = {}): Webhook {
  const uid = nextUid++;
  return {
    uid,
    name: `hook ${uid}`,
    url: `https://example.com/${uid}`,
    secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
    status: "active",
    timeout: 10_000,
    headers: "{}",
    description: "",
    event_types,
    max_retries: 5,
    disabled_reason: null,
    created_at: 0,
    updated_at: 0,
    ...WIRE_DEFAULTS,
    ...fields,
  };
}

const catalogType = fc.constantFrom(...EVENT_TYPES.map((t) => t.type).filter((t) => t !== "webhook.test"));

describe("subscribes", () => {
  it("matches an exact type only", () => {
    expect(subscribes(["door.opened"], "door.opened")).toBe(true);
    expect(subscribes(["door.opened"], "door.closed")).toBe(false);
    expect(subscribes(["door.opened"], "door.opened.extra")).toBe(false);
  });

  it("matches a whole group with group.*, and nothing outside it", () => {
    expect(subscribes(["door.*"], "door.forced_open")).toBe(true);
    expect(subscribes(["door.*"], "lock.unlocked")).toBe(false);
    expect(subscribes(["door.*"], "doorbell.rang")).toBe(false);
    expect(subscribes(["custom.*"], "custom.alarm_panel.armed")).toBe(true);
    expect(subscribes(["audit.webhook.*"], "audit.webhook.created")).toBe(true);
    expect(subscribes(["audit.webhook.*"], "audit.user.created")).toBe(false);
  });

  it("matches everything with *", () => {
    fc.assert(
      fc.property(catalogType, (type) => {
        expect(subscribes(["*"], type)).toBe(true);
      }),
    );
  });

  it("matches nothing with an empty list", () => {
    fc.assert(
      fc.property(catalogType, (type) => {
        expect(subscribes([], type)).toBe(false);
      }),
    );
  });

  it("matches when any one subscription does", () => {
    fc.assert(
      fc.property(catalogType, fc.array(catalogType, { maxLength: 5 }), (type, others) => {
        expect(subscribes([...others, type], type)).toBe(true);
        expect(subscribes([...others, `${eventTypeGroup(type)}.*`], type)).toBe(true);
        expect(subscribes(others, type)).toBe(others.includes(type));
      }),
    );
  });
});

describe("webhooksFor", () => {
  const exact = webhook(["door.opened"]);
  const group = webhook(["door.*"]);
  const all = webhook(["*"]);
  const none = webhook([]);
  const disabled = webhook(["*"], { status: "disabled", disabled_reason: "the receiver answered 410 Gone" });
  const webhookGroup = webhook(["webhook.*"]);
  const hooks = [exact, group, all, none, disabled, webhookGroup];
  const uids = (list: Webhook[]) => list.map((w) => w.uid);

  it("sends an event to every active webhook subscribed to it, by exact name, group or *", () => {
    expect(uids(webhooksFor(ev("door.opened"), hooks))).toEqual(uids([exact, group, all]));
    expect(uids(webhooksFor(ev("door.closed"), hooks))).toEqual(uids([group, all]));
    expect(uids(webhooksFor(ev("access.granted"), hooks))).toEqual(uids([all]));
    expect(uids(webhooksFor(ev("webhook.disabled"), hooks))).toEqual(uids([all, webhookGroup]));
  });

  it("never sends to a disabled webhook or one with no subscriptions", () => {
    fc.assert(
      fc.property(catalogType, (type) => {
        const chosen = webhooksFor(ev(type), hooks);
        expect(chosen).not.toContain(disabled);
        expect(chosen).not.toContain(none);
        expect(chosen).toContain(all);
      }),
    );
  });

  it("never fans out webhook.test, not even to * or webhook.*", () => {
    expect(webhooksFor(ev("webhook.test"), hooks)).toEqual([]);
    expect(webhooksFor(ev("webhook.test"), [webhook(["webhook.test"])])).toEqual([]);
  });

  it("agrees with subscribes and status for any set of webhooks", () => {
    const pattern = fc.oneof(
      catalogType,
      catalogType.map((t) => `${eventTypeGroup(t)}.*`),
      fc.constant("*"),
    );
    const hook = fc.record({
      types: fc.array(pattern, { maxLength: 4 }),
      active: fc.boolean(),
    });
    fc.assert(
      fc.property(catalogType, fc.array(hook, { maxLength: 8 }), (type, specs) => {
        const list = specs.map((s) => webhook(s.types, { status: s.active ? "active" : "disabled" }));
        const expected = list.filter((w) => w.status === "active" && subscribes(w.event_types, type));
        expect(webhooksFor(ev(type), list)).toEqual(expected);
      }),
    );
  });
});

describe("vendor names as subscriptions", () => {
  const uids = (list: Webhook[]) => list.map((w) => w.uid);

  it("takes a vendor's name for the events that vendor calls by it", () => {
    const kisi = webhook(["lock.unlock"]);
    const alocity = webhook(["door.state"]);
    const basipAll = webhook(["log.*"]);
    const hooks = [kisi, alocity, basipAll];
    const door = { door: { id: 1, name: "Front" } };
    expect(uids(webhooksFor(ev("access.granted", door), hooks))).toEqual(uids([kisi, basipAll]));
    expect(uids(webhooksFor(ev("access.denied", door), hooks))).toEqual(uids([kisi, basipAll]));
    expect(uids(webhooksFor(ev("door.forced_open", door), hooks))).toEqual(uids([alocity]));
    expect(uids(webhooksFor(ev("webhook.disabled"), hooks))).toEqual([]);
  });

  it("does not confuse a vendor name with the canonical group of the same prefix", () => {
    // Kisi's lock.unlock is not a lock.* event, and Alocity's door.state is not door.opened.
    expect(subscribes(["lock.*"], ev("access.granted"))).toBe(false);
    expect(subscribes(["door.state"], ev("door.opened", { door: { id: 1, name: "F" } }))).toBe(true);
    expect(subscribes(["door.opened"], ev("door.closed"))).toBe(false);
  });
});

describe("filters in fan-out", () => {
  const uids = (list: Webhook[]) => list.map((w) => w.uid);

  it("lets through only what the webhook's filters accept", () => {
    const frontOnly = webhook(["*"], { filters: { door_ids: [1] } });
    const deniedOnly = webhook(["access.*"], { filters: { decision: "denied" } });
    const siteTwo = webhook(["*"], { filters: { site_ids: [2] } });
    const hooks = [frontOnly, deniedOnly, siteTwo];
    const at = (id: number) => ({ door: { id, name: `Door ${id}` } });
    expect(uids(webhooksFor(ev("access.granted", at(1), 1), hooks))).toEqual(uids([frontOnly]));
    expect(uids(webhooksFor(ev("access.denied", at(1), 2), hooks))).toEqual(uids(hooks));
    expect(uids(webhooksFor(ev("access.denied", at(3), 1), hooks))).toEqual(uids([deniedOnly]));
  });
});

describe("Genea's audit names as subscriptions", () => {
  it("are accepted and take that resource's audit events", () => {
    expect(isSubscription("Access Group")).toBe(true);
    expect(isSubscription("Nope Group")).toBe(false);
    const data = {
      actor: { type: "api_key", id: 1, name: "k" },
      resource: { type: "access_group", id: 3 },
      changes: {},
    };
    expect(subscribes(["Access Group"], ev("audit.access_group.created", data))).toBe(true);
    expect(
      subscribes(["Access Group"], ev("audit.door.created", { ...data, resource: { type: "door", id: 3 } })),
    ).toBe(false);
  });
});
