// The access resources' field rules: validity bounds need an offset, dates must exist, times are HH:MM,
// card lookups ignore hex case, and a PIN's digest is stable, salted and never the PIN.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { cardLookup } from "../../src/access/credentials.js";
import { instant, localDate, localTime } from "../../src/access/fields.js";
import { pinDigest } from "../../src/access/pin.js";

describe("field rules", () => {
  it("reads validity bounds only with an explicit offset, as epoch ms", () => {
    expect(instant.parse("2026-03-01T08:00:00Z")).toBe(Date.UTC(2026, 2, 1, 8));
    expect(instant.parse("2026-03-01T09:00:00+01:00")).toBe(Date.UTC(2026, 2, 1, 8));
    expect(instant.parse(null)).toBeNull();
    for (const bad of ["2026-03-01T08:00:00", "2026-03-01", "yesterday", "2026-13-01T00:00:00Z"]) {
      expect(instant.safeParse(bad).success, bad).toBe(false);
    }
  });

  it("takes only calendar dates that exist", () => {
    expect(localDate.safeParse("2028-02-29").success).toBe(true);
    for (const bad of ["2026-02-29", "2026-04-31", "2026-1-01", "26-01-01"]) {
      expect(localDate.safeParse(bad).success, bad).toBe(false);
    }
  });

  it("takes wall-clock times 00:00 to 24:00 and nothing else", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }), (h, m) => {
        const text = `${String(h).padStart(2, "0")}:${String(m).padStart(2, "0")}`;
        expect(localTime.safeParse(text).success).toBe(true);
      }),
    );
    expect(localTime.safeParse("24:00").success).toBe(true);
    for (const bad of ["24:01", "7:00", "12:60", "12-00"])
      expect(localTime.safeParse(bad).success, bad).toBe(false);
  });

  it("finds a card whatever the case of its hex digits", () => {
    expect(cardLookup(12, "00ab12")).toBe(cardLookup(12, "00AB12"));
    expect(cardLookup(12, "1")).not.toBe(cardLookup(1, "21"));
  });

  it("digests a PIN the same way every time under one salt, differently under another, never as itself", async () => {
    const a = await pinDigest("123456", "salt-a");
    expect(await pinDigest("123456", "salt-a")).toBe(a);
    expect(await pinDigest("123456", "salt-b")).not.toBe(a);
    expect(await pinDigest("123457", "salt-a")).not.toBe(a);
    expect(a).toMatch(/^scrypt:[0-9a-f]{64}$/);
    expect(a).not.toContain("123456");
  });
});
