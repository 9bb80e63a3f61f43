// Each vendor's signature checked straight from its seed's formula with node:crypto, sharing nothing with
// src/delivery/signing: what a receiver written from the vendor's documentation would do.
import { createHmac } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import { verifyStandard } from "./receiver.js";

const header = (headers: IncomingHttpHeaders, name: string) => {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
};

/** True when the request carries the signature the scheme's seed describes, keyed with `secret`. */
export function verifiesPerSeed(
  scheme: string,
  secret: string,
  headers: IncomingHttpHeaders,
  body: string,
): boolean {
  switch (scheme) {
    case "standard":
      return verifyStandard(secret, headers, body);
    case "kisi": // seed 001: X-Signature, HMAC-SHA256 digest of the JSON body
      return header(headers, "x-signature") === createHmac("sha256", secret).update(body).digest("hex");
    case "genea": // seed 002: 'sha1=' + OpenSSL::HMAC.hexdigest(sha1, SECRET_TOKEN, payload_body)
      return (
        header(headers, "x-sequr-signature") ===
        `sha1=${createHmac("sha1", secret).update(body).digest("hex")}`
      );
    case "alocity": {
      // seed 003: t:<epoch seconds>,sig:<base64 HMAC-SHA256 of "<t>.<payload>">
      const match = /^t:(\d+),sig:(.+)$/.exec(header(headers, "alocity-signature") ?? "");
      if (!match) return false;
      const expected = createHmac("sha256", secret).update(`${match[1]}.${body}`).digest("base64");
      return match[2] === expected && Math.abs(Date.now() / 1000 - Number(match[1])) < 300;
    }
    case "basip": // seed 004: HMAC-SHA256 of the payload with the secret
      return (
        header(headers, "x-webhook-signature") === createHmac("sha256", secret).update(body).digest("hex") &&
        /^\d+$/.test(header(headers, "x-webhook-timestamp") ?? "") &&
        /^[1-9]\d*$/.test(header(headers, "x-webhook-attempt") ?? "")
      );
    case "none":
      return ![
        "webhook-signature",
        "x-signature",
        "x-sequr-signature",
        "alocity-signature",
        "x-webhook-signature",
      ].some((name) => name in headers);
    default:
      throw new Error(`unknown scheme ${scheme}`);
  }
}
