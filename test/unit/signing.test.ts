import { execFileSync } from "node:child_process";
import fc from "fast-check";
import { Webhook as StandardWebhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { signStandard, standardHeaders, standardSigningKey } from "../../src/delivery/signing/standard.js";

/** HMAC-SHA256 in base64 computed by openssl, so the expected value owes nothing to our code. */
function opensslHmac(key: Buffer, message: string): string {
  return execFileSync(
    "openssl",
    ["dgst", "-sha256", "-mac", "HMAC", "-macopt", `hexkey:${key.toString("hex")}`, "-binary"],
    { input: message },
  )
    .toString("base64")
    .trim();
}

const msgId = "01890b3e-7c4a-7d2e-9b1a-3f5e6d7c8b9a";
const timestamp = 1_767_225_600;
const body = '{"id":"01890b3e-7c4a-7d2e-9b1a-3f5e6d7c8b9a","type":"door.opened","data":{"door":{"id":1}}}';

describe("signStandard", () => {
  it("signs with the base64-decoded key of a whsec_ secret", () => {
    const keyBytes = Buffer.from("gatehouse-test-key-24byte", "utf8");
    const secret = `whsec_${keyBytes.toString("base64")}`;
    const expected = `v1,${opensslHmac(keyBytes, `${msgId}.${timestamp}.${body}`)}`;
    expect(signStandard(secret, msgId, timestamp, body)).toBe(expected);
    expect(new StandardWebhook(secret).sign(msgId, new Date(timestamp * 1000), body)).toBe(expected);
  });

  it("signs with the UTF-8 bytes of any other secret", () => {
    const secret = "plain-secret-ünïcødé-0123";
    const expected = `v1,${opensslHmac(Buffer.from(secret, "utf8"), `${msgId}.${timestamp}.${body}`)}`;
    expect(signStandard(secret, msgId, timestamp, body)).toBe(expected);
    expect(standardSigningKey(secret)).toEqual(Buffer.from(secret, "utf8"));
  });

  it("signs a non-ASCII body as its UTF-8 bytes", () => {
    const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    const text = '{"name":"Zoë Ångström","note":"門"}';
    const expected = `v1,${opensslHmac(standardSigningKey(secret), `${msgId}.${timestamp}.${text}`)}`;
    expect(signStandard(secret, msgId, timestamp, text)).toBe(expected);
  });

  it("gives the three Standard Webhooks headers", () => {
    const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    expect(standardHeaders({ secrets: [secret], msgId, timestampSec: timestamp, body, attempt: 1 })).toEqual({
      "webhook-id": msgId,
      "webhook-timestamp": String(timestamp),
      "webhook-signature": signStandard(secret, msgId, timestamp, body),
    });
  });

  it("round-trips through the standardwebhooks library's verify (whsec_ and raw secrets)", () => {
    const whsec = fc
      .uint8Array({ minLength: 1, maxLength: 64 })
      .map((bytes) => ({ secret: `whsec_${Buffer.from(bytes).toString("base64")}`, raw: false }));
    const raw = fc
      .string({ unit: "grapheme", minLength: 16, maxLength: 64 })
      .filter((s) => !s.startsWith("whsec_"))
      .map((secret) => ({ secret, raw: true }));
    fc.assert(
      fc.property(
        fc.oneof(whsec, raw),
        fc.uuid(),
        fc.string({ unit: "grapheme", maxLength: 300 }),
        ({ secret, raw: isRaw }, id, payload) => {
          const ts = Math.floor(Date.now() / 1000);
          const headers = standardHeaders({
            secrets: [secret],
            msgId: id,
            timestampSec: ts,
            body: payload,
            attempt: 1,
          });
          // The library's raw format takes bytes; give it the UTF-8 bytes our contract promises.
          const verifier = isRaw
            ? new StandardWebhook(new Uint8Array(Buffer.from(secret, "utf8")), { format: "raw" })
            : new StandardWebhook(secret);
          expect(() => verifier.verify(payload, headers, { jsonParse: false })).not.toThrow();
          // A changed body no longer verifies.
          expect(() => verifier.verify(`${payload} `, headers, { jsonParse: false })).toThrow();
        },
      ),
      { numRuns: 200 },
    );
  });
});
