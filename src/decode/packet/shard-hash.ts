/**
 * A hash of a packet's flow for splitting flows between threads, the same
 * for both directions: from the flow key's fields (`shardHash`, after
 * decoding), or read straight from the bytes for the commonest frames
 * (`quickShardHash`) so that a thread can skip decoding the packets of
 * other threads' flows. For any packet both give the same value.
 */
import { dataViewOf, fmix32, mix32 } from './bytes.ts';
import { isTunnelPort } from './tunnels.ts';

const ETHERNET_HEADER_BYTES = 14;
const ETHERTYPE_IPV4 = 0x0800;
const ETHERTYPE_IPV6 = 0x86dd;
const IPV6_HEADER_BYTES = 40;
const ETHERTYPE_VLAN = 0x8100;
const VLAN_TAG_BYTES = 4;
const IPV4_MIN_HEADER_BYTES = 20;
/** IPv4 flags and fragment offset: MF and the offset (RFC 791 §3.1). */
const IPV4_FRAGMENT_MASK = 0x3fff;
const PROTO_TCP = 6;
const PROTO_UDP = 17;

/**
 * The shard hash of a flow: `addrXor` is the XOR of every address word of
 * both endpoints, `portXor` the XOR of both ports (0 for ICMP), so both
 * directions give the same value without ordering the endpoints.
 */
export function shardHash(proto: number, addrXor: number, portXor: number): number {
  return fmix32(mix32(mix32(proto, addrXor), portXor));
}

/**
 * `shardHash` of an Ethernet frame (`b[start..end)`) with at most one
 * 802.1Q tag carrying an unfragmented IPv4 packet, or an IPv6 packet without
 * extension headers, with TCP, or UDP on ports no tunnel uses: the packets
 * the decoder takes straight to that 5-tuple.
 * -1 for any other frame, to be decoded first.
 */
export function quickShardHash(b: Uint8Array, start: number, end: number): number {
  let o = start + ETHERNET_HEADER_BYTES;
  if (o + VLAN_TAG_BYTES > end || start < 0 || end > b.length) return -1;
  // 16/32-bit fields in one load each (the frames come many to one buffer: one DataView for them).
  const d = dataViewOf(b);
  let type = d.getUint16(o - 2);
  if (type === ETHERTYPE_VLAN) {
    o += VLAN_TAG_BYTES;
    type = d.getUint16(o - 2);
  }
  if (type === ETHERTYPE_IPV6) return quickIpv6(b, d, o, end);
  if (type !== ETHERTYPE_IPV4 || o + IPV4_MIN_HEADER_BYTES > end) return -1;
  const first = b[o]!;
  const ihl = (first & 0x0f) * 4;
  if (first >> 4 !== 4 || ihl < IPV4_MIN_HEADER_BYTES || o + ihl + 4 > end) return -1;
  if ((d.getUint16(o + 6) & IPV4_FRAGMENT_MASK) !== 0) return -1;
  const proto = b[o + 9]!;
  if (proto !== PROTO_TCP && proto !== PROTO_UDP) return -1;
  const ports = d.getUint32(o + ihl);
  const sp = ports >>> 16;
  const dp = ports & 0xffff;
  if (proto === PROTO_UDP && (isTunnelPort(sp) || isTunnelPort(dp))) return -1;
  return shardHash(proto, (d.getUint32(o + 12) ^ d.getUint32(o + 16)) >>> 0, sp ^ dp);
}

/** The IPv6 case: TCP or UDP right after the fixed header (no extension headers). */
function quickIpv6(b: Uint8Array, d: DataView, o: number, end: number): number {
  if (o + IPV6_HEADER_BYTES + 4 > end || b[o]! >> 4 !== 6) return -1;
  const proto = b[o + 6]!;
  if (proto !== PROTO_TCP && proto !== PROTO_UDP) return -1;
  const ports = d.getUint32(o + IPV6_HEADER_BYTES);
  const sp = ports >>> 16;
  const dp = ports & 0xffff;
  if (proto === PROTO_UDP && (isTunnelPort(sp) || isTunnelPort(dp))) return -1;
  let addrXor = 0;
  for (let i = 8; i < IPV6_HEADER_BYTES; i += 4) addrXor ^= d.getUint32(o + i);
  return shardHash(proto, addrXor >>> 0, sp ^ dp);
}
