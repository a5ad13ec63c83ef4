/**
 * Tunnels: GRE (RFC 2784, keys and sequence numbers RFC 2890, PPTP's enhanced
 * GRE RFC 2637) with ERSPAN I/II/III, and the UDP encapsulations recognised by
 * port and checked by header: VXLAN (RFC 7348, 4789; Linux's 8472),
 * VXLAN-GPE (draft-ietf-nvo3-vxlan-gpe, 4790) with NSH (RFC 8300), Geneve
 * (RFC 8926, 6081), GTP-U/GTP-C (3GPP TS 29.281/29.060/29.274, 2152/2123),
 * GTPv0 user data (TS 09.60, 3386),
 * Teredo (RFC 4380, 3544), MPLS in UDP (RFC 7510, 6635) and AYIYA (5072).
 * A header that does not check out leaves the packet a plain UDP/GRE flow.
 */
import { u16, u32 } from './bytes.ts';
import { STEP_ETHERNET, STEP_IP, STEP_MPLS, STEP_PPP, enterTunnel, stop, type Cursor } from './cursor.ts';
import {
  TUNNEL_AYIYA,
  TUNNEL_ERSPAN,
  TUNNEL_GENEVE,
  TUNNEL_GRE,
  TUNNEL_GTP_C,
  TUNNEL_GTP_U,
  TUNNEL_MPLS_UDP,
  TUNNEL_TEREDO,
  TUNNEL_VXLAN,
} from './packet-view.ts';

/** GRE's flags and protocol type, before its optional fields. */
export const GRE_HEADER_BYTES = 4;
export const GRE_CHECKSUM = 0x8000;
export const GRE_KEY = 0x2000;
export const GRE_SEQUENCE = 0x1000;
const GRE_ACK = 0x0080; // PPTP enhanced GRE only
export const GRE_VERSION_MASK = 0x7;
/** GRE protocol types (IANA "ETHER TYPES" as GRE uses them). */
const GRE_IPV4 = 0x0800;
const GRE_IPV6 = 0x86dd;
export const GRE_TRANSPARENT_ETHERNET = 0x6558;
const GRE_PPP = 0x880b;
const GRE_MPLS = 0x8847;
export const GRE_ERSPAN_2 = 0x88be; // type I without a sequence number, type II with
export const GRE_ERSPAN_3 = 0x22eb;
export const ERSPAN_2_HEADER_BYTES = 8;
export const ERSPAN_3_HEADER_BYTES = 12;
export const ERSPAN_3_PLATFORM_BYTES = 8;
export const ERSPAN_SESSION_MASK = 0x3ff;

const PORT_GTP_C = 2123;
export const PORT_GTP_U = 2152;
export const PORT_GTP_V0 = 3386;
/** TS 09.60 §6: the GTPv0 header is 20 bytes, the flow label at 6. */
const GTP_V0_HEADER_BYTES = 20;
const PORT_TEREDO = 3544;
export const PORT_VXLAN = 4789;
const PORT_VXLAN_GPE = 4790;
const PORT_AYIYA = 5072;
export const PORT_GENEVE = 6081;
const PORT_MPLS_UDP = 6635;
export const PORT_VXLAN_LINUX = 8472;
/** VXLAN's header (RFC 7348 §5) and its I flag, set when the VNI is valid. */
export const VXLAN_HEADER_BYTES = 8;
export const VXLAN_FLAG_I = 0x08;
/** Geneve's fixed header (RFC 8926 §3.4), before its options. */
export const GENEVE_HEADER_BYTES = 8;
/**
 * GTP-U (TS 29.281 §5.1): the 8-byte header, its flags (protocol type GTP;
 * any of E, S and PN adds 4 bytes of optional fields; E, extension headers
 * follow), the G-PDU message that carries user data, and the most extension
 * headers taken before a chain is called malformed.
 */
export const GTP_U_HEADER_BYTES = 8;
export const GTP_FLAG_PT = 0x10;
export const GTP_FLAGS_OPTIONAL = 0x07;
export const GTP_FLAG_E = 0x04;
export const GTP_OPTIONAL_BYTES = 4;
export const GTP_G_PDU = 255;
export const GTP_MAX_EXTENSIONS = 8;
const AYIYA_OPCODE_FORWARD = 1;

/** GRE at `c.off`: enters the tunnel when the payload is one we decode. */
export function decodeGre(c: Cursor): number {
  const b = c.b;
  const o = c.off;
  if (o + GRE_HEADER_BYTES > c.end) return stop(c, 'truncated');
  const flags = u16(b, o);
  const type = u16(b, o + 2);
  const version = flags & GRE_VERSION_MASK;
  let h = o + GRE_HEADER_BYTES;
  let key = 0;
  if (version === 1) {
    // RFC 2637 §4.1: the key holds payload length and call id; no checksum.
    if ((flags & GRE_KEY) === 0) return stop(c, 'malformed');
    key = u16(b, h + 2);
    h += 4 + (flags & GRE_SEQUENCE ? 4 : 0) + (flags & GRE_ACK ? 4 : 0);
    if (u16(b, o + 4) === 0 || (flags & GRE_SEQUENCE) === 0) return stop(c, 'ok'); // acknowledgement only
  } else if (version === 0) {
    if (flags & GRE_CHECKSUM) h += 4;
    if (flags & GRE_KEY) {
      key = u32(b, h);
      h += 4;
    }
    if (flags & GRE_SEQUENCE) h += 4;
  } else return stop(c, 'ok');
  if (h > c.end) return stop(c, 'truncated');
  switch (type) {
    case GRE_IPV4:
    case GRE_IPV6:
      return enter(c, TUNNEL_GRE, key, h, STEP_IP);
    case GRE_TRANSPARENT_ETHERNET:
      return enter(c, TUNNEL_GRE, key, h, STEP_ETHERNET);
    case GRE_PPP:
      return enter(c, TUNNEL_GRE, key, h, STEP_PPP);
    case GRE_MPLS:
      return enter(c, TUNNEL_GRE, key, h, STEP_MPLS);
    case GRE_ERSPAN_2:
      // Type I has no ERSPAN header and no GRE sequence number (draft-foschiano-erspan §4.1).
      if ((flags & GRE_SEQUENCE) === 0) return enter(c, TUNNEL_ERSPAN, 0, h, STEP_ETHERNET);
      if (h + ERSPAN_2_HEADER_BYTES > c.end) return stop(c, 'truncated');
      return enter(
        c,
        TUNNEL_ERSPAN,
        u16(b, h + 2) & ERSPAN_SESSION_MASK,
        h + ERSPAN_2_HEADER_BYTES,
        STEP_ETHERNET,
      );
    case GRE_ERSPAN_3: {
      if (h + ERSPAN_3_HEADER_BYTES > c.end) return stop(c, 'truncated');
      const platform = (b[h + 11]! & 1) === 1 ? ERSPAN_3_PLATFORM_BYTES : 0;
      const session = u16(b, h + 2) & ERSPAN_SESSION_MASK;
      return enter(c, TUNNEL_ERSPAN, session, h + ERSPAN_3_HEADER_BYTES + platform, STEP_ETHERNET);
    }
    default:
      return stop(c, 'ok'); // NHRP, keepalives, ...: a GRE flow of its own
  }
}

function enter(c: Cursor, type: number, id: number, at: number, step: number): number {
  enterTunnel(c, type, id);
  c.off = at;
  return step;
}

/** True when UDP port `p` is one `decodeUdpTunnel` looks behind (the payload may be a tunnel). */
export function isTunnelPort(p: number): boolean {
  // GTP-C's is the lowest tunnel port and Linux VXLAN's the highest: most ports are out after two comparisons.
  if (p < PORT_GTP_C || p > PORT_VXLAN_LINUX) return false;
  return (
    p === PORT_VXLAN ||
    p === PORT_VXLAN_LINUX ||
    p === PORT_GTP_U ||
    p === PORT_GTP_V0 ||
    p === PORT_GENEVE ||
    p === PORT_GTP_C ||
    p === PORT_VXLAN_GPE ||
    p === PORT_TEREDO ||
    p === PORT_MPLS_UDP ||
    p === PORT_AYIYA
  );
}

/** The UDP payload at `c.off` when a tunnel port is used; otherwise the packet is done. */
export function decodeUdpTunnel(c: Cursor): number {
  const sp = c.v.srcPort;
  const dp = c.v.dstPort;
  if (isVxlanPort(sp, dp)) return decodeVxlan(c);
  if (dp === PORT_GTP_U || sp === PORT_GTP_U) return decodeGtpU(c);
  if (dp === PORT_GTP_V0 || sp === PORT_GTP_V0) return decodeGtpV0(c);
  if (dp === PORT_GENEVE || sp === PORT_GENEVE) return decodeGeneve(c);
  if (dp === PORT_GTP_C || sp === PORT_GTP_C) return decodeGtpC(c);
  if (dp === PORT_VXLAN_GPE || sp === PORT_VXLAN_GPE) return decodeVxlanGpe(c);
  if (dp === PORT_TEREDO || sp === PORT_TEREDO) return decodeTeredo(c);
  if (dp === PORT_MPLS_UDP)
    return c.off + 4 <= c.end ? enter(c, TUNNEL_MPLS_UDP, 0, c.off, STEP_MPLS) : stop(c, 'ok');
  if (dp === PORT_AYIYA || sp === PORT_AYIYA) return decodeAyiya(c);
  return stop(c, 'ok');
}

/** Ports read as VXLAN's, before any other tunnel's (Linux's default port too). */
export function isVxlanPort(sp: number, dp: number): boolean {
  return sp === PORT_VXLAN || dp === PORT_VXLAN || sp === PORT_VXLAN_LINUX || dp === PORT_VXLAN_LINUX;
}

function decodeVxlan(c: Cursor): number {
  const o = c.off;
  // RFC 7348 §5: the I flag must be set for a valid VNI.
  if (o + VXLAN_HEADER_BYTES > c.end || (c.b[o]! & VXLAN_FLAG_I) === 0) return stop(c, 'ok');
  return enter(c, TUNNEL_VXLAN, u32(c.b, o + 4) >>> 8, o + VXLAN_HEADER_BYTES, STEP_ETHERNET);
}

function decodeVxlanGpe(c: Cursor): number {
  const b = c.b;
  const o = c.off;
  if (o + 8 > c.end || (b[o]! & 0x08) === 0) return stop(c, 'ok');
  const vni = u32(b, o + 4) >>> 8;
  let next = b[o + 3]!;
  let p = o + 8;
  if (next === 4) {
    // NSH (RFC 8300 §2.2): length in 4-byte words, next protocol in byte 3.
    if (p + 8 > c.end) return stop(c, 'ok');
    next = b[p + 3]!;
    p += (b[p + 1]! & 0x3f) * 4;
  }
  if (next === 1 || next === 2) return enter(c, TUNNEL_VXLAN, vni, p, STEP_IP);
  if (next === 3) return enter(c, TUNNEL_VXLAN, vni, p, STEP_ETHERNET);
  return stop(c, 'ok');
}

function decodeGeneve(c: Cursor): number {
  const b = c.b;
  const o = c.off;
  if (o + GENEVE_HEADER_BYTES > c.end || b[o]! >> 6 !== 0) return stop(c, 'ok');
  const p = o + GENEVE_HEADER_BYTES + (b[o]! & 0x3f) * 4;
  const type = u16(b, o + 2);
  const vni = u32(b, o + 4) >>> 8;
  if (type === GRE_TRANSPARENT_ETHERNET) return enter(c, TUNNEL_GENEVE, vni, p, STEP_ETHERNET);
  if (type === GRE_IPV4 || type === GRE_IPV6) return enter(c, TUNNEL_GENEVE, vni, p, STEP_IP);
  return stop(c, 'ok');
}

function decodeGtpU(c: Cursor): number {
  const b = c.b;
  const o = c.off;
  // TS 29.281 §5.1: version 1, protocol type GTP, message 255 (G-PDU) carries user data.
  if (
    o + GTP_U_HEADER_BYTES > c.end ||
    b[o]! >> 5 !== 1 ||
    (b[o]! & GTP_FLAG_PT) === 0 ||
    b[o + 1] !== GTP_G_PDU
  )
    return stop(c, 'ok');
  const teid = u32(b, o + 4);
  let p = o + GTP_U_HEADER_BYTES;
  if ((b[o]! & GTP_FLAGS_OPTIONAL) !== 0) {
    if (p + GTP_OPTIONAL_BYTES > c.end) return stop(c, 'truncated');
    let next = (b[o]! & GTP_FLAG_E) !== 0 ? b[p + 3]! : 0;
    p += GTP_OPTIONAL_BYTES;
    // Extension headers (§5.2): length in 4-byte units, next type in the last byte.
    for (let n = 0; next !== 0; n++) {
      const len = (b[p] ?? 0) * 4;
      if (len === 0 || n > GTP_MAX_EXTENSIONS) return stop(c, 'malformed');
      if (p + len > c.end) return stop(c, 'truncated');
      next = b[p + len - 1]!;
      p += len;
    }
  }
  const nibble = (b[p] ?? 0) >> 4;
  if (p >= c.end || (nibble !== 4 && nibble !== 6)) return stop(c, 'ok');
  return enter(c, TUNNEL_GTP_U, teid, p, STEP_IP);
}

/**
 * GTPv0 (the 2G/3G predecessor of GTP-U, port 3386, shared with GTP'): a
 * T-PDU carries user IP, metered as a `gtp-u` tunnel whose id is the flow
 * label. Other messages (signalling, and GTP' charging, whose protocol-type
 * bit is clear) stay plain UDP.
 */
function decodeGtpV0(c: Cursor): number {
  const b = c.b;
  const o = c.off;
  const p = o + GTP_V0_HEADER_BYTES;
  if (p >= c.end || b[o]! >> 5 !== 0 || (b[o]! & 0x10) === 0 || b[o + 1] !== GTP_G_PDU) return stop(c, 'ok');
  const nibble = b[p]! >> 4;
  if (nibble !== 4 && nibble !== 6) return stop(c, 'ok');
  return enter(c, TUNNEL_GTP_U, u16(b, o + 6), p, STEP_IP);
}

/** GTP-C is signalling: the flow stays the outer UDP one, tagged with the session's TEID. */
function decodeGtpC(c: Cursor): number {
  const b = c.b;
  const o = c.off;
  if (o + 8 > c.end) return stop(c, 'ok');
  const version = b[o]! >> 5;
  if (version === 1 && (b[o]! & 0x10) !== 0) {
    c.v.tunnelType = TUNNEL_GTP_C;
    c.v.tunnelId = u32(b, o + 4);
  } else if (version === 2) {
    c.v.tunnelType = TUNNEL_GTP_C;
    c.v.tunnelId = (b[o]! & 0x08) !== 0 ? u32(b, o + 4) : 0; // TS 29.274 §5.1: T flag
  }
  return stop(c, 'ok');
}

function decodeTeredo(c: Cursor): number {
  const b = c.b;
  let p = c.off;
  // RFC 4380 §5.1.1: an authentication header (0x0001) and/or origin indication (0x0000) may precede IPv6.
  if (p + 2 <= c.end && u16(b, p) === 1) {
    if (p + 4 > c.end) return stop(c, 'ok');
    p += 4 + b[p + 2]! + b[p + 3]! + 9;
  }
  if (p + 2 <= c.end && u16(b, p) === 0) p += 8;
  if (p + 40 > c.end || b[p]! >> 4 !== 6) return stop(c, 'ok');
  return enter(c, TUNNEL_TEREDO, 0, p, STEP_IP);
}

function decodeAyiya(c: Cursor): number {
  const b = c.b;
  const o = c.off;
  if (o + 8 > c.end) return stop(c, 'ok');
  const idBytes = 1 << (b[o]! >> 4);
  const sigBytes = (b[o + 1]! >> 4) * 4;
  const next = b[o + 3]!;
  if ((b[o + 2]! & 0x0f) !== AYIYA_OPCODE_FORWARD || (next !== 4 && next !== 41)) return stop(c, 'ok');
  return enter(c, TUNNEL_AYIYA, 0, o + 8 + idBytes + sigBytes, STEP_IP);
}
