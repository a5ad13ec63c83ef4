/**
 * Layer 2 below IP: capture link types, Ethernet with 802.1Q/802.1ad tags and
 * VN-Tag, PPPoE sessions, PPP and MPLS label stacks.
 * LINKTYPE_* values: tcpdump.org/linktypes.html; EtherTypes: IANA "IEEE 802 Numbers".
 */
import { u16, u32 } from './bytes.ts';
import { STEP_ETHERNET, STEP_ETHERTYPE, STEP_IP, STEP_MPLS, STEP_PPP, stop, type Cursor } from './cursor.ts';
import { MAX_KEPT_MPLS_LABELS } from './packet-view.ts';

const LINKTYPE_NULL = 0;
const LINKTYPE_ETHERNET = 1;
const LINKTYPE_PPP = 9;
const LINKTYPE_PPP_HDLC = 50;
const LINKTYPE_RAW = 101;
const LINKTYPE_LOOP = 108;
const LINKTYPE_LINUX_SLL = 113;
const LINKTYPE_IPV4 = 228;
const LINKTYPE_IPV6 = 229;
const LINKTYPE_LINUX_SLL2 = 276;

const ETHERTYPE_IPV4 = 0x0800;
const ETHERTYPE_IPV6 = 0x86dd;
const ETHERTYPE_VLAN = 0x8100; // IEEE 802.1Q C-tag
const ETHERTYPE_QINQ = 0x88a8; // IEEE 802.1ad S-tag
const ETHERTYPE_QINQ_LEGACY = 0x9100; // pre-standard S-tag
const ETHERTYPE_VNTAG = 0x8926; // Cisco VN-Tag: 4 bytes of tag, then the EtherType
export const ETHERTYPE_MPLS = 0x8847; // RFC 3032
export const ETHERTYPE_MPLS_MULTICAST = 0x8848;
const ETHERTYPE_PPPOE_SESSION = 0x8864; // RFC 2516
const ETHERNET_HEADER_BYTES = 14;
const VLAN_TAG_BYTES = 4;
const VNTAG_BYTES = 6;
const PPPOE_HEADER_BYTES = 6;
const MAX_VLAN_TAGS = 8;
/** Label stack entries walked before a stack is called malformed. */
export const MAX_MPLS_LABELS = 16;
const VLAN_ID_MASK = 0xfff;

/** PPP protocol numbers (IANA "PPP DLL Protocol Numbers"). */
const PPP_IPV4 = 0x0021;
const PPP_IPV6 = 0x0057;
const PPP_MPLS = 0x0281;
const PPP_MPLS_MULTICAST = 0x0283;
const PPP_ALL_STATIONS = 0xff; // HDLC address + control 0x03 (RFC 1662)

/** The first step for a frame of `linkType`. */
export function startLinkLayer(c: Cursor, linkType: number): number {
  const b = c.b;
  const o = c.off;
  switch (linkType) {
    case LINKTYPE_ETHERNET:
      return STEP_ETHERNET;
    case LINKTYPE_RAW:
    case LINKTYPE_IPV4:
    case LINKTYPE_IPV6:
      return STEP_IP;
    case LINKTYPE_NULL:
    case LINKTYPE_LOOP:
      // A 4-byte address family in the capturing host's byte order; the IP version tells.
      c.off = o + 4;
      return STEP_IP;
    case LINKTYPE_PPP:
    case LINKTYPE_PPP_HDLC:
      return STEP_PPP;
    case LINKTYPE_LINUX_SLL:
      // Linux cooked v1: type(2) arphrd(2) addrlen(2) addr(8) protocol(2).
      if (o + 16 > c.end) return stop(c, 'truncated');
      if (u16(b, o + 4) === 6) readMac(c, o + 6, true);
      c.etherType = u16(b, o + 14);
      c.off = o + 16;
      return STEP_ETHERTYPE;
    case LINKTYPE_LINUX_SLL2:
      // Linux cooked v2: protocol(2) reserved(2) ifindex(4) arphrd(2) type(1) addrlen(1) addr(8).
      if (o + 20 > c.end) return stop(c, 'truncated');
      if (b[o + 11] === 6) readMac(c, o + 12, true);
      c.etherType = u16(b, o);
      c.off = o + 20;
      return STEP_ETHERTYPE;
    default:
      return stop(c, 'unsupported');
  }
}

function readMac(c: Cursor, o: number, source: boolean): void {
  const mac = u16(c.b, o) * 0x100000000 + u32(c.b, o + 2);
  if (source) c.v.srcMac = mac;
  else c.v.dstMac = mac;
  c.v.hasMac = true;
}

/** An Ethernet II header at `c.off`: its MACs and tags describe the packet from here on. */
export function decodeEthernet(c: Cursor): number {
  if (c.off + ETHERNET_HEADER_BYTES > c.end) return stop(c, 'truncated');
  readMac(c, c.off, false);
  readMac(c, c.off + 6, true);
  c.v.vlan = 0;
  c.v.outerVlan = 0;
  c.tags = 0;
  c.etherType = u16(c.b, c.off + 12);
  c.off += ETHERNET_HEADER_BYTES;
  return STEP_ETHERTYPE;
}

/** Dispatches on `c.etherType` for the bytes at `c.off`. */
export function decodeEtherType(c: Cursor): number {
  const t = c.etherType;
  const b = c.b;
  switch (t) {
    case ETHERTYPE_IPV4:
    case ETHERTYPE_IPV6:
      c.v.etherType = t;
      return STEP_IP;
    case ETHERTYPE_VLAN:
    case ETHERTYPE_QINQ:
    case ETHERTYPE_QINQ_LEGACY: {
      if (c.off + VLAN_TAG_BYTES > c.end) return stop(c, 'truncated');
      if (++c.tags > MAX_VLAN_TAGS) return stop(c, 'malformed');
      const vid = u16(b, c.off) & VLAN_ID_MASK;
      // The first tag is the outermost; with more than one, the last is the customer VLAN.
      if (c.tags === 1) c.v.vlan = vid;
      else {
        if (c.tags === 2) c.v.outerVlan = c.v.vlan;
        c.v.vlan = vid;
      }
      c.etherType = u16(b, c.off + 2);
      c.off += VLAN_TAG_BYTES;
      return STEP_ETHERTYPE;
    }
    case ETHERTYPE_VNTAG:
      if (c.off + VNTAG_BYTES > c.end) return stop(c, 'truncated');
      c.etherType = u16(b, c.off + 4);
      c.off += VNTAG_BYTES;
      return STEP_ETHERTYPE;
    case ETHERTYPE_MPLS:
    case ETHERTYPE_MPLS_MULTICAST:
      return STEP_MPLS;
    case ETHERTYPE_PPPOE_SESSION:
      if (c.off + PPPOE_HEADER_BYTES > c.end) return stop(c, 'truncated');
      // RFC 2516 §4: the length field counts the PPP frame; bytes after it are Ethernet padding.
      c.linkEnd = Math.min(c.linkEnd, c.off + PPPOE_HEADER_BYTES + u16(b, c.off + 4));
      c.off += PPPOE_HEADER_BYTES;
      return STEP_PPP;
    default:
      c.v.etherType = t;
      return stop(c, 'non_ip');
  }
}

/** A PPP frame at `c.off`, with or without the HDLC address/control bytes (RFC 1662). */
export function decodePpp(c: Cursor): number {
  const b = c.b;
  if (c.off + 2 > c.end) return stop(c, 'truncated');
  if (b[c.off] === PPP_ALL_STATIONS && b[c.off + 1] === 0x03) c.off += 2;
  if (c.off + 1 > c.end) return stop(c, 'truncated');
  let proto: number;
  // Protocol-field compression (RFC 1661 §6.5): an odd first byte is the whole field.
  if ((b[c.off]! & 1) === 1) proto = b[c.off++]!;
  else {
    if (c.off + 2 > c.end) return stop(c, 'truncated');
    proto = u16(b, c.off);
    c.off += 2;
  }
  if (proto === PPP_IPV4 || proto === PPP_IPV6) {
    c.v.etherType = proto === PPP_IPV4 ? ETHERTYPE_IPV4 : ETHERTYPE_IPV6;
    return STEP_IP;
  }
  if (proto === PPP_MPLS || proto === PPP_MPLS_MULTICAST) return STEP_MPLS;
  return stop(c, 'non_ip');
}

/** An MPLS label stack (RFC 3032 §2.1) followed by IP or an Ethernet pseudowire. */
export function decodeMpls(c: Cursor): number {
  const b = c.b;
  const v = c.v;
  for (let n = 0; ; n++) {
    if (n >= MAX_MPLS_LABELS) return stop(c, 'malformed');
    if (c.off + 4 > c.end) return stop(c, 'truncated');
    if (v.mplsCount < MAX_KEPT_MPLS_LABELS) v.mplsLabels[v.mplsCount++] = u32(b, c.off) >>> 12;
    const bottom = (b[c.off + 2]! & 1) === 1;
    c.off += 4;
    if (bottom) break;
  }
  if (c.off >= c.end) return stop(c, 'truncated');
  const nibble = b[c.off]! >> 4;
  if (nibble === 4 || nibble === 6) {
    v.etherType = nibble === 4 ? ETHERTYPE_IPV4 : ETHERTYPE_IPV6;
    return STEP_IP;
  }
  // RFC 4385 control word (first nibble 0) before an Ethernet pseudowire (RFC 4448).
  if (nibble === 0) {
    c.off += 4;
    return STEP_ETHERNET;
  }
  return stop(c, 'unsupported');
}
