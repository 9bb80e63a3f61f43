import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { renderGatehouseV1 } from "../../src/delivery/formats/gatehouse.js";

describe("renderGatehouseV1", () => {
  it("writes the same bytes as serialising the whole envelope, data included", () => {
    fc.assert(
      fc.property(
        fc.record({
          id: fc.string({ minLength: 1 }),
          type: fc.string({ minLength: 1 }),
          recorded_at: fc.integer({ min: 0, max: 4_102_444_800_000 }),
          site_id: fc.option(fc.integer({ min: 1, max: 2 ** 40 }), { nil: null }),
          sequence: fc.integer({ min: 1, max: 2 ** 50 }),
          data: fc.dictionary(fc.string(), fc.jsonValue()),
        }),
        ({ data, ...e }) => {
          const timestamp = new Date(e.recorded_at).toISOString();
          // Stored text, read back: what a claimed delivery renders from after a restart.
          const stored = JSON.stringify(data);
          const body = renderGatehouseV1({ ...e, timestamp, position: 1, data_json: stored });
          const envelope = { ...e, timestamp, recorded_at: timestamp, data: JSON.parse(stored) };
          expect(body).toBe(
            JSON.stringify({
              id: envelope.id,
              type: envelope.type,
              timestamp: envelope.timestamp,
              recorded_at: envelope.recorded_at,
              site_id: envelope.site_id,
              sequence: envelope.sequence,
              data: envelope.data,
            }),
          );
          expect(JSON.parse(body).data).toEqual(JSON.parse(stored));
        },
      ),
    );
  });
});
