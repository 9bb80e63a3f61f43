import { availableParallelism } from "node:os";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";

describe("GATEHOUSE_SENDER_THREAD", () => {
  it.each([
    ["1", true],
    ["true", true],
    ["0", false],
    ["no", false],
  ])("GATEHOUSE_SENDER_THREAD=%s: %s", (value, on) => {
    expect(loadConfig({}, { GATEHOUSE_SENDER_THREAD: value }).senderThread).toBe(on);
  });

  it("is on by default only when a second core can run the thread", () => {
    expect(loadConfig({}, {}).senderThread).toBe(availableParallelism() >= 2);
    expect(loadConfig({}, { GATEHOUSE_SENDER_THREAD: "" }).senderThread).toBe(availableParallelism() >= 2);
  });

  it("names the variable when the value is neither on nor off", () => {
    expect(() => loadConfig({}, { GATEHOUSE_SENDER_THREAD: "maybe" })).toThrow(
      'GATEHOUSE_SENDER_THREAD: expected 1 or 0, got "maybe"',
    );
  });
});
