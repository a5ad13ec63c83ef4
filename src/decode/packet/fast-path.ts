/**
 * The straight-line path for the commonest frames: Ethernet II with at most
 * one 802.1Q tag, carrying IPv4 without options or fragmentation, or IPv6
 * without extension headers, with TCP, or UDP on ports no tunnel uses (the
 * frames `quickShardHash` reads too). Most traffic is these, and decoding
 * them without the step machine's dispatch, cursor writes and view reset
 * saves most of the decoder's time. Any other frame, or one of these cut
 * short or with an odd field, is left to the general decoder, which then
 * decodes it whole; so the general decoder stays the definition and this
 * path only has to agree with it.
 */
import type { PacketView } from './packet-view.ts';
import { isTunnelPort } from './tunnels.ts';

const ETHERNET_HEADER_BYTES = 14;
const ETHERTYPE_IPV4 = 0x0800;
const ETHERTYPE_IPV6 = 0x86dd;
const ETHERTYPE_VLAN = 0x8100;
const VLAN_TAG_BYTES = 4;
const VLAN_ID_MASK = 0xfff;
/** Version 4, header length 5 words: IPv4 without options. */
const IPV4_NO_OPTIONS = 0x45;
const IPV4_HEADER_BYTES = 20;
/** IPv4 MF flag and fragment offset (RFC 791 §3.1): any bit set is a fragment. */
const IPV4_FRAGMENT_MASK = 0x3fff;
const IPV6_HEADER_BYTES = 40;
const PROTO_TCP = 6;
const PROTO_UDP = 17;
const TCP_MIN_HEADER_BYTES = 20;
const UDP_HEADER_BYTES = 8;
const TWO_POW_32 = 0x100000000;

/** The shortest frame taken here: Ethernet, IPv4 and UDP headers. */
export const MIN_COMMON_FRAME_BYTES = ETHERNET_HEADER_BYTES + IPV4_HEADER_BYTES + UDP_HEADER_BYTES;

/**
 * Decodes frame `b[start..end)` into `v` when it is one of the common frames,
 * reading 16- and 32-bit fields through `d`, a DataView of exactly `b`'s
 * bytes (one load each instead of two or four byte loads and shifts),
 * writing every field the general decoder would write for it (and zeroing
 * the TCP fields for UDP); returns false, having maybe written some fields,
 * for any other frame. The fields these frames never set (tunnel, fragment,
 * ICMP, MPLS fields, outer addresses) must already read as reset: the
 * caller's job, as is passing only frames of MIN_COMMON_FRAME_BYTES or more
 * that lie within `b` (`d` throws out of bounds).
 */
export function decodeCommonFrame(
  v: PacketView,
  b: Uint8Array,
  d: DataView,
  start: number,
  end: number,
): boolean {
  let o = start + ETHERNET_HEADER_BYTES;
  let type = d.getUint16(o - 2);
  let vlan = 0;
  if (type === ETHERTYPE_VLAN) {
    vlan = d.getUint16(o) & VLAN_ID_MASK;
    type = d.getUint16(o + 2);
    o += VLAN_TAG_BYTES;
  }
  const a = v.addr;
  let ipEnd: number;
  let proto: number;
  let t: number; // the transport header
  if (type === ETHERTYPE_IPV4) {
    if (o + IPV4_HEADER_BYTES > end || b[o] !== IPV4_NO_OPTIONS) return false;
    const total = d.getUint16(o + 2);
    // A zero total length (TSO) or one shorter than the header is the general decoder's case.
    if (total < IPV4_HEADER_BYTES || (d.getUint16(o + 6) & IPV4_FRAGMENT_MASK) !== 0) return false;
    proto = b[o + 9]!;
    a[0] = a[1] = a[2] = a[4] = a[5] = a[6] = 0;
    a[3] = d.getUint32(o + 12);
    a[7] = d.getUint32(o + 16);
    v.family = 4;
    v.ipBytes = total;
    v.tos = b[o + 1]!;
    ipEnd = o + total;
    t = o + IPV4_HEADER_BYTES;
  } else if (type === ETHERTYPE_IPV6) {
    if (o + IPV6_HEADER_BYTES > end || b[o]! >> 4 !== 6) return false;
    const plen = d.getUint16(o + 4);
    if (plen === 0) return false; // a jumbogram: the general decoder's case
    proto = b[o + 6]!;
    a[0] = d.getUint32(o + 8);
    a[1] = d.getUint32(o + 12);
    a[2] = d.getUint32(o + 16);
    a[3] = d.getUint32(o + 20);
    a[4] = d.getUint32(o + 24);
    a[5] = d.getUint32(o + 28);
    a[6] = d.getUint32(o + 32);
    a[7] = d.getUint32(o + 36);
    v.family = 6;
    v.ipBytes = plen + IPV6_HEADER_BYTES;
    v.tos = (d.getUint16(o) >> 4) & 0xff;
    ipEnd = o + plen + IPV6_HEADER_BYTES;
    t = o + IPV6_HEADER_BYTES;
  } else return false;
  // Bytes past the IP length (Ethernet padding, trailers) are not the packet's.
  const captured = ipEnd < end ? ipEnd : end;
  let payload: number;
  if (proto === PROTO_TCP) {
    if (t + TCP_MIN_HEADER_BYTES > captured) return false;
    const dataOffset = (b[t + 12]! >> 4) * 4;
    if (dataOffset < TCP_MIN_HEADER_BYTES) return false;
    v.srcPort = d.getUint16(t);
    v.dstPort = d.getUint16(t + 2);
    v.seq = d.getUint32(t + 4);
    v.ack = d.getUint32(t + 8);
    v.tcpFlags = b[t + 13]!;
    v.window = d.getUint16(t + 14);
    payload = t + dataOffset;
  } else if (proto === PROTO_UDP) {
    if (t + UDP_HEADER_BYTES > captured) return false;
    const sp = d.getUint16(t);
    const dp = d.getUint16(t + 2);
    if (isTunnelPort(sp) || isTunnelPort(dp)) return false;
    v.srcPort = sp;
    v.dstPort = dp;
    v.seq = v.ack = v.tcpFlags = v.window = 0;
    payload = t + UDP_HEADER_BYTES;
  } else return false;
  v.proto = proto;
  v.payloadOffset = payload;
  v.payloadLength = ipEnd > payload ? ipEnd - payload : 0;
  v.payloadCaptured = captured > payload ? captured - payload : 0;
  v.etherType = type;
  v.vlan = vlan;
  v.outerVlan = 0;
  v.hasMac = true;
  v.dstMac = d.getUint16(start) * TWO_POW_32 + d.getUint32(start + 2);
  v.srcMac = d.getUint16(start + 6) * TWO_POW_32 + d.getUint32(start + 8);
  return true;
}
