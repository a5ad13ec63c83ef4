/**
 * A hash of a packet's flow for splitting flows between threads, the same
 * for both directions: from the flow key's fields (`shardHash`, after
 * decoding), or read straight from the bytes for the commonest frames
 * (`quickShardHash`) so that a thread can skip decoding the packets of
 * other threads' flows. For any packet both give the same value. The flow
 * table's hash (`flowHash`) is built on it, and `quickFlowHash` reads that
 * one from the bytes too, for the meter to load a chunk's index entries
 * ahead of its packets.
 */
import { dataViewOf, fmix32, mix32 } from './bytes.ts';
import { isTunnelPort } from './tunnels.ts';

const ETHERNET_HEADER_BYTES = 14;
const ETHERTYPE_IPV4 = 0x0800;
const ETHERTYPE_IPV6 = 0x86dd;
const IPV6_HEADER_BYTES = 40;
const ETHERTYPE_VLAN = 0x8100;
const VLAN_TAG_BYTES = 4;
/** The VLAN identifier of an 802.1Q tag's TCI (as the decoder keeps it). */
const VLAN_ID_MASK = 0x0fff;
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
 * The flow table's hash of a flow (meter/flow-key.ts): its shard hash, with
 * the VLAN and the tunnel scope (VNI, TEID) mixed in when set, so that the
 * same addresses on two VLANs or tenants are apart.
 */
export function flowHash(shard: number, vlan: number, scope: number): number {
  return (vlan | scope) === 0 ? shard : fmix32(mix32(mix32(shard, vlan), scope));
}

/**
 * `flowHash` read from the bytes of each frame `b[starts[i]..ends[i])`
 * (i < count) into `out[i]`, for the frames `quickShardHash` reads; -1 for
 * the others. A chunk at a time, for the meter to load the table's index
 * entries of its frames at once (FlowMeter.prefetch).
 */
export function quickFlowHashes(
  b: Uint8Array,
  starts: Int32Array,
  ends: Int32Array,
  count: number,
  out: Float64Array,
): void {
  quickHashes(b, starts, ends, count, out, true);
}

const oneStart = new Int32Array(1);
const oneEnd = new Int32Array(1);
const oneHash = new Float64Array(1);

/**
 * `shardHash` of an Ethernet frame (`b[start..end)`) with at most one
 * 802.1Q tag carrying an unfragmented IPv4 packet, or an IPv6 packet without
 * extension headers, with TCP, or UDP on ports no tunnel uses: the packets
 * the decoder takes straight to that 5-tuple.
 * -1 for any other frame, to be decoded first.
 */
export function quickShardHash(b: Uint8Array, start: number, end: number): number {
  oneStart[0] = start;
  oneEnd[0] = end;
  quickHashes(b, oneStart, oneEnd, 1, oneHash, false);
  return oneHash[0]!;
}

/**
 * quickShardHash of each frame, or with `withVlan` its flowHash (no tunnel:
 * scope 0). The IPv4 case is written in the loop: a call a frame, and
 * 16/32-bit fields read through a DataView made for each, took twice as long.
 */
function quickHashes(
  b: Uint8Array,
  starts: Int32Array,
  ends: Int32Array,
  count: number,
  out: Float64Array,
  withVlan: boolean,
): void {
  // 16/32-bit fields in one load each (the frames come many to one buffer: one DataView for them).
  const d = dataViewOf(b);
  const length = b.length;
  for (let i = 0; i < count; i++) {
    const start = starts[i]!;
    const end = ends[i]!;
    let h = -1;
    let o = start + ETHERNET_HEADER_BYTES;
    if (o + VLAN_TAG_BYTES <= end && start >= 0 && end <= length) {
      let type = d.getUint16(o - 2);
      let vlan = 0;
      if (type === ETHERTYPE_VLAN) {
        vlan = d.getUint16(o) & VLAN_ID_MASK;
        o += VLAN_TAG_BYTES;
        type = d.getUint16(o - 2);
      }
      if (type === ETHERTYPE_IPV4 && o + IPV4_MIN_HEADER_BYTES <= end) {
        const first = b[o]!;
        const ihl = (first & 0x0f) * 4;
        const proto = b[o + 9]!;
        if (
          first >> 4 === 4 &&
          ihl >= IPV4_MIN_HEADER_BYTES &&
          o + ihl + 4 <= end &&
          (d.getUint16(o + 6) & IPV4_FRAGMENT_MASK) === 0 &&
          (proto === PROTO_TCP || proto === PROTO_UDP)
        ) {
          const ports = d.getUint32(o + ihl);
          const sp = ports >>> 16;
          const dp = ports & 0xffff;
          if (proto === PROTO_TCP || !(isTunnelPort(sp) || isTunnelPort(dp)))
            h = shardHash(proto, (d.getUint32(o + 12) ^ d.getUint32(o + 16)) >>> 0, sp ^ dp);
        }
      } else if (type === ETHERTYPE_IPV6 && o + IPV6_HEADER_BYTES + 4 <= end && b[o]! >> 4 === 6) {
        // TCP or UDP right after the fixed header (no extension headers).
        const proto = b[o + 6]!;
        const ports = d.getUint32(o + IPV6_HEADER_BYTES);
        const sp = ports >>> 16;
        const dp = ports & 0xffff;
        if (proto === PROTO_TCP || (proto === PROTO_UDP && !(isTunnelPort(sp) || isTunnelPort(dp)))) {
          let addrXor = 0;
          for (let a = 8; a < IPV6_HEADER_BYTES; a += 4) addrXor ^= d.getUint32(o + a);
          h = shardHash(proto, addrXor >>> 0, sp ^ dp);
        }
      }
      if (withVlan && h >= 0) h = flowHash(h, vlan, 0);
    }
    out[i] = h;
  }
}
