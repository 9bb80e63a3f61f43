// SSRF guard: refuses delivery targets that resolve to loopback, private or otherwise internal addresses.
import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import { BlockList, isIP, type LookupFunction } from "node:net";

const ranges: Array<[string, number, "ipv4" | "ipv6", string]> = [
  ["0.0.0.0", 8, "ipv4", "unspecified"],
  ["10.0.0.0", 8, "ipv4", "private"],
  ["100.64.0.0", 10, "ipv4", "carrier-grade NAT"],
  ["127.0.0.0", 8, "ipv4", "loopback"],
  ["169.254.0.0", 16, "ipv4", "link-local or metadata"],
  ["172.16.0.0", 12, "ipv4", "private"],
  ["192.0.0.0", 24, "ipv4", "IETF protocol assignments"],
  ["192.168.0.0", 16, "ipv4", "private"],
  ["198.18.0.0", 15, "ipv4", "benchmarking"],
  ["224.0.0.0", 4, "ipv4", "multicast"],
  ["240.0.0.0", 4, "ipv4", "reserved"],
  ["::", 128, "ipv6", "unspecified"],
  ["::1", 128, "ipv6", "loopback"],
  ["fc00::", 7, "ipv6", "unique-local"],
  ["fe80::", 10, "ipv6", "link-local"],
  ["ff00::", 8, "ipv6", "multicast"],
  ["fd00:ec2::254", 128, "ipv6", "metadata"],
  // NAT64 (64:ff9b::/96) reaches any IPv4 address through a gateway; the deprecated IPv4-compatible
  // form (::a.b.c.d) and 6to4 can name internal hosts too. None is a webhook receiver's normal address.
  ["64:ff9b::", 96, "ipv6", "NAT64"],
  ["64:ff9b:1::", 48, "ipv6", "NAT64"],
  ["::", 96, "ipv6", "IPv4-compatible"],
  ["2002::", 16, "ipv6", "6to4"],
];

const lists = ranges.map(([net, prefix, family, label]) => {
  const list = new BlockList();
  list.addSubnet(net, prefix, family);
  return { list, family, label };
});

const ipv4Mapped = new BlockList();
ipv4Mapped.addSubnet("::ffff:0:0", 96, "ipv6");

/** Why an address may not be a delivery target, or null when it is a public address. */
export function forbiddenAddressReason(address: string): string | null {
  const family = isIP(address);
  if (family === 0) return "not an IP address";
  const type = family === 4 ? "ipv4" : "ipv6";
  // An IPv4 address carried in IPv6 (::ffff:a.b.c.d, or ::ffff:7f00:1 as URL parsers write it) is judged by the
  // IPv4 rules; BlockList matches a mapped address against IPv4 subnets.
  const rules = type === "ipv6" && ipv4Mapped.check(address, "ipv6") ? "ipv4" : type;
  for (const { list, family: f, label } of lists) {
    if (f === rules && list.check(address, type)) return label;
  }
  return null;
}

export class ForbiddenTargetError extends Error {
  readonly code = "GATEHOUSE_FORBIDDEN_TARGET";
  constructor(host: string, address: string, reason: string) {
    super(
      `refused: ${host} resolves to ${address} (${reason}); set GATEHOUSE_ALLOW_PRIVATE_TARGETS=1 to allow private targets`,
    );
  }
}

/** Checks a URL's host when it is an IP literal (the resolver is never asked for those). */
export function checkLiteralHost(hostname: string): void {
  const bare = hostname.replace(/^\[|\]$/g, "");
  if (isIP(bare) === 0) return;
  const reason = forbiddenAddressReason(bare);
  if (reason) throw new ForbiddenTargetError(hostname, bare, reason);
}

/**
 * A `lookup` for sockets that resolves as usual and then refuses internal addresses. Checking the
 * address the socket will really connect to closes the DNS-rebinding gap a pre-check would leave.
 */
export const guardedLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
    if (err) return callback(err, "", 0);
    for (const { address } of addresses) {
      const reason = forbiddenAddressReason(address);
      if (reason) return callback(new ForbiddenTargetError(hostname, address, reason), "", 0);
    }
    if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
    const first = addresses[0];
    if (!first) return callback(new Error(`${hostname} did not resolve`), "", 0);
    callback(null, first.address, first.family);
  });
};
