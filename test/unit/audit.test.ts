// What audit events say changed: every field on create and delete, only the differing ones on update,
// bookkeeping fields never, secrets always masked.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { auditEvent, changedFields } from "../../src/access/audit.js";

describe("changedFields", () => {
  it("lists every field after a create and before a delete, without id and timestamps", () => {
    const row = { id: 3, name: "Lobby", mode: "normal", created_at: 1, updated_at: 2 };
    expect(changedFields(null, row)).toEqual({ name: { after: "Lobby" }, mode: { after: "normal" } });
    expect(changedFields(row, null)).toEqual({ name: { before: "Lobby" }, mode: { before: "normal" } });
  });

  it("lists only what differs on an update, comparing nested values by content", () => {
    const before = {
      id: 1,
      name: "A",
      door_ids: [1, 2],
      area: { id: "x", direction: "entry" },
      updated_at: 1,
    };
    const after = { ...before, door_ids: [1, 2, 3], area: { id: "x", direction: "entry" }, updated_at: 9 };
    expect(changedFields(before, after)).toEqual({ door_ids: { before: [1, 2], after: [1, 2, 3] } });
  });

  it("masks secret fields whatever their value, but shows that they were cleared", () => {
    const changes = changedFields({ secret: "whsec_old" }, { secret: "whsec_new" }, ["secret"]);
    expect(changes).toEqual({ secret: { before: "****", after: "****" } });
    expect(changedFields({ secret: "s" }, { secret: null }, ["secret"])).toEqual({
      secret: { before: "****", after: null },
    });
  });

  it("never reports an unchanged field and never leaks a secret (property)", () => {
    const value = fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null));
    const record = fc.dictionary(fc.constantFrom("a", "b", "c", "secret"), value);
    fc.assert(
      fc.property(record, record, (before, after) => {
        const changes = changedFields(before, after, ["secret"]);
        for (const [name, change] of Object.entries(changes)) {
          expect(JSON.stringify(before[name])).not.toBe(JSON.stringify(after[name]));
          if (name === "secret") {
            for (const side of [change.before, change.after])
              expect([undefined, null, "****"]).toContain(side);
          }
        }
        for (const name of new Set([...Object.keys(before), ...Object.keys(after)])) {
          const differs = JSON.stringify(before[name]) !== JSON.stringify(after[name]);
          expect(name in changes).toBe(differs);
        }
      }),
    );
  });
});

describe("auditEvent", () => {
  it("names the type audit.<resource>.<action> and carries actor, resource and changes", () => {
    const event = auditEvent({
      resource: "access_group",
      action: "deleted",
      id: 4,
      actor: { type: "api_key", id: 1, name: "ops" },
      site: 2,
      changes: { name: { before: "Staff" } },
    });
    expect(event).toEqual({
      type: "audit.access_group.deleted",
      site_id: 2,
      data: {
        actor: { type: "api_key", id: 1, name: "ops" },
        resource: { type: "access_group", id: 4 },
        changes: { name: { before: "Staff" } },
      },
    });
  });
});
