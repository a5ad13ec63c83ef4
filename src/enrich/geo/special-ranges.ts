/**
 * Special-purpose address ranges (IANA IPv4/IPv6 Special-Purpose Address
 * Registries, RFC 6890) get a label instead of a country: the GeoIP
 * databases have nothing useful to say about them.
 */
import { isIPv4 } from 'node:net';
import { parseIpv4Number } from '../../common/net.ts';

/** Label of an address range that is not on the public Internet. */
export type SpecialLabel =
  | 'private'
  | 'cgnat'
  | 'loopback'
  | 'link-local'
  | 'multicast'
  | 'documentation'
  | 'unspecified'
  | 'reserved'
  | 'broadcast'
  | 'unique-local';

/** [first octet(s) as a number, prefix length, label], IPv4 (RFC 6890 §2.2.2 and later RFCs). */
const V4: [string, number, SpecialLabel][] = [
  ['0.0.0.0', 8, 'unspecified'], // RFC 791 "this network"
  ['10.0.0.0', 8, 'private'], // RFC 1918
  ['100.64.0.0', 10, 'cgnat'], // RFC 6598
  ['127.0.0.0', 8, 'loopback'], // RFC 1122
  ['169.254.0.0', 16, 'link-local'], // RFC 3927
  ['172.16.0.0', 12, 'private'], // RFC 1918
  ['192.0.0.0', 24, 'reserved'], // RFC 6890 IETF protocol assignments
  ['192.0.2.0', 24, 'documentation'], // RFC 5737 TEST-NET-1
  ['192.168.0.0', 16, 'private'], // RFC 1918
  ['198.18.0.0', 15, 'reserved'], // RFC 2544 benchmarking
  ['198.51.100.0', 24, 'documentation'], // RFC 5737 TEST-NET-2
  ['203.0.113.0', 24, 'documentation'], // RFC 5737 TEST-NET-3
  ['224.0.0.0', 4, 'multicast'], // RFC 5771
  ['255.255.255.255', 32, 'broadcast'], // RFC 919
  ['240.0.0.0', 4, 'reserved'], // RFC 1112 class E
];

const V4_RANGES = V4.map(([a, len, label]) => {
  const start = parseIpv4Number(a);
  return { start, end: start + 2 ** (32 - len) - 1, label };
}).sort((x, y) => x.end - x.start - (y.end - y.start)); // most specific first

/** The label of the IPv4 address `n` (32-bit value) in a special range, or undefined for public ones. */
export function specialRangeV4(n: number): SpecialLabel | undefined {
  for (const r of V4_RANGES) if (n >= r.start && n <= r.end) return r.label;
  return undefined;
}

/** The label of an IPv4 or IPv6 address in a special range, or undefined for public ones. */
export function specialRange(addr: string): SpecialLabel | undefined {
  const n = parseIpv4Number(addr);
  if (n >= 0) return specialRangeV4(n);
  return specialV6(addr.toLowerCase());
}

/** IPv6 (RFC 6890 §2.2.3, RFC 4291): by leading bits of the first group, and a few whole addresses. */
function specialV6(a: string): SpecialLabel | undefined {
  if (a === '::1') return 'loopback';
  if (a === '::') return 'unspecified';
  if (a.startsWith('::ffff:')) {
    const v4 = a.slice(7);
    return isIPv4(v4) ? specialRange(v4) : undefined; // RFC 4291 §2.5.5.2 IPv4-mapped
  }
  const first = parseInt(a.split(':')[0] || '0', 16);
  if ((first & 0xfe00) === 0xfc00) return 'unique-local'; // fc00::/7, RFC 4193
  if ((first & 0xffc0) === 0xfe80) return 'link-local'; // fe80::/10
  if ((first & 0xff00) === 0xff00) return 'multicast'; // ff00::/8
  if (a.startsWith('2001:db8:') || a === '2001:db8::') return 'documentation'; // RFC 3849
  if (first === 0x0100 && a.startsWith('100::')) return 'reserved'; // discard-only, RFC 6666
  return undefined;
}
