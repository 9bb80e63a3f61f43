import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { maskCredential } from "../../src/core/decision.js";
import type { CredentialKind } from "../../src/core/model.js";

describe("maskCredential", () => {
  it("shows only the last 4 digits of a card number behind a fixed prefix", () => {
    expect(maskCredential("card", "0012345678")).toBe("****5678");
    expect(maskCredential("card", "12345")).toBe("****2345");
  });

  it("never shows a PIN, not even masked", () => {
    expect(maskCredential("pin", "1234")).toBeNull();
    expect(maskCredential("pin", "")).toBeNull();
  });

  it("hides values of 4 characters or fewer entirely", () => {
    expect(maskCredential("card", "1234")).toBe("****");
    expect(maskCredential("qr", "ab")).toBe("****");
    expect(maskCredential("mobile", "")).toBe("****");
  });

  it("property: the mask is at most 8 characters, never reveals more than the last 4, and hides the length", () => {
    const kind = fc.constantFrom<CredentialKind>("card", "qr", "mobile", "face");
    fc.assert(
      fc.property(kind, fc.string({ maxLength: 64 }), (k, value) => {
        const mask = maskCredential(k, value) as string;
        expect(mask.startsWith("****")).toBe(true);
        expect(mask.length).toBeLessThanOrEqual(8);
        const shown = mask.slice(4);
        expect(value.endsWith(shown)).toBe(true);
        if (value.length <= 4) expect(shown).toBe("");
      }),
    );
  });
});
