/**
 * The scratch structure one packet is decoded into. One instance is reused for
 * every packet (no allocation per packet): the decoder overwrites every field
 * it may set at the start of each packet (`resetPacketView`).
 */

/**
 * Tunnel types the decoder recognises, by code (the index in this list). The
 * flow record carries the name. A closed list: adding one is a contract change.
 * - `gre`: GRE (RFC 2784/2890) and PPTP's enhanced GRE (RFC 2637); tunnelId = key
 * - `erspan`: ERSPAN type I/II/III over GRE; tunnelId = session id
 * - `gtp-u`: GTPv1-U (3GPP TS 29.281); tunnelId = TEID. Also GTPv0 T-PDUs (TS 09.60); tunnelId = flow label
 * - `gtp-c`: GTPv1-C/GTPv2-C (TS 29.060/29.274) signalling, metered as the outer flow; tunnelId = TEID
 * - `vxlan`: VXLAN (RFC 7348) and VXLAN-GPE; tunnelId = VNI
 * - `geneve`: Geneve (RFC 8926); tunnelId = VNI
 * - `ipip`: IPv4/IPv6 in IPv4/IPv6 (RFC 2003, RFC 2473), except IPv6 in IPv4
 * - `6in4`: IPv6 in IPv4, protocol 41 (RFC 4213)
 * - `teredo`: IPv6 in UDP 3544 (RFC 4380)
 * - `mpls-udp`: MPLS in UDP 6635 (RFC 7510)
 * - `ayiya`: IPv6 in AYIYA, UDP 5072 (draft-massar-v6ops-ayiya)
 * MPLS label stacks and PPPoE are layer-2 facts, not tunnels: they go to
 * `mplsLabels` and leave the tunnel fields empty.
 */
export const TUNNEL_TYPES = [
  '',
  'gre',
  'erspan',
  'gtp-u',
  'gtp-c',
  'vxlan',
  'geneve',
  'ipip',
  '6in4',
  'teredo',
  'mpls-udp',
  'ayiya',
] as const;

/** A tunnel type name from TUNNEL_TYPES (without the empty "none"). */
export type TunnelType = Exclude<(typeof TUNNEL_TYPES)[number], ''>;

/** Tunnel type codes (indexes into TUNNEL_TYPES). */
export const TUNNEL_NONE = 0;
export const TUNNEL_GRE = 1;
export const TUNNEL_ERSPAN = 2;
export const TUNNEL_GTP_U = 3;
export const TUNNEL_GTP_C = 4;
export const TUNNEL_VXLAN = 5;
export const TUNNEL_GENEVE = 6;
export const TUNNEL_IPIP = 7;
export const TUNNEL_6IN4 = 8;
export const TUNNEL_TEREDO = 9;
export const TUNNEL_MPLS_UDP = 10;
export const TUNNEL_AYIYA = 11;

/** Most MPLS labels kept per packet (deeper stacks are walked but not kept). */
export const MAX_KEPT_MPLS_LABELS = 4;

/** What decoding one packet produced. */
export type PacketStatus =
  /** an IP packet whose flow key is complete */
  | 'ok'
  /** a well-formed frame that carries no IP (ARP, STP, LLDP, EAPOL, ...) */
  | 'non_ip'
  /** a non-first IP fragment: no transport header; `fragHash` finds its flow */
  | 'fragment'
  /** shorter than a header it needs (snap length, or cut in transit) */
  | 'truncated'
  /** a header field is impossible (IP version, header length, total length) */
  | 'malformed'
  /** a link type or encapsulation the decoder does not know */
  | 'unsupported';

/** One decoded packet. Addresses are 32-bit words, IPv4 in word 3 with words 0-2 zero. */
export interface PacketView {
  hasMac: boolean;
  /** MACs as 48-bit numbers (exact in a double). */
  srcMac: number;
  dstMac: number;
  /** Innermost and outermost 802.1Q/802.1ad VLAN id of the frame the IP packet came in; 0 when untagged. */
  vlan: number;
  outerVlan: number;
  etherType: number;
  mplsLabels: Uint32Array;
  mplsCount: number;
  /** IP version of the (inner) packet: 4 or 6. */
  family: number;
  /** Words 0-3 source, 4-7 destination (inner); 8-11, 12-15 the tunnel's outer source and destination. */
  addr: Uint32Array;
  outerFamily: number;
  /** IP-layer bytes of the inner packet from its header (IPv4 total length, IPv6 payload length + 40). */
  ipBytes: number;
  tos: number;
  proto: number;
  srcPort: number;
  dstPort: number;
  tcpFlags: number;
  seq: number;
  ack: number;
  window: number;
  icmpType: number;
  icmpCode: number;
  /** Transport payload: where it starts in the frame, its length by the headers, and how much was captured. */
  payloadOffset: number;
  payloadLength: number;
  payloadCaptured: number;
  tunnelType: number;
  tunnelId: number;
  /** True when the first fragment of a fragmented IP packet (the flow key is present). */
  firstFragment: boolean;
  /** Hash of (addresses, protocol, identification) of the fragmented IP layer. */
  fragHash: number;
  /** True when the fragmented layer is an outer (tunnel) layer: later fragments add nothing to the inner flow. */
  fragOuter: boolean;
  /** Of the fragmented IP layer: where this fragment's data ends in the whole packet, and its data bytes. */
  fragEnd: number;
  fragBytes: number;
  /** More fragments follow (IPv4 MF, IPv6 M flag): false on the last one, which gives the packet's length. */
  fragMore: boolean;
}

/**
 * The first value of the fields that may first reach past V8's small
 * integers (2^30) long into a capture (TEIDs and GRE keys, fragment hashes;
 * and MACs): stored as doubles from the start, these fields never change
 * representation mid-run, which would change the view's shape and deoptimise
 * every function that has seen it. (TCP sequence numbers change theirs at
 * the first real connection, before anything is optimised.)
 */
const NOT_SMALL = 0.5;

/** A fresh view; reuse it for every packet. */
export function createPacketView(): PacketView {
  const v = {
    hasMac: false,
    srcMac: NOT_SMALL,
    dstMac: NOT_SMALL,
    vlan: 0,
    outerVlan: 0,
    etherType: 0,
    mplsLabels: new Uint32Array(MAX_KEPT_MPLS_LABELS),
    mplsCount: 0,
    family: 0,
    addr: new Uint32Array(16),
    outerFamily: 0,
    ipBytes: 0,
    tos: 0,
    proto: 0,
    srcPort: 0,
    dstPort: 0,
    tcpFlags: 0,
    seq: 0,
    ack: 0,
    window: 0,
    icmpType: 0,
    icmpCode: 0,
    payloadOffset: 0,
    payloadLength: 0,
    payloadCaptured: 0,
    tunnelType: 0,
    tunnelId: NOT_SMALL,
    firstFragment: false,
    fragHash: NOT_SMALL,
    fragOuter: false,
    fragEnd: 0,
    fragBytes: 0,
    fragMore: false,
  };
  v.srcMac = v.dstMac = v.tunnelId = v.fragHash = 0;
  return v;
}

/** Clears the fields a packet may leave unset. */
export function resetPacketView(v: PacketView): void {
  v.hasMac = false;
  v.vlan = 0;
  v.outerVlan = 0;
  v.etherType = 0;
  v.family = 0;
  clearWords(v.addr, 0);
  v.ipBytes = 0;
  v.tos = 0;
  v.proto = 0;
  v.srcPort = 0;
  v.dstPort = 0;
  v.tcpFlags = 0;
  v.seq = 0;
  v.ack = 0;
  v.window = 0;
  v.payloadOffset = 0;
  v.payloadLength = 0;
  v.payloadCaptured = 0;
  resetUncommonFields(v);
}

/**
 * Clears the fields the common frames (fast-path.ts) never set: ICMP and
 * fragment fields, the MPLS fields but for labelled frames, and the tunnel
 * fields and outer addresses but for tunnelled ones. Every other field of
 * the view is written by the fast path for each frame it takes.
 */
export function resetUncommonFields(v: PacketView): void {
  v.mplsCount = 0;
  v.outerFamily = 0;
  clearWords(v.addr, 8);
  v.icmpType = 0;
  v.icmpCode = 0;
  v.tunnelType = 0;
  v.tunnelId = 0;
  v.firstFragment = false;
  v.fragHash = 0;
  v.fragOuter = false;
  v.fragEnd = 0;
  v.fragBytes = 0;
  v.fragMore = false;
}

/**
 * Zeroes the 8 address words from `at` (one endpoint pair). Plain stores:
 * `fill` is a call into the runtime, dearer than the stores for 8 words.
 */
export function clearWords(a: Uint32Array, at: number): void {
  a[at] = a[at + 1] = a[at + 2] = a[at + 3] = 0;
  a[at + 4] = a[at + 5] = a[at + 6] = a[at + 7] = 0;
}
