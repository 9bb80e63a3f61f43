// What every scheme's verify shares: the receiver's inputs, the verdict, and the constant-time comparison.
import { createHmac, timingSafeEqual } from "node:crypto";

/** The request body exactly as it arrived: a string is taken as its UTF-8 bytes. */
export type WebhookBody = string | Uint8Array;

/** A fetch `Headers` (or anything with its `get`). */
export interface HeaderLookup {
  get(name: string): string | null;
}

/** Node's `req.headers` (any-case names, arrays for repeated headers), a plain object, or fetch `Headers`. */
export type WebhookHeaders = HeaderLookup | Readonly<Record<string, string | readonly string[] | undefined>>;

/** One secret, or several while a rotation overlaps: a signature made with any of them verifies. */
export type WebhookSecrets = string | readonly string[];

export interface VerifyOptions {
  /** How far the signed timestamp may be from now, either way, in seconds. Default 300. */
  toleranceSec?: number;
  /** The receiver's clock in epoch milliseconds. Default `Date.now`. */
  now?: () => number;
}

export const DEFAULT_TOLERANCE_SEC = 300;

export const VERIFY_FAILURES = [
  "no_secret",
  "missing_header",
  "malformed_header",
  "timestamp_too_old",
  "timestamp_in_future",
  "signature_mismatch",
] as const;
export type VerifyFailure = (typeof VERIFY_FAILURES)[number];

export type VerifyResult = { ok: true } | { ok: false; code: VerifyFailure; reason: string };

export const VERIFIED: VerifyResult = Object.freeze({ ok: true });

export function failure(code: VerifyFailure, reason: string): VerifyResult {
  return { ok: false, code, reason };
}

export function missingHeader(name: string): VerifyResult {
  return failure("missing_header", `the ${name} header is missing`);
}

/**
 * The hex signature a header carries, trimmed and lower-cased, or why it cannot be one: missing, or not of
 * `shape` (`described` says what it should be). Kisi, Genea and BAS-IP read theirs this way.
 */
export function hexSignature(
  headers: WebhookHeaders,
  name: string,
  shape: RegExp,
  described: string,
): { signature: string } | VerifyResult {
  const signature = headerValue(headers, name)?.trim().toLowerCase();
  if (signature === undefined) return missingHeader(name);
  if (!shape.test(signature)) return failure("malformed_header", `${name} is not ${described}`);
  return { signature };
}

/** Thrown by the throwing variants, so a receiver can verify in one line and answer 401 in its catch. */
export class WebhookVerificationError extends Error {
  override readonly name = "WebhookVerificationError";
  constructor(
    readonly code: VerifyFailure,
    reason: string,
  ) {
    super(reason);
  }
}

/** Returns when the result is a success; throws WebhookVerificationError with its reason otherwise. */
export function assertVerified(result: VerifyResult): void {
  if (!result.ok) throw new WebhookVerificationError(result.code, result.reason);
}

function isLookup(headers: WebhookHeaders): headers is HeaderLookup {
  return typeof (headers as HeaderLookup).get === "function";
}

/**
 * One header's value, its name matched case-insensitively. Repeated values are joined with ", " as fetch
 * joins them, so a request carrying a header twice cannot pick the copy that suits it.
 */
export function headerValue(headers: WebhookHeaders, name: string): string | undefined {
  const wanted = name.toLowerCase();
  if (isLookup(headers)) return headers.get(wanted) ?? undefined;
  const values: string[] = [];
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== wanted || value === undefined) continue;
    if (typeof value === "string") values.push(value);
    else values.push(...value);
  }
  return values.length === 0 ? undefined : values.join(", ");
}

/** The secrets to try, or a failure when there is none a signature could have been made with. */
export function secretList(secrets: WebhookSecrets): readonly string[] | VerifyResult {
  const list = typeof secrets === "string" ? [secrets] : secrets;
  if (list.length === 0) return failure("no_secret", "no secret was given to verify with");
  if (list.some((s) => s.length === 0)) return failure("no_secret", "a secret to verify with is empty");
  return list;
}

export function isFailure(value: readonly string[] | VerifyResult): value is VerifyResult {
  return !Array.isArray(value);
}

/** HMAC of `prefix` followed by the body's exact bytes. */
export function hmac(
  algorithm: "sha256" | "sha1",
  key: string | Uint8Array,
  body: WebhookBody,
  prefix = "",
): Buffer {
  const mac = createHmac(algorithm, key);
  if (prefix) mac.update(prefix, "utf8");
  return mac.update(typeof body === "string" ? Buffer.from(body, "utf8") : body).digest();
}

/** Constant-time equality of two ASCII strings (encoded signatures); unequal lengths answer at once. */
export function sameSignature(expected: string, received: string): boolean {
  const a = Buffer.from(expected, "utf8");
  const b = Buffer.from(received, "utf8");
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Whether any secret's signature equals any received one; every pair is compared, so timing says nothing. */
export function anyMatches(
  secrets: readonly string[],
  sign: (secret: string) => string,
  received: readonly string[],
): boolean {
  let matched = false;
  for (const secret of secrets) {
    const expected = sign(secret);
    for (const candidate of received) if (sameSignature(expected, candidate)) matched = true;
  }
  return matched;
}

/** The mismatch reason, saying how many secrets were tried so a rotation mistake is easy to spot. */
export function mismatch(header: string, secrets: readonly string[], what = "the body"): VerifyResult {
  const tried = secrets.length === 1 ? "the secret" : `any of the ${secrets.length} secrets`;
  return failure("signature_mismatch", `${header} does not match ${what} signed with ${tried}`);
}

const EPOCH_SECONDS = /^\d{1,12}$/;

/** Epoch seconds as a header carries them, or undefined when the text is not that. */
export function parseEpochSeconds(text: string): number | undefined {
  const trimmed = text.trim();
  return EPOCH_SECONDS.test(trimmed) ? Number(trimmed) : undefined;
}

/** A failure when the timestamp lies outside the tolerance around now, either way; undefined when it fits. */
export function checkTimestamp(
  header: string,
  timestampSec: number,
  options: VerifyOptions,
): VerifyResult | undefined {
  const tolerance = options.toleranceSec ?? DEFAULT_TOLERANCE_SEC;
  const nowSec = Math.floor((options.now ?? Date.now)() / 1000);
  const skew = nowSec - timestampSec;
  if (skew > tolerance) {
    return failure("timestamp_too_old", `${header} is ${skew} s old, beyond the tolerance of ${tolerance} s`);
  }
  if (-skew > tolerance) {
    return failure(
      "timestamp_in_future",
      `${header} is ${-skew} s in the future, beyond the tolerance of ${tolerance} s`,
    );
  }
  return undefined;
}
