import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  MAX_CUSTOM_HEADERS,
  parseCustomHeaders,
  RESERVED_HEADERS,
} from "../../src/webhooks/custom-headers.js";

const parse = (value: unknown) => parseCustomHeaders(JSON.stringify(value));
const error = (value: unknown) => {
  const r = parse(value);
  if (r.ok) throw new Error(`expected an error for ${JSON.stringify(value)}`);
  return r.error;
};

const TOKEN_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-.^_`|~";
const tokenName = fc
  .string({ unit: fc.constantFrom(...TOKEN_CHARS), minLength: 1, maxLength: 30 })
  .filter((n) => !RESERVED_HEADERS.has(n.toLowerCase()) && n !== "__proto__");
const visibleValue = fc.string({
  unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
  maxLength: 100,
});

describe("parseCustomHeaders", () => {
  it("accepts an empty object and ordinary headers as given", () => {
    expect(parseCustomHeaders("{}")).toEqual({ ok: true, headers: {} });
    expect(parse({ "X-Api-Key": "abc", "X-Tenant": "t 1\twith tab" })).toEqual({
      ok: true,
      headers: { "X-Api-Key": "abc", "X-Tenant": "t 1\twith tab" },
    });
  });

  it("accepts any RFC 7230 token name with a visible-ASCII value", () => {
    fc.assert(
      fc.property(tokenName, visibleValue, (name, value) => {
        expect(parse({ [name]: value })).toEqual({ ok: true, headers: { [name]: value } });
      }),
    );
  });

  it.each(["X Api", "X-Api:", "Käse", "", "X(Api)", "X/Api", "X@Api", 'X"Api', "X,Api", "X;Api"])(
    "refuses the name %j",
    (name) => {
      expect(error({ [name]: "v" })).toMatch(/is not an RFC 7230 token/);
    },
  );

  it.each([
    ["a newline", "a\r\nInjected: yes"],
    ["a NUL", "a\u0000b"],
    ["DEL", "a\u007fb"],
    ["extended ASCII", "caf\u00e9"],
    ["an emoji", "\u{1f6aa}"],
  ])("refuses a value with %s", (_what, value) => {
    expect(error({ "X-Ok": value })).toMatch(/may hold only visible ASCII, space and tab/);
  });

  it("refuses a value longer than 8192 characters", () => {
    expect(parse({ "X-Big": "a".repeat(8192) }).ok).toBe(true);
    expect(error({ "X-Big": "a".repeat(8193) })).toMatch(/longer than 8192/);
  });

  it("refuses every system header, whatever its case", () => {
    for (const name of RESERVED_HEADERS) {
      for (const variant of [
        name,
        name.toUpperCase(),
        name.replace(/(^|-)([a-z])/g, (m) => m.toUpperCase()),
      ]) {
        expect(error({ [variant]: "x" })).toBe(`header "${variant}" is a system header and cannot be set`);
      }
    }
    for (const name of ["Webhook-Signature", "CONTENT-TYPE", "User-Agent", "Host", "Authorization"]) {
      expect(error({ [name]: "x" })).toMatch(/system header/);
    }
  });

  it("refuses the same name twice in different cases", () => {
    expect(parseCustomHeaders('{"X-Api-Key":"a","x-api-key":"b"}')).toEqual({
      ok: false,
      error: 'header "x-api-key" is given twice',
    });
  });

  it.each([[1], [true], [null], [["a"]], [{ nested: "object" }]])(
    "refuses a non-string value %j",
    (value) => {
      expect(error({ "X-Value": value })).toBe('header "X-Value" must have a string value');
    },
  );

  it.each(["[]", '["X-A"]', '"X-A: b"', "42", "null", "true"])(
    "refuses the JSON %s, which is not an object",
    (raw) => {
      expect(parseCustomHeaders(raw)).toEqual({
        ok: false,
        error: "must be a JSON object of header names to string values",
      });
    },
  );

  it("refuses text that is not JSON", () => {
    for (const raw of ["", "X-A: b", "{'X-A': 'b'}", "{"]) {
      const r = parseCustomHeaders(raw);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error).toMatch(/must be a JSON object encoded as a string/);
    }
  });

  it(`allows at most ${MAX_CUSTOM_HEADERS} headers`, () => {
    const many = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`X-H${i}`, "v"]));
    expect(parse(many(MAX_CUSTOM_HEADERS)).ok).toBe(true);
    expect(error(many(MAX_CUSTOM_HEADERS + 1))).toBe(`at most ${MAX_CUSTOM_HEADERS} headers`);
  });
});

describe("a header named __proto__", () => {
  it("is kept as a header, not swallowed as the object's prototype", () => {
    const parsed = parseCustomHeaders('{"__proto__": "x"}');
    expect(parsed.ok && Object.keys(parsed.headers)).toEqual(["__proto__"]);
  });
});
