import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Fifo } from "../../src/lib/fifo.js";

describe("Fifo", () => {
  it("takes items in the order they were put, like an array's push and shift", () => {
    const op = fc.oneof(
      fc.record({ push: fc.integer({ min: 1, max: 3000 }) }),
      fc.record({ shift: fc.integer({ min: 1, max: 3000 }) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
        const fifo = new Fifo<number>();
        const model: number[] = [];
        let next = 0;
        for (const o of ops) {
          if ("push" in o) {
            for (let i = 0; i < o.push; i++) {
              fifo.push(next);
              model.push(next++);
            }
          } else {
            for (let i = 0; i < o.shift; i++) expect(fifo.shift()).toBe(model.shift());
          }
          expect(fifo.length).toBe(model.length);
        }
        expect(fifo.toArray()).toEqual(model);
      }),
      { numRuns: 200 },
    );
  });
});
