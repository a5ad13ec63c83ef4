/**
 * Reads the first bytes of a packet (Ethernet, 802.1Q/QinQ, MPLS, IPv4, IPv6,
 * TCP/UDP/SCTP/ICMP) into FlowRecord fields. Kept apart from the sFlow
 * structures so the packet meter can reuse it. Every read is bounds-checked
 * against `end`: a header cut short fills what it holds and stops, nothing
 * throws. Offsets are absolute within `b`/`v`, so no sub-arrays are made.
 */
import { formatIpv4, formatMac, formatIpv6 } from '../../common/net.ts';
import type { FlowRecord } from '../../schema/flow-record.ts';

/** IEEE 802 EtherTypes (IANA "IEEE 802 Numbers"). */
const ETHERTYPE_IPV4 = 0x0800;
const ETHERTYPE_IPV6 = 0x86dd;
const ETHERTYPE_VLAN = 0x8100; // IEEE 802.1Q C-tag
const ETHERTYPE_QINQ = 0x88a8; // IEEE 802.1ad S-tag
const ETHERTYPE_QINQ_LEGACY = 0x9100; // pre-802.1ad vendor S-tag
const ETHERTYPE_MPLS = 0x8847;
const ETHERTYPE_MPLS_MULTICAST = 0x8848;
/** Below this the field is an IEEE 802.3 length, not a type. */
const ETHERTYPE_MIN = 0x0600;
/** More tags than this is not a real frame; stop rather than walk on. */
const MAX_VLAN_TAGS = 4;
const MAX_MPLS_LABELS = 8;

/** IANA protocol numbers. */
const PROTO_ICMP = 1;
const PROTO_TCP = 6;
const PROTO_UDP = 17;
const PROTO_ICMPV6 = 58;
const PROTO_SCTP = 132;
const PROTO_UDPLITE = 136;
/** IPv6 extension headers (RFC 8200 §4, IANA "IPv6 Extension Header Types"). */
const IPV6_HOP_BY_HOP = 0;
const IPV6_ROUTING = 43;
const IPV6_FRAGMENT = 44;
const IPV6_AH = 51; // RFC 4302: length in 4-byte units minus 2
const IPV6_DEST_OPTS = 60;
const IPV6_MOBILITY = 135;
const IPV6_HIP = 139;
const IPV6_SHIM6 = 140;
const MAX_IPV6_EXT_HEADERS = 8;

const VLAN_ID_MASK = 0xfff;
const MAC_BYTES = 6;
const ETHERNET_HEADER_BYTES = 14;
const IPV4_MIN_HEADER_BYTES = 20;
const IPV6_HEADER_BYTES = 40;

/** Decodes an Ethernet frame starting at `off`; `end` is one past its last byte present. */
export function decodeEthernet(b: Uint8Array, v: DataView, off: number, end: number, rec: FlowRecord): void {
  if (end - off >= MAC_BYTES) rec.dstMac = formatMac(b, off);
  if (end - off >= 2 * MAC_BYTES) rec.srcMac = formatMac(b, off + MAC_BYTES);
  if (end - off < ETHERNET_HEADER_BYTES) return;
  let p = off + 2 * MAC_BYTES;
  let type = v.getUint16(p);
  p += 2;
  let tags = 0;
  let outer = -1;
  let inner = -1;
  while (isVlanTag(type) && tags < MAX_VLAN_TAGS && p + 4 <= end) {
    const vid = v.getUint16(p) & VLAN_ID_MASK;
    if (tags === 0) outer = vid;
    inner = vid;
    type = v.getUint16(p + 2);
    p += 4;
    tags++;
  }
  // With QinQ the inner (customer) tag names the network the addresses belong
  // to, as a single tag does; the outer service tag is the carrier's.
  if (tags > 0) rec.vlan = inner;
  if (tags > 1) rec.outerVlan = outer;
  if (isVlanTag(type)) return; // tags cut short or too many: the payload type is unknown
  if (type < ETHERTYPE_MIN) return; // IEEE 802.3 length + LLC: no EtherType
  rec.etherType = type;
  if (type === ETHERTYPE_MPLS || type === ETHERTYPE_MPLS_MULTICAST) decodeMpls(b, v, p, end, rec);
  else if (type === ETHERTYPE_IPV4) decodeIpv4(b, v, p, end, rec);
  else if (type === ETHERTYPE_IPV6) decodeIpv6(b, v, p, end, rec);
}

function isVlanTag(type: number): boolean {
  return type === ETHERTYPE_VLAN || type === ETHERTYPE_QINQ || type === ETHERTYPE_QINQ_LEGACY;
}

/**
 * An MPLS label stack (RFC 3032), then the payload guessed from its first
 * nibble as routers do: MPLS carries no payload type.
 */
function decodeMpls(b: Uint8Array, v: DataView, off: number, end: number, rec: FlowRecord): void {
  const labels: number[] = [];
  let p = off;
  let bottom = false;
  while (!bottom && labels.length < MAX_MPLS_LABELS && p + 4 <= end) {
    const entry = v.getUint32(p);
    labels.push(entry >>> 12);
    bottom = (entry & 0x100) !== 0;
    p += 4;
  }
  if (labels.length > 0) rec.mplsLabels = labels;
  if (!bottom || p >= end) return;
  const version = (b[p] ?? 0) >> 4;
  if (version === 4) decodeIpv4(b, v, p, end, rec);
  else if (version === 6) decodeIpv6(b, v, p, end, rec);
}

/** Decodes an IPv4 packet at `off` (RFC 791); fields past `end` stay unset. */
export function decodeIpv4(b: Uint8Array, v: DataView, off: number, end: number, rec: FlowRecord): void {
  const len = end - off;
  if (len < 1 || (b[off] ?? 0) >> 4 !== 4) return;
  if (len >= 2) rec.tos = b[off + 1] ?? 0;
  if (len >= 10) rec.proto = b[off + 9] ?? 0;
  if (len >= 16) rec.srcAddr = formatIpv4(b, off + 12);
  if (len < IPV4_MIN_HEADER_BYTES) return;
  rec.dstAddr = formatIpv4(b, off + 16);
  const ihl = ((b[off] ?? 0) & 0x0f) * 4;
  const fragmentOffset = v.getUint16(off + 6) & 0x1fff;
  // Only the first fragment carries the transport header.
  if (ihl < IPV4_MIN_HEADER_BYTES || fragmentOffset !== 0) return;
  decodeTransport(b, v, rec.proto ?? 0, off + ihl, end, rec);
}

/** Decodes an IPv6 packet at `off` (RFC 8200), skipping extension headers. */
export function decodeIpv6(b: Uint8Array, v: DataView, off: number, end: number, rec: FlowRecord): void {
  const len = end - off;
  if (len < 1 || (b[off] ?? 0) >> 4 !== 6) return;
  if (len >= 2) rec.tos = (((b[off] ?? 0) & 0x0f) << 4) | ((b[off + 1] ?? 0) >> 4);
  if (len < 7) return;
  let next = b[off + 6] ?? 0;
  if (len >= 24) rec.srcAddr = formatIpv6(b, off + 8);
  if (len < IPV6_HEADER_BYTES) {
    if (!isIpv6ExtensionHeader(next)) rec.proto = next;
    return;
  }
  rec.dstAddr = formatIpv6(b, off + 24);
  let p = off + IPV6_HEADER_BYTES;
  // `proto` is the upper-layer protocol: left unset when the chain is cut short.
  for (let i = 0; i < MAX_IPV6_EXT_HEADERS && isIpv6ExtensionHeader(next); i++) {
    if (p + 8 > end) return;
    const header = next;
    next = b[p] ?? 0;
    if (header === IPV6_FRAGMENT) {
      if ((v.getUint16(p + 2) & 0xfff8) !== 0) {
        rec.proto = next; // not the first fragment: no transport header follows
        return;
      }
      p += 8;
    } else {
      p += header === IPV6_AH ? ((b[p + 1] ?? 0) + 2) * 4 : ((b[p + 1] ?? 0) + 1) * 8;
    }
  }
  if (isIpv6ExtensionHeader(next)) return;
  rec.proto = next;
  decodeTransport(b, v, next, p, end, rec);
}

function isIpv6ExtensionHeader(next: number): boolean {
  return (
    next === IPV6_HOP_BY_HOP ||
    next === IPV6_ROUTING ||
    next === IPV6_FRAGMENT ||
    next === IPV6_AH ||
    next === IPV6_DEST_OPTS ||
    next === IPV6_MOBILITY ||
    next === IPV6_HIP ||
    next === IPV6_SHIM6
  );
}

/** Ports, TCP flags or ICMP type/code of the transport header at `off`. */
function decodeTransport(
  b: Uint8Array,
  v: DataView,
  proto: number,
  off: number,
  end: number,
  rec: FlowRecord,
): void {
  const len = end - off;
  if (proto === PROTO_TCP || proto === PROTO_UDP || proto === PROTO_SCTP || proto === PROTO_UDPLITE) {
    if (len < 4) return;
    rec.srcPort = v.getUint16(off);
    rec.dstPort = v.getUint16(off + 2);
    if (proto === PROTO_TCP && len >= 14) rec.tcpFlags = b[off + 13] ?? 0;
  } else if (proto === PROTO_ICMP || proto === PROTO_ICMPV6) {
    if (len >= 1) rec.icmpType = b[off] ?? 0;
    if (len >= 2) rec.icmpCode = b[off + 1] ?? 0;
  }
}
