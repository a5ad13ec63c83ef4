/**
 * The straight-line path for the commonest frames: Ethernet II with at most
 * one 802.1Q tag and maybe an MPLS label stack, carrying IPv4 without
 * options or fragmentation, or IPv6 without extension headers, with TCP, or
 * UDP on ports no tunnel uses (the
 * frames `quickShardHash` reads too); and such a packet inside VXLAN,
 * Geneve, GTP-U, GRE or IP itself, ERSPAN included (mirrored cloud
 * traffic, overlays, mobile networks' user plane, the mirror sessions of
 * switches, GRE and IP tunnels between sites). Most traffic is these,
 * and decoding them without the step machine's dispatch, cursor writes and
 * view reset saves most of the decoder's time. Any other frame, or one of
 * these cut short or with an odd field, is left to the general decoder,
 * which then decodes it whole; so the general decoder stays the definition
 * and this path only has to agree with it (test/meter/fast-path.test.ts).
 */
import {
  TUNNEL_6IN4,
  TUNNEL_ERSPAN,
  TUNNEL_GENEVE,
  TUNNEL_GRE,
  TUNNEL_GTP_U,
  TUNNEL_IPIP,
  TUNNEL_VXLAN,
  MAX_KEPT_MPLS_LABELS,
  type PacketView,
} from './packet-view.ts';
import { copyWords } from './cursor.ts';
import { ETHERTYPE_MPLS, ETHERTYPE_MPLS_MULTICAST, MAX_MPLS_LABELS } from './layer2.ts';
import {
  ERSPAN_2_HEADER_BYTES,
  ERSPAN_3_HEADER_BYTES,
  ERSPAN_3_PLATFORM_BYTES,
  ERSPAN_SESSION_MASK,
  GENEVE_HEADER_BYTES,
  GRE_CHECKSUM,
  GRE_ERSPAN_2,
  GRE_ERSPAN_3,
  GRE_HEADER_BYTES,
  GRE_KEY,
  GRE_SEQUENCE,
  GRE_TRANSPARENT_ETHERNET,
  GRE_VERSION_MASK,
  GTP_FLAG_E,
  GTP_FLAG_PT,
  GTP_FLAGS_OPTIONAL,
  GTP_G_PDU,
  GTP_MAX_EXTENSIONS,
  GTP_OPTIONAL_BYTES,
  GTP_U_HEADER_BYTES,
  PORT_GENEVE,
  PORT_GTP_U,
  PORT_GTP_V0,
  VXLAN_FLAG_I,
  VXLAN_HEADER_BYTES,
  isTunnelPort,
  isVxlanPort,
} from './tunnels.ts';

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
/** IP in IP (RFC 2003, RFC 2473) and IPv6 in IP (RFC 4213). */
const PROTO_IPV4_IN_IP = 4;
const PROTO_TCP = 6;
const PROTO_UDP = 17;
const PROTO_IPV6_IN_IP = 41;
const PROTO_GRE = 47;
const TCP_MIN_HEADER_BYTES = 20;
const UDP_HEADER_BYTES = 8;
const TWO_POW_32 = 0x100000000;
/** An MPLS label stack entry (RFC 3032 §2.1): the label in its top 20 bits, then the bottom-of-stack bit. */
const MPLS_ENTRY_BYTES = 4;
const MPLS_LABEL_SHIFT = 12;
const MPLS_BOTTOM_OF_STACK = 0x100;

/** The shortest frame taken here: Ethernet, IPv4 and UDP headers. */
export const MIN_COMMON_FRAME_BYTES = ETHERNET_HEADER_BYTES + IPV4_HEADER_BYTES + UDP_HEADER_BYTES;

/** What decodeCommonFrame made of a frame. */
export const FAST_NONE = 0; // not one of its frames: the general decoder's
export const FAST_PLAIN = 1;
/**
 * A common packet in VXLAN, Geneve, GTP-U, GRE (ERSPAN too) or IP: the
 * view's tunnel fields and outer addresses are written too.
 */
export const FAST_TUNNEL = 2;
/**
 * A common packet under an MPLS label stack (and maybe in a tunnel too): the
 * view's MPLS fields are written too.
 */
export const FAST_MPLS = 3;

/**
 * Decodes frame `b[start..end)` into `v` when it is one of the common frames,
 * reading 16- and 32-bit fields through `d`, a DataView of exactly `b`'s
 * bytes (one load each instead of two or four byte loads and shifts),
 * writing every field the general decoder would write for it (and zeroing
 * the TCP fields for UDP); returns FAST_NONE, having maybe written some
 * fields, for any other frame. With `tunnels`, a common packet inside
 * VXLAN, Geneve, GTP-U, GRE (carrying IP, Ethernet or ERSPAN) or IP is one
 * too (FAST_TUNNEL), decoded as the general decoder does: its layer 2 is the
 * inner Ethernet frame's when there is one, the outer frame's otherwise; so
 * is one under an MPLS label stack (FAST_MPLS). The fields these frames
 * never set (fragment and ICMP fields; MPLS fields but for FAST_MPLS; tunnel
 * fields and outer addresses for FAST_PLAIN) must already read as reset:
 * the caller's job, as is passing only frames of MIN_COMMON_FRAME_BYTES or
 * more that lie within `b` (`d` throws out of bounds).
 */
export function decodeCommonFrame(
  v: PacketView,
  b: Uint8Array,
  d: DataView,
  start: number,
  end: number,
  tunnels = true,
): number {
  let o = start + ETHERNET_HEADER_BYTES;
  let type = d.getUint16(o - 2);
  let vlan = 0;
  if (type === ETHERTYPE_VLAN) {
    vlan = d.getUint16(o) & VLAN_ID_MASK;
    type = d.getUint16(o + 2);
    o += VLAN_TAG_BYTES;
  }
  // Layer 2 first: the inner frame of a VXLAN packet, decoded after, writes its own over it.
  v.etherType = type;
  v.vlan = vlan;
  v.outerVlan = 0;
  v.hasMac = true;
  v.dstMac = d.getUint16(start) * TWO_POW_32 + d.getUint32(start + 2);
  v.srcMac = d.getUint16(start + 6) * TWO_POW_32 + d.getUint32(start + 8);
  return decodeCommonPacket(v, b, d, o, type, end, tunnels);
}

/**
 * An MPLS label stack at `o` (RFC 3032: entries up to the bottom-of-stack
 * bit, the first MAX_KEPT_MPLS_LABELS labels kept) and the IP packet under
 * it, up to `end`, as the general decoder reads them (layer2.ts,
 * decodeMpls): the EtherType becomes the packet's. A stack too deep or cut
 * short, and an Ethernet pseudowire under it, are the general decoder's.
 */
function decodeMplsStack(v: PacketView, b: Uint8Array, d: DataView, o: number, end: number): number {
  let n = 0;
  for (;;) {
    if (n >= MAX_MPLS_LABELS || o + MPLS_ENTRY_BYTES > end) return FAST_NONE;
    const entry = d.getUint32(o);
    if (n < MAX_KEPT_MPLS_LABELS) v.mplsLabels[n] = entry >>> MPLS_LABEL_SHIFT;
    n++;
    o += MPLS_ENTRY_BYTES;
    if ((entry & MPLS_BOTTOM_OF_STACK) !== 0) break;
  }
  v.mplsCount = n < MAX_KEPT_MPLS_LABELS ? n : MAX_KEPT_MPLS_LABELS;
  const type = ipTypeAt(b, o, end);
  if (type === 0) return FAST_NONE;
  v.etherType = type;
  return decodeCommonPacket(v, b, d, o, type, end, true) === FAST_NONE ? FAST_NONE : FAST_MPLS;
}

/** The IP packet of EtherType `type` at `o` (captured up to `end`) and its transport header. */
function decodeCommonPacket(
  v: PacketView,
  b: Uint8Array,
  d: DataView,
  o: number,
  type: number,
  end: number,
  tunnels: boolean,
): number {
  const a = v.addr;
  let ipEnd: number;
  let proto: number;
  let t: number; // the transport header
  if (type === ETHERTYPE_IPV4) {
    if (o + IPV4_HEADER_BYTES > end || b[o] !== IPV4_NO_OPTIONS) return FAST_NONE;
    const total = d.getUint16(o + 2);
    // A zero total length (TSO) or one shorter than the header is the general decoder's case.
    if (total < IPV4_HEADER_BYTES || (d.getUint16(o + 6) & IPV4_FRAGMENT_MASK) !== 0) return FAST_NONE;
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
    if (o + IPV6_HEADER_BYTES > end || b[o]! >> 4 !== 6) return FAST_NONE;
    const plen = d.getUint16(o + 4);
    if (plen === 0) return FAST_NONE; // a jumbogram: the general decoder's case
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
  } else if ((type === ETHERTYPE_MPLS || type === ETHERTYPE_MPLS_MULTICAST) && tunnels)
    // Here rather than in decodeCommonFrame: IP's types are tested first, so unlabelled packets pay nothing.
    return decodeMplsStack(v, b, d, o, end);
  else return FAST_NONE;
  // Bytes past the IP length (Ethernet padding, trailers) are not the packet's.
  const captured = ipEnd < end ? ipEnd : end;
  let payload: number;
  if (proto === PROTO_TCP) {
    if (t + TCP_MIN_HEADER_BYTES > captured) return FAST_NONE;
    const dataOffset = (b[t + 12]! >> 4) * 4;
    if (dataOffset < TCP_MIN_HEADER_BYTES) return FAST_NONE;
    v.srcPort = d.getUint16(t);
    v.dstPort = d.getUint16(t + 2);
    v.seq = d.getUint32(t + 4);
    v.ack = d.getUint32(t + 8);
    v.tcpFlags = b[t + 13]!;
    v.window = d.getUint16(t + 14);
    payload = t + dataOffset;
  } else if (proto === PROTO_UDP) {
    if (t + UDP_HEADER_BYTES > captured) return FAST_NONE;
    const sp = d.getUint16(t);
    const dp = d.getUint16(t + 2);
    if (isTunnelPort(sp) || isTunnelPort(dp))
      return tunnels ? decodeUdpTunnel(v, b, d, sp, dp, t + UDP_HEADER_BYTES, captured) : FAST_NONE;
    v.srcPort = sp;
    v.dstPort = dp;
    v.seq = v.ack = v.tcpFlags = v.window = 0;
    payload = t + UDP_HEADER_BYTES;
  } else if (proto === PROTO_GRE && tunnels) return decodeGre(v, b, d, t, captured);
  else if ((proto === PROTO_IPV4_IN_IP || proto === PROTO_IPV6_IN_IP) && tunnels)
    return decodeIpInIp(v, b, d, proto, t, captured);
  else return FAST_NONE;
  v.proto = proto;
  v.payloadOffset = payload;
  v.payloadLength = ipEnd > payload ? ipEnd - payload : 0;
  v.payloadCaptured = captured > payload ? captured - payload : 0;
  return FAST_PLAIN;
}

/**
 * The UDP payload at `o` of a packet from port `sp` to `dp`, one of them a
 * tunnel's: VXLAN, GTP-U or Geneve, tried in the general decoder's order
 * (tunnels.ts, decodeUdpTunnel: VXLAN's ports, then GTP's, then Geneve's).
 * Apart from decodeCommonPacket, whose code for the commonest packets it
 * would otherwise grow (V8 then optimises that later, and longer).
 */
function decodeUdpTunnel(
  v: PacketView,
  b: Uint8Array,
  d: DataView,
  sp: number,
  dp: number,
  o: number,
  end: number,
): number {
  if (isVxlanPort(sp, dp)) return decodeVxlan(v, b, d, o, end);
  if (sp === PORT_GTP_U || dp === PORT_GTP_U) return decodeGtpU(v, b, d, o, end);
  if (isGenevePort(sp, dp)) return decodeGeneve(v, b, d, o, end);
  return FAST_NONE;
}

/**
 * Geneve's port, where no GTPv0 port comes first (tunnels.ts,
 * decodeUdpTunnel; VXLAN's and GTP-U's ports are tried before this).
 */
function isGenevePort(sp: number, dp: number): boolean {
  return (sp === PORT_GENEVE || dp === PORT_GENEVE) && sp !== PORT_GTP_V0 && dp !== PORT_GTP_V0;
}

/**
 * The outer packet just decoded (its addresses in `v.addr[0..7]`) becomes the
 * tunnel's: its addresses move to the outer ones, as enterTunnel does.
 */
function enterOuter(v: PacketView): void {
  copyWords(v.addr, 0, 8);
  v.outerFamily = v.family;
}

/** A VXLAN header at `o` (RFC 7348) and the common Ethernet frame it carries, up to `end`. */
function decodeVxlan(v: PacketView, b: Uint8Array, d: DataView, o: number, end: number): number {
  // The I flag marks a valid VNI; without it the general decoder keeps a plain UDP flow.
  if (o + VXLAN_HEADER_BYTES > end || (b[o]! & VXLAN_FLAG_I) === 0) return FAST_NONE;
  const inner = o + VXLAN_HEADER_BYTES;
  if (end - inner < MIN_COMMON_FRAME_BYTES) return FAST_NONE;
  enterOuter(v);
  if (decodeCommonFrame(v, b, d, inner, end, false) !== FAST_PLAIN) return FAST_NONE;
  v.tunnelType = TUNNEL_VXLAN;
  v.tunnelId = d.getUint32(o + 4) >>> 8;
  return FAST_TUNNEL;
}

/**
 * A Geneve header at `o` (RFC 8926: version 0, options counted in 4-byte
 * words) and the common Ethernet frame or IP packet it carries, up to `end`.
 */
function decodeGeneve(v: PacketView, b: Uint8Array, d: DataView, o: number, end: number): number {
  if (o + GENEVE_HEADER_BYTES > end || b[o]! >> 6 !== 0) return FAST_NONE;
  const inner = o + GENEVE_HEADER_BYTES + (b[o]! & 0x3f) * 4;
  if (decodeInner(v, b, d, d.getUint16(o + 2), inner, end) !== FAST_PLAIN) return FAST_NONE;
  v.tunnelType = TUNNEL_GENEVE;
  v.tunnelId = d.getUint32(o + 4) >>> 8;
  return FAST_TUNNEL;
}

/**
 * A GTP-U header at `o` (3GPP TS 29.281 §5: version 1, a G-PDU, with the
 * optional fields and extension headers, such as 5G's PDU session container
 * on nearly every N3 packet) and the IP packet it carries, up to `end`. The
 * TEID is the tunnel's. Signalling messages, a chain of extension headers
 * cut short or too long, and what is not IP are the general decoder's.
 */
function decodeGtpU(v: PacketView, b: Uint8Array, d: DataView, o: number, end: number): number {
  if (o + GTP_U_HEADER_BYTES > end) return FAST_NONE;
  const flags = b[o]!;
  if (flags >> 5 !== 1 || (flags & GTP_FLAG_PT) === 0 || b[o + 1] !== GTP_G_PDU) return FAST_NONE;
  let p = o + GTP_U_HEADER_BYTES;
  if ((flags & GTP_FLAGS_OPTIONAL) !== 0) {
    if (p + GTP_OPTIONAL_BYTES > end) return FAST_NONE;
    let next = (flags & GTP_FLAG_E) !== 0 ? b[p + 3]! : 0;
    p += GTP_OPTIONAL_BYTES;
    // Extension headers (§5.2): length in 4-byte units, the next one's type in the last byte.
    for (let n = 0; next !== 0; n++) {
      if (p >= end || n > GTP_MAX_EXTENSIONS) return FAST_NONE;
      const len = b[p]! * 4;
      if (len === 0 || p + len > end) return FAST_NONE;
      next = b[p + len - 1]!;
      p += len;
    }
  }
  if (decodeInner(v, b, d, ETHERTYPE_IPV4, p, end) !== FAST_PLAIN) return FAST_NONE;
  v.tunnelType = TUNNEL_GTP_U;
  v.tunnelId = d.getUint32(o + 4);
  return FAST_TUNNEL;
}

/**
 * The IP packet of an outer one of protocol `proto`, 4 or 41, at `o`, up to
 * `end`: IP in IP (RFC 2003, 2473) or IPv6 in IPv4 (6in4, RFC 4213), as the
 * general decoder names them (transport.ts); the inner header's version,
 * not the protocol, says which IP it is. No tunnel id.
 */
function decodeIpInIp(
  v: PacketView,
  b: Uint8Array,
  d: DataView,
  proto: number,
  o: number,
  end: number,
): number {
  const sixInFour = proto === PROTO_IPV6_IN_IP && v.family === 4;
  if (decodeInner(v, b, d, ETHERTYPE_IPV4, o, end) !== FAST_PLAIN) return FAST_NONE;
  v.tunnelType = sixInFour ? TUNNEL_6IN4 : TUNNEL_IPIP;
  v.tunnelId = 0;
  return FAST_TUNNEL;
}

/**
 * A GRE header at `o` (RFC 2784, with RFC 2890's key and sequence number;
 * version 0 only) carrying IP or Ethernet (transparent Ethernet bridging),
 * and the common packet or frame inside, up to `end`.
 */
function decodeGre(v: PacketView, b: Uint8Array, d: DataView, o: number, end: number): number {
  if (o + GRE_HEADER_BYTES > end) return FAST_NONE;
  const flags = d.getUint16(o);
  const type = d.getUint16(o + 2);
  if ((flags & GRE_VERSION_MASK) !== 0) return FAST_NONE;
  let h = o + GRE_HEADER_BYTES;
  if (flags & GRE_CHECKSUM) h += 4;
  let key = 0;
  if (flags & GRE_KEY) {
    if (h + 4 > end) return FAST_NONE;
    key = d.getUint32(h);
    h += 4;
  }
  if (flags & GRE_SEQUENCE) h += 4;
  if (type === GRE_ERSPAN_2 || type === GRE_ERSPAN_3)
    return decodeErspan(v, b, d, type, (flags & GRE_SEQUENCE) !== 0, h, end);
  if (decodeInner(v, b, d, type, h, end) !== FAST_PLAIN) return FAST_NONE;
  v.tunnelType = TUNNEL_GRE;
  v.tunnelId = key >>> 0;
  return FAST_TUNNEL;
}

/**
 * ERSPAN (draft-foschiano-erspan) after its GRE header, at `h`: type I (GRE
 * protocol 0x88BE without a sequence number, no ERSPAN header), type II
 * (0x88BE, 8 bytes) or type III (0x22EB, 12 bytes, and 8 of platform fields
 * when flagged); then the mirrored Ethernet frame, as a common one. The
 * session id is the tunnel's.
 */
function decodeErspan(
  v: PacketView,
  b: Uint8Array,
  d: DataView,
  type: number,
  sequenced: boolean,
  h: number,
  end: number,
): number {
  let session = 0;
  let frame = h;
  if (type === GRE_ERSPAN_3) {
    if (h + ERSPAN_3_HEADER_BYTES > end) return FAST_NONE;
    session = d.getUint16(h + 2) & ERSPAN_SESSION_MASK;
    frame = h + ERSPAN_3_HEADER_BYTES + ((b[h + 11]! & 1) === 1 ? ERSPAN_3_PLATFORM_BYTES : 0);
  } else if (sequenced) {
    if (h + ERSPAN_2_HEADER_BYTES > end) return FAST_NONE;
    session = d.getUint16(h + 2) & ERSPAN_SESSION_MASK;
    frame = h + ERSPAN_2_HEADER_BYTES;
  }
  if (end - frame < MIN_COMMON_FRAME_BYTES) return FAST_NONE;
  enterOuter(v);
  if (decodeCommonFrame(v, b, d, frame, end, false) !== FAST_PLAIN) return FAST_NONE;
  v.tunnelType = TUNNEL_ERSPAN;
  v.tunnelId = session;
  return FAST_TUNNEL;
}

/**
 * What a GRE or Geneve header of protocol `type` carries at `o`: an Ethernet
 * frame (transparent Ethernet bridging) or an IP packet, as a common one,
 * after the outer packet is made the tunnel's (enterOuter). GTP-U and IP in
 * IP carry IP only: they pass ETHERTYPE_IPV4 and the header says which.
 */
function decodeInner(
  v: PacketView,
  b: Uint8Array,
  d: DataView,
  type: number,
  o: number,
  end: number,
): number {
  if (type === GRE_TRANSPARENT_ETHERNET) {
    if (end - o < MIN_COMMON_FRAME_BYTES) return FAST_NONE;
    enterOuter(v);
    return decodeCommonFrame(v, b, d, o, end, false);
  }
  if (type !== ETHERTYPE_IPV4 && type !== ETHERTYPE_IPV6) return FAST_NONE;
  const ipType = ipTypeAt(b, o, end);
  if (ipType === 0) return FAST_NONE;
  enterOuter(v);
  return decodeCommonPacket(v, b, d, o, ipType, end, false);
}

/**
 * The EtherType of the IP packet at `o` by its header's version, 0 when
 * there is none before `end`: the general decoder goes by the version, not
 * by the protocol type or label stack in front of it.
 */
function ipTypeAt(b: Uint8Array, o: number, end: number): number {
  if (o >= end) return 0;
  const version = b[o]! >> 4;
  return version === 4 ? ETHERTYPE_IPV4 : version === 6 ? ETHERTYPE_IPV6 : 0;
}
