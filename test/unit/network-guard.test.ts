import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  checkLiteralHost,
  ForbiddenTargetError,
  forbiddenAddressReason,
} from "../../src/lib/network-guard.js";

const ipv4 = (a: number, b: number, c: number, d: number) => `${a}.${b}.${c}.${d}`;
const octet = fc.integer({ min: 0, max: 255 });

describe("forbiddenAddressReason", () => {
  it.each([
    ["127.0.0.1", "loopback"],
    ["127.255.0.9", "loopback"],
    ["10.0.0.1", "private"],
    ["10.255.255.255", "private"],
    ["172.16.0.1", "private"],
    ["172.31.255.254", "private"],
    ["192.168.1.1", "private"],
    ["169.254.169.254", "link-local or metadata"],
    ["169.254.0.1", "link-local or metadata"],
    ["100.64.0.1", "carrier-grade NAT"],
    ["100.127.255.255", "carrier-grade NAT"],
    ["0.0.0.0", "unspecified"],
    ["::", "unspecified"],
    ["::1", "loopback"],
    ["fc00::1", "unique-local"],
    ["fdff:ffff::1", "unique-local"],
    ["fe80::1", "link-local"],
    ["febf:ffff::1", "link-local"],
    ["fd00:ec2::254", "unique-local"],
    ["::ffff:127.0.0.1", "loopback"],
    ["::FFFF:10.1.2.3", "private"],
    ["::ffff:169.254.169.254", "link-local or metadata"],
  ])("refuses %s (%s)", (address, reason) => {
    expect(forbiddenAddressReason(address)).toBe(reason);
  });

  it.each([
    ["::ffff:7f00:1", "loopback"],
    ["0:0:0:0:0:ffff:7f00:1", "loopback"],
    ["::ffff:a9fe:a9fe", "link-local or metadata"],
    ["::ffff:c0a8:101", "private"],
  ])(
    "judges an IPv4-mapped address written in hex (%s) as the IPv4 address it carries",
    (address, reason) => {
      expect(forbiddenAddressReason(address)).toBe(reason);
    },
  );

  it.each([
    "8.8.8.8",
    "1.1.1.1",
    "2606:4700::1111",
    "2001:4860:4860::8888",
    "172.15.255.255",
    "172.32.0.1",
    "100.63.255.255",
    "100.128.0.0",
    "11.0.0.1",
    "::ffff:8.8.8.8",
    "::ffff:808:808",
  ])("allows the public address %s", (address) => {
    expect(forbiddenAddressReason(address)).toBeNull();
  });

  it("refuses all of 10/8, 172.16/12 and 192.168/16, and nothing just outside 172.16/12", () => {
    fc.assert(
      fc.property(octet, octet, octet, (b, c, d) => {
        expect(forbiddenAddressReason(ipv4(10, b, c, d))).toBe("private");
        expect(forbiddenAddressReason(ipv4(172, 16 + (b % 16), c, d))).toBe("private");
        expect(forbiddenAddressReason(ipv4(192, 168, c, d))).toBe("private");
        expect(forbiddenAddressReason(ipv4(127, b, c, d))).toBe("loopback");
        expect(forbiddenAddressReason(`::ffff:${ipv4(127, b, c, d)}`)).toBe("loopback");
      }),
    );
  });

  it("answers the same for an IPv4 address and its IPv4-mapped IPv6 form", () => {
    fc.assert(
      fc.property(fc.ipV4(), (address) => {
        expect(forbiddenAddressReason(`::ffff:${address}`)).toBe(forbiddenAddressReason(address));
      }),
    );
  });

  it("does not take a host name for an address", () => {
    expect(forbiddenAddressReason("localhost")).toBe("not an IP address");
  });
});

describe("checkLiteralHost", () => {
  it("refuses a bracketed IPv6 loopback literal", () => {
    expect(() => checkLiteralHost("[::1]")).toThrow(ForbiddenTargetError);
    expect(() => checkLiteralHost("[::1]")).toThrow(/refused.*loopback/);
  });

  it("refuses IPv4 literals in private ranges, naming the reason and the way to allow them", () => {
    expect(() => checkLiteralHost("10.0.0.5")).toThrow(
      /refused: 10\.0\.0\.5 resolves to 10\.0\.0\.5 \(private\).*GATEHOUSE_ALLOW_PRIVATE_TARGETS=1/,
    );
  });

  it("refuses the host a URL parser makes of an IPv4-mapped loopback literal", () => {
    const host = new URL("http://[::ffff:127.0.0.1]:8080/").hostname;
    expect(() => checkLiteralHost(host)).toThrow(ForbiddenTargetError);
  });

  it("leaves host names to the resolver and lets public literals through", () => {
    expect(() => checkLiteralHost("localhost")).not.toThrow();
    expect(() => checkLiteralHost("example.com")).not.toThrow();
    expect(() => checkLiteralHost("8.8.8.8")).not.toThrow();
    expect(() => checkLiteralHost("[2606:4700::1111]")).not.toThrow();
  });
});

describe("IPv6 forms that carry IPv4", () => {
  it.each([
    ["64:ff9b::7f00:1", "NAT64"],
    ["64:ff9b::808:808", "NAT64"],
    ["::7f00:1", "IPv4-compatible"],
    ["2002:7f00:1::1", "6to4"],
  ])("%s is refused (%s)", (address, reason) => {
    expect(forbiddenAddressReason(address)).toBe(reason);
  });
});
