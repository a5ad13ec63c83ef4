/**
 * IPv4 (RFC 791) and IPv6 (RFC 8200) headers, IPv6 extension headers and
 * fragments. Fills the addresses and length of the current IP layer.
 */
import { fmix32, mix32, u16, u32 } from './bytes.ts';
import { stop, type Cursor } from './cursor.ts';
import { decodeTransport } from './transport.ts';

const IPV4_MIN_HEADER_BYTES = 20;
const IPV6_HEADER_BYTES = 40;
const IPV4_MORE_FRAGMENTS = 0x2000;
const IPV4_OFFSET_MASK = 0x1fff;
/** IPv6 extension headers (IANA "IPv6 Extension Header Types"). */
const IPV6_HOP_BY_HOP = 0;
const IPV6_ROUTING = 43;
const IPV6_FRAGMENT = 44;
const IPV6_AH = 51; // RFC 4302: length in 4-byte units minus 2
const IPV6_DEST_OPTS = 60;
const IPV6_MOBILITY = 135;
const IPV6_HIP = 139;
const IPV6_SHIM6 = 140;
const MAX_IPV6_EXT_HEADERS = 8;

/** An IP header at `c.off`; the version nibble decides which. */
export function decodeIp(c: Cursor): number {
  if (c.off >= c.end) return stop(c, 'truncated');
  const version = c.b[c.off]! >> 4;
  if (version === 4) return decodeIpv4(c);
  if (version === 6) return decodeIpv6(c);
  return stop(c, 'malformed');
}

function decodeIpv4(c: Cursor): number {
  const b = c.b;
  const o = c.off;
  const v = c.v;
  if (o + IPV4_MIN_HEADER_BYTES > c.end) return stop(c, 'truncated');
  const ihl = (b[o]! & 0x0f) * 4;
  let total = u16(b, o + 2);
  if (ihl < IPV4_MIN_HEADER_BYTES) return stop(c, 'malformed');
  if (o + ihl > c.end) return stop(c, 'truncated');
  // A zero total length comes from TSO on the capturing host: the captured bytes are the packet.
  if (total === 0) total = c.end - o;
  if (total < ihl) return stop(c, 'malformed');
  const a = v.addr;
  a[0] = a[1] = a[2] = a[4] = a[5] = a[6] = 0;
  a[3] = u32(b, o + 12);
  a[7] = u32(b, o + 16);
  v.family = 4;
  v.ipBytes = total;
  v.tos = b[o + 1]!;
  const proto = b[o + 9]!;
  v.proto = proto;
  c.ipEnd = o + total;
  if (c.ipEnd < c.end) c.end = c.ipEnd; // Ethernet padding and trailers are not IP
  const frag = u16(b, o + 6);
  if ((frag & (IPV4_MORE_FRAGMENTS | IPV4_OFFSET_MASK)) !== 0) {
    v.fragHash = fragmentHash(a, u16(b, o + 4), proto);
    v.fragBytes = total - ihl;
    v.fragEnd = (frag & IPV4_OFFSET_MASK) * 8 + v.fragBytes;
    v.fragMore = (frag & IPV4_MORE_FRAGMENTS) !== 0;
    if ((frag & IPV4_OFFSET_MASK) !== 0) return stop(c, 'fragment');
    v.firstFragment = true;
    v.fragOuter = false;
  }
  c.off = o + ihl;
  return decodeTransport(c, proto);
}

function decodeIpv6(c: Cursor): number {
  const b = c.b;
  const o = c.off;
  const v = c.v;
  if (o + IPV6_HEADER_BYTES > c.end) return stop(c, 'truncated');
  const plen = u16(b, o + 4);
  const a = v.addr;
  for (let i = 0; i < 8; i++) a[i] = u32(b, o + 8 + 4 * i);
  v.family = 6;
  // Jumbograms (RFC 2675) carry a zero payload length; count the captured bytes.
  v.ipBytes = plen === 0 ? c.end - o : plen + IPV6_HEADER_BYTES;
  v.tos = ((u16(b, o) >> 4) & 0xff) >>> 0;
  c.ipEnd = o + v.ipBytes;
  if (c.ipEnd < c.end) c.end = c.ipEnd;
  let next = b[o + 6]!;
  let p = o + IPV6_HEADER_BYTES;
  for (let n = 0; n <= MAX_IPV6_EXT_HEADERS; n++) {
    if (!isExtensionHeader(next)) {
      v.proto = next;
      c.off = p;
      return decodeTransport(c, next);
    }
    if (p + 8 > c.end) return stop(c, 'truncated');
    if (next === IPV6_FRAGMENT) {
      const offsetFlags = u16(b, p + 2);
      v.fragHash = fragmentHash(a, u32(b, p + 4), b[p]!);
      v.fragBytes = Math.max(0, c.ipEnd - (p + 8));
      v.fragEnd = (offsetFlags & 0xfff8) + v.fragBytes;
      v.fragMore = (offsetFlags & 1) !== 0;
      if ((offsetFlags & 0xfff8) !== 0) {
        v.proto = b[p]!;
        return stop(c, 'fragment');
      }
      v.firstFragment = true;
      v.fragOuter = false;
      next = b[p]!;
      p += 8;
      continue;
    }
    const len = next === IPV6_AH ? (b[p + 1]! + 2) * 4 : (b[p + 1]! + 1) * 8;
    next = b[p]!;
    p += len;
  }
  return stop(c, 'malformed');
}

function isExtensionHeader(n: number): boolean {
  return (
    n === IPV6_HOP_BY_HOP ||
    n === IPV6_ROUTING ||
    n === IPV6_FRAGMENT ||
    n === IPV6_AH ||
    n === IPV6_DEST_OPTS ||
    n === IPV6_MOBILITY ||
    n === IPV6_HIP ||
    n === IPV6_SHIM6
  );
}

/** Identifies the fragments of one IP packet (RFC 791 §3.2: addresses, protocol, identification). */
function fragmentHash(a: Uint32Array, id: number, proto: number): number {
  let h = proto;
  for (let i = 0; i < 8; i++) h = mix32(h, a[i]!);
  return fmix32(mix32(h, id));
}
