// Every signature scheme checked from the receiver's side: published and hand-derived vectors, vectors that
// openssl computes (so the expected value owes nothing to our code), each way a request should fail, and
// round trips from our signers to our verifiers.
import { execFileSync } from "node:child_process";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { signAlocity, verifyAlocity } from "../../src/delivery/signing/alocity.js";
import { signBasip, verifyBasip } from "../../src/delivery/signing/basip.js";
import { signGenea, verifyGenea } from "../../src/delivery/signing/genea.js";
import { SIGNATURE_SCHEMES, signatureHeaders } from "../../src/delivery/signing/index.js";
import { signKisi, verifyKisi } from "../../src/delivery/signing/kisi.js";
import { signStandard, verifyStandard } from "../../src/delivery/signing/standard.js";
import {
  assertVerified,
  type VerifyResult,
  WebhookVerificationError,
} from "../../src/delivery/signing/verification.js";

/** HMAC by openssl over the exact bytes given, keyed with the exact key bytes given. */
function opensslHmac(algorithm: "sha256" | "sha1", key: Buffer, message: Buffer | string): Buffer {
  return execFileSync(
    "/usr/bin/openssl",
    ["dgst", `-${algorithm}`, "-mac", "HMAC", "-macopt", `hexkey:${key.toString("hex")}`, "-binary"],
    { input: message },
  );
}
const utf8 = (s: string) => Buffer.from(s, "utf8");

const T = 1_767_225_600; // 2026-01-01T00:00:00Z
const at = (sec: number) => () => sec * 1000;
const BODY = '{"id":"0194f1a2-7b3c-7d4e-8f50-6a7b8c9d0e1f","type":"access.granted","data":{"door":{"id":3}}}';

function failed(result: VerifyResult, code: string): string {
  expect(result).toMatchObject({ ok: false, code });
  return result.ok ? "" : result.reason;
}

describe("standard", () => {
  const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  const headers = (body: string, ts = T, s = secret) => ({
    "webhook-id": "msg_1",
    "webhook-timestamp": String(ts),
    "webhook-signature": signStandard(s, "msg_1", ts, body),
  });

  it("accepts the Standard Webhooks specification's example", () => {
    const example = {
      "webhook-id": "msg_p5jXN8AQM9LWM0D4loKWxJek",
      "webhook-timestamp": "1614265330",
      "webhook-signature": "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
    };
    expect(verifyStandard('{"test": 2432232314}', example, secret, { now: at(1614265330) })).toEqual({
      ok: true,
    });
  });

  it("accepts signatures openssl computes, with a whsec_ key and with a raw secret's UTF-8 bytes", () => {
    const raw = "plain-secret-ünïcødé";
    const whsecKey = Buffer.from(secret.slice(6), "base64");
    for (const [s, key] of [
      [secret, whsecKey],
      [raw, utf8(raw)],
    ] as const) {
      const mac = opensslHmac("sha256", key, `msg_1.${T}.${BODY}`).toString("base64");
      const h = { "webhook-id": "msg_1", "webhook-timestamp": String(T), "webhook-signature": `v1,${mac}` };
      expect(verifyStandard(BODY, h, s, { now: at(T) }).ok).toBe(true);
    }
  });

  it("verifies the exact bytes: a body that is not UTF-8 verifies as bytes, not as a decoded string", () => {
    const bytes = Buffer.from([0x7b, 0xff, 0xfe, 0x22, 0x7d]);
    const mac = opensslHmac(
      "sha256",
      Buffer.from(secret.slice(6), "base64"),
      Buffer.concat([utf8(`m.${T}.`), bytes]),
    );
    const h = {
      "webhook-id": "m",
      "webhook-timestamp": String(T),
      "webhook-signature": `v1,${mac.toString("base64")}`,
    };
    expect(verifyStandard(bytes, h, secret, { now: at(T) }).ok).toBe(true);
    expect(verifyStandard(new Uint8Array(bytes), h, secret, { now: at(T) }).ok).toBe(true);
    expect(verifyStandard(bytes.toString("utf8"), h, secret, { now: at(T) }).ok).toBe(false);
  });

  it("accepts any one of several space-separated signatures and ignores other versions", () => {
    const good = signStandard(secret, "msg_1", T, BODY);
    const h = { ...headers(BODY), "webhook-signature": `v1a,xyz v1,bm90IHRoaXMgb25l ${good}` };
    expect(verifyStandard(BODY, h, secret, { now: at(T) }).ok).toBe(true);
  });

  it("during a rotation, verifies with either secret", () => {
    const old = "whsec_b2xkLXNlY3JldC1rZXktMTIzNDU2Nzg=";
    const both = signatureHeaders("standard", {
      msgId: "m",
      timestampSec: T,
      attempt: 1,
      body: BODY,
      secrets: [secret, old],
    });
    expect(verifyStandard(BODY, both, old, { now: at(T) }).ok).toBe(true);
    expect(verifyStandard(BODY, both, secret, { now: at(T) }).ok).toBe(true);
    // A receiver that holds both while the sender has moved on to one.
    expect(verifyStandard(BODY, headers(BODY, T, old), [secret, old], { now: at(T) }).ok).toBe(true);
  });

  it("refuses a tampered body, a wrong secret, and names the header", () => {
    const h = headers(BODY);
    expect(failed(verifyStandard(`${BODY} `, h, secret, { now: at(T) }), "signature_mismatch")).toMatch(
      /webhook-signature does not match .* the secret/,
    );
    expect(
      failed(verifyStandard(BODY, h, ["whsec_d3Jvbmc=", "other"], { now: at(T) }), "signature_mismatch"),
    ).toMatch(/any of the 2 secrets/);
    // The id and the timestamp are signed too.
    expect(verifyStandard(BODY, { ...h, "webhook-id": "msg_2" }, secret, { now: at(T) }).ok).toBe(false);
    expect(
      verifyStandard(BODY, { ...h, "webhook-timestamp": String(T + 1) }, secret, { now: at(T) }).ok,
    ).toBe(false);
  });

  it("refuses a stale or future timestamp beyond the tolerance, and takes a tolerance", () => {
    const h = headers(BODY);
    expect(verifyStandard(BODY, h, secret, { now: at(T + 300) }).ok).toBe(true);
    expect(failed(verifyStandard(BODY, h, secret, { now: at(T + 301) }), "timestamp_too_old")).toBe(
      "webhook-timestamp is 301 s old, beyond the tolerance of 300 s",
    );
    expect(failed(verifyStandard(BODY, h, secret, { now: at(T - 301) }), "timestamp_in_future")).toMatch(
      /301 s in the future/,
    );
    expect(verifyStandard(BODY, h, secret, { now: at(T + 3600), toleranceSec: 3600 }).ok).toBe(true);
    expect(verifyStandard(BODY, h, secret, { now: at(T + 2), toleranceSec: 1 }).ok).toBe(false);
  });

  it("refuses missing and malformed headers, saying which", () => {
    const h = headers(BODY);
    for (const name of ["webhook-id", "webhook-timestamp", "webhook-signature"] as const) {
      const { [name]: _, ...rest } = h;
      expect(failed(verifyStandard(BODY, rest, secret, { now: at(T) }), "missing_header")).toBe(
        `the ${name} header is missing`,
      );
    }
    expect(
      failed(
        verifyStandard(BODY, { ...h, "webhook-timestamp": "soon" }, secret, { now: at(T) }),
        "malformed_header",
      ),
    ).toMatch(/epoch seconds/);
    expect(
      failed(
        verifyStandard(BODY, { ...h, "webhook-signature": "abc" }, secret, { now: at(T) }),
        "malformed_header",
      ),
    ).toMatch(/no "v1,<base64>"/);
  });

  it("reads Node's headers in any case, arrays included, and a fetch Headers", () => {
    const h = headers(BODY);
    const mixed = {
      "Webhook-Id": [h["webhook-id"]],
      "WEBHOOK-TIMESTAMP": h["webhook-timestamp"],
      "webhook-signature": h["webhook-signature"],
      "x-other": undefined,
    };
    expect(verifyStandard(BODY, mixed, secret, { now: at(T) }).ok).toBe(true);
    expect(verifyStandard(BODY, new Headers(h), secret, { now: at(T) }).ok).toBe(true);
    // Two copies of a header are not a choice between them.
    expect(verifyStandard(BODY, { ...h, "Webhook-Id": "evil" }, secret, { now: at(T) }).ok).toBe(false);
  });
});

describe("kisi", () => {
  it("accepts RFC 4231's HMAC-SHA256 test vector as X-Signature", () => {
    const h = { "x-signature": "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843" };
    expect(verifyKisi("what do ya want for nothing?", h, "Jefe")).toEqual({ ok: true });
  });

  it("accepts openssl's hex HMAC-SHA256 of the body, in either case", () => {
    const secret = "kisi-signature-key";
    const hex = opensslHmac("sha256", utf8(secret), BODY).toString("hex");
    expect(signKisi(secret, BODY)).toBe(hex);
    expect(verifyKisi(BODY, { "X-Signature": hex }, secret).ok).toBe(true);
    expect(verifyKisi(BODY, { "X-Signature": hex.toUpperCase() }, secret).ok).toBe(true);
  });

  it("keys a whsec_ secret with its UTF-8 bytes, not the base64 after the prefix", () => {
    const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    const hex = opensslHmac("sha256", utf8(secret), BODY).toString("hex");
    expect(verifyKisi(BODY, { "x-signature": hex }, secret).ok).toBe(true);
  });

  it("refuses a tampered body, a wrong secret, a missing or malformed header", () => {
    const h = { "x-signature": signKisi("right", BODY) };
    expect(failed(verifyKisi(`${BODY}\n`, h, "right"), "signature_mismatch")).toBe(
      "X-Signature does not match the body signed with the secret",
    );
    expect(failed(verifyKisi(BODY, h, "wrong"), "signature_mismatch")).toBeTruthy();
    expect(failed(verifyKisi(BODY, {}, "right"), "missing_header")).toBe("the X-Signature header is missing");
    expect(failed(verifyKisi(BODY, { "x-signature": "sha256=abc" }, "right"), "malformed_header")).toMatch(
      /64 hex/,
    );
  });

  it("during a rotation, verifies with either secret", () => {
    const h = { "x-signature": signKisi("old-secret", BODY) };
    expect(verifyKisi(BODY, h, ["new-secret", "old-secret"]).ok).toBe(true);
    expect(verifyKisi(BODY, h, ["new-secret"]).ok).toBe(false);
  });
});

describe("genea", () => {
  it("accepts RFC 2202's HMAC-SHA1 test vector behind sha1=", () => {
    const h = { "X-Sequr-Signature": "sha1=effcdf6ae5eb2fa2d27416d5f184df9c259a7c79" };
    expect(verifyGenea("what do ya want for nothing?", h, "Jefe")).toEqual({ ok: true });
  });

  it("accepts openssl's hex HMAC-SHA1 of the body", () => {
    const secret = "genea-reveal-key-0001";
    const header = `sha1=${opensslHmac("sha1", utf8(secret), BODY).toString("hex")}`;
    expect(signGenea(secret, BODY)).toBe(header);
    expect(verifyGenea(BODY, new Headers({ "x-sequr-signature": header }), secret).ok).toBe(true);
  });

  it("refuses a tampered body, a wrong secret, a missing or malformed header", () => {
    const h = { "x-sequr-signature": signGenea("right", BODY) };
    expect(failed(verifyGenea(BODY.replace("3", "4"), h, "right"), "signature_mismatch")).toMatch(
      /X-Sequr-Signature/,
    );
    expect(verifyGenea(BODY, h, "wrong").ok).toBe(false);
    expect(failed(verifyGenea(BODY, {}, "right"), "missing_header")).toMatch(
      /X-Sequr-Signature header is missing/,
    );
    const bare = h["x-sequr-signature"].slice(5);
    expect(failed(verifyGenea(BODY, { "x-sequr-signature": bare }, "right"), "malformed_header")).toMatch(
      /sha1=/,
    );
  });

  it("during a rotation, verifies with either secret", () => {
    expect(verifyGenea(BODY, { "x-sequr-signature": signGenea("b", BODY) }, ["a", "b"]).ok).toBe(true);
  });
});

describe("alocity", () => {
  const body = '{"id":"0194f1a2-7b3c-7d4e-8f50-6a7b8c9d0e1f","type":"access.granted"}';

  it('accepts a vector worked out by hand from the formula: base64 HMAC-SHA256 of "<t>.<payload>"', () => {
    // openssl dgst -sha256 -hmac alocity-secret-key -binary <<< "1767225600.<body>" (no newline) | base64
    const h = { "alocity-signature": "t:1767225600,sig:uOCAoRYfJnms3UB2nQu5QBJpBsy8V8cUf8PNGupjKNs=" };
    expect(verifyAlocity(body, h, "alocity-secret-key", { now: at(T) })).toEqual({ ok: true });
    expect(signAlocity("alocity-secret-key", T, body)).toBe(h["alocity-signature"]);
  });

  it("accepts openssl's signature, in either order of the parts", () => {
    const secret = "alocity-webhook-key";
    const sig = opensslHmac("sha256", utf8(secret), `${T}.${BODY}`).toString("base64");
    expect(verifyAlocity(BODY, { "Alocity-Signature": `t:${T},sig:${sig}` }, secret, { now: at(T) }).ok).toBe(
      true,
    );
    expect(
      verifyAlocity(BODY, { "Alocity-Signature": `sig:${sig}, t:${T}` }, secret, { now: at(T) }).ok,
    ).toBe(true);
  });

  it("refuses a tampered body, a changed t, a wrong secret", () => {
    const h = { "alocity-signature": signAlocity("right", T, BODY) };
    expect(failed(verifyAlocity(`${BODY} `, h, "right", { now: at(T) }), "signature_mismatch")).toMatch(
      /Alocity-Signature does not match t and the body/,
    );
    const moved = { "alocity-signature": h["alocity-signature"].replace(`t:${T}`, `t:${T + 1}`) };
    expect(failed(verifyAlocity(BODY, moved, "right", { now: at(T) }), "signature_mismatch")).toBeTruthy();
    expect(verifyAlocity(BODY, h, "wrong", { now: at(T) }).ok).toBe(false);
  });

  it("refuses a t beyond the tolerance either way", () => {
    const h = { "alocity-signature": signAlocity("s", T, BODY) };
    expect(failed(verifyAlocity(BODY, h, "s", { now: at(T + 600) }), "timestamp_too_old")).toMatch(
      /600 s old/,
    );
    expect(failed(verifyAlocity(BODY, h, "s", { now: at(T - 600) }), "timestamp_in_future")).toBeTruthy();
    expect(verifyAlocity(BODY, h, "s", { now: at(T + 600), toleranceSec: 600 }).ok).toBe(true);
  });

  it("refuses a missing or malformed header", () => {
    expect(failed(verifyAlocity(BODY, {}, "s", { now: at(T) }), "missing_header")).toMatch(
      /Alocity-Signature/,
    );
    for (const bad of ["sig:abc", `t:${T}`, `t=${T},sig=abc`, `t:soon,sig:abc`, `t:${T},sig:abc,x:1`]) {
      expect(
        failed(verifyAlocity(BODY, { "alocity-signature": bad }, "s", { now: at(T) }), "malformed_header"),
      ).toBe('Alocity-Signature is not "t:<epoch seconds>,sig:<base64>"');
    }
  });

  it("during a rotation, verifies with either secret", () => {
    const h = { "alocity-signature": signAlocity("old", T, BODY) };
    expect(verifyAlocity(BODY, h, ["new", "old"], { now: at(T) }).ok).toBe(true);
  });
});

describe("basip", () => {
  const body = '{"uuid":"d7cf0237-a492-4e5d-b20c-f58fc3ef4eff","type":"lock.unlock","success":true}';

  it("accepts a vector worked out by hand with seed 004's example secret", () => {
    // printf '%s' "<body>" | openssl dgst -sha256 -hmac 1234567890abcdef
    const h = {
      "x-webhook-signature": "e5fb0e50a0cc2a0f109c6ea26d40f1a0690bf8bc049e4dd78b08548674113280",
      "x-webhook-timestamp": "1",
      "x-webhook-attempt": "2",
    };
    expect(verifyBasip(body, h, "1234567890abcdef")).toEqual({ ok: true });
    expect(signBasip("1234567890abcdef", body)).toBe(h["x-webhook-signature"]);
  });

  it("accepts openssl's hex HMAC-SHA256 of the body", () => {
    const secret = "basip-secret-0123456789";
    const hex = opensslHmac("sha256", utf8(secret), BODY).toString("hex");
    expect(verifyBasip(BODY, { "X-Webhook-Signature": hex }, secret).ok).toBe(true);
  });

  it("checks the unsigned timestamp only when given a tolerance", () => {
    const h = { "x-webhook-signature": signBasip("s", BODY), "x-webhook-timestamp": String(T) };
    expect(verifyBasip(BODY, h, "s", { now: at(T + 10_000) }).ok).toBe(true);
    expect(
      failed(verifyBasip(BODY, h, "s", { now: at(T + 10_000), toleranceSec: 300 }), "timestamp_too_old"),
    ).toMatch(/X-Webhook-Timestamp is 10000 s old/);
    expect(verifyBasip(BODY, h, "s", { now: at(T + 10), toleranceSec: 300 }).ok).toBe(true);
    const { "x-webhook-timestamp": _, ...untimed } = h;
    expect(failed(verifyBasip(BODY, untimed, "s", { toleranceSec: 300 }), "missing_header")).toMatch(
      /X-Webhook-Timestamp/,
    );
  });

  it("refuses a tampered body, a wrong secret, a missing or malformed header", () => {
    const h = { "x-webhook-signature": signBasip("right-secret-16ch", BODY) };
    expect(failed(verifyBasip(`${BODY}x`, h, "right-secret-16ch"), "signature_mismatch")).toMatch(
      /X-Webhook-Signature/,
    );
    expect(verifyBasip(BODY, h, "wrong-secret-16ch").ok).toBe(false);
    expect(failed(verifyBasip(BODY, {}, "s"), "missing_header")).toMatch(
      /X-Webhook-Signature header is missing/,
    );
    expect(failed(verifyBasip(BODY, { "x-webhook-signature": "zz" }, "s"), "malformed_header")).toBeTruthy();
  });

  it("during a rotation, verifies with either secret", () => {
    expect(verifyBasip(BODY, { "x-webhook-signature": signBasip("b", BODY) }, ["a", "b"]).ok).toBe(true);
  });
});

describe("every scheme", () => {
  it("refuses to verify without a secret, or with an empty one", () => {
    expect(failed(verifyKisi(BODY, { "x-signature": signKisi("", BODY) }, ""), "no_secret")).toMatch(/empty/);
    expect(failed(verifyGenea(BODY, {}, []), "no_secret")).toBe("no secret was given to verify with");
  });

  it("throws a WebhookVerificationError carrying the code and reason, for one-line receivers", () => {
    expect(() => assertVerified(verifyKisi(BODY, { "x-signature": signKisi("k", BODY) }, "k"))).not.toThrow();
    const thrown = (() => {
      try {
        assertVerified(verifyKisi(BODY, {}, "k"));
      } catch (error) {
        return error;
      }
    })();
    expect(thrown).toBeInstanceOf(WebhookVerificationError);
    expect(thrown).toMatchObject({ code: "missing_header", message: "the X-Signature header is missing" });
  });

  const verifiers = {
    standard: verifyStandard,
    kisi: verifyKisi,
    genea: verifyGenea,
    alocity: verifyAlocity,
    basip: verifyBasip,
  };
  const signed = SIGNATURE_SCHEMES.filter((s) => s !== "none");

  it("round-trips what our signers send through our verifiers, and a changed byte or secret fails", () => {
    const secret = fc.string({ unit: "grapheme", minLength: 1, maxLength: 64 });
    fc.assert(
      fc.property(
        fc.constantFrom(...signed),
        secret,
        secret,
        fc.uuid(),
        fc.string({ unit: "grapheme", maxLength: 300 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: -300, max: 300 }),
        (scheme, current, previous, msgId, body, attempt, skew) => {
          fc.pre(current !== previous && previous !== `${current}!`);
          const headers = signatureHeaders(scheme, {
            msgId,
            timestampSec: T,
            attempt,
            body,
            secrets: [current, previous],
          });
          const verify = verifiers[scheme];
          const now = at(T + skew);
          expect(verify(body, headers, current, { now })).toEqual({ ok: true });
          expect(verify(Buffer.from(body, "utf8"), headers, [previous, current], { now })).toEqual({
            ok: true,
          });
          expect(verify(`${body}.`, headers, current, { now })).toMatchObject({ code: "signature_mismatch" });
          const other = `${current}!`;
          expect(verify(body, headers, other, { now })).toMatchObject({ code: "signature_mismatch" });
        },
      ),
      { numRuns: 300 },
    );
  });
});
