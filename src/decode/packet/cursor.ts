import { clearWords, type PacketStatus, type PacketView } from './packet-view.ts';

/**
 * Where decoding stands between layers: the next header to read, where it
 * starts and where the current IP packet's captured bytes end. One per decoder.
 */
export interface Cursor {
  b: Uint8Array;
  off: number;
  /** One past the last captured byte of the current IP packet (or of the frame before any IP). */
  end: number;
  /** Where the current IP packet ends by its length field (may be past `end` when cut). */
  ipEnd: number;
  /**
   * Where the link layer says its payload ends (PPPoE's length field), or
   * Infinity. An IP length beyond it is wrong, and the transport payload
   * stops there (as Wireshark's "IPv4 total length exceeds packet length").
   */
  linkEnd: number;
  /** The EtherType (or equivalent) of what starts at `off`, for STEP_ETHERTYPE. */
  etherType: number;
  /** VLAN tags seen in the current Ethernet header. */
  tags: number;
  /** Tunnels entered so far (bounded against hostile nesting). */
  depth: number;
  /** The carrier packet of the last tunnel entered: protocol, ports and length, restored when the inner is not IP. */
  carrierProto: number;
  carrierSrcPort: number;
  carrierDstPort: number;
  carrierBytes: number;
  /** Set when a step ends decoding. */
  status: PacketStatus;
  v: PacketView;
}

/** The next step of the decoding loop. */
export const STEP_DONE = 0;
export const STEP_ETHERNET = 1;
export const STEP_ETHERTYPE = 2;
export const STEP_IP = 3;
export const STEP_PPP = 4;
export const STEP_MPLS = 5;

/** Ends decoding with `status`. */
export function stop(c: Cursor, status: PacketStatus): number {
  c.status = status;
  return STEP_DONE;
}

/**
 * Makes the current IP packet the outer one of tunnel `type`: its addresses
 * become the outer addresses, and the next IP header decoded is the inner one.
 */
export function enterTunnel(c: Cursor, type: number, id: number): void {
  const v = c.v;
  c.carrierProto = v.proto;
  c.carrierSrcPort = v.srcPort;
  c.carrierDstPort = v.dstPort;
  c.carrierBytes = v.ipBytes;
  copyWords(v.addr, 0, 8);
  v.outerFamily = v.family;
  v.family = 0;
  v.tunnelType = type;
  v.tunnelId = id >>> 0;
  v.srcPort = v.dstPort = v.tcpFlags = 0;
  v.payloadOffset = v.payloadLength = v.payloadCaptured = 0;
  if (v.firstFragment) v.fragOuter = true;
  c.depth++;
}

/**
 * A tunnel whose payload is not IP (ARP in VXLAN, STP over ERSPAN): the
 * carrier packet is metered instead, as a flow tagged with the tunnel, so its
 * bytes are not lost. Its outer addresses become the 5-tuple again.
 */
export function meterCarrier(c: Cursor): void {
  const v = c.v;
  copyWords(v.addr, 8, 0);
  clearWords(v.addr, 8);
  v.family = v.outerFamily;
  v.outerFamily = 0;
  v.proto = c.carrierProto;
  v.srcPort = c.carrierSrcPort;
  v.dstPort = c.carrierDstPort;
  v.ipBytes = c.carrierBytes;
  v.tcpFlags = 0;
  v.icmpType = v.icmpCode = 0;
  v.payloadOffset = v.payloadLength = v.payloadCaptured = 0;
  v.firstFragment = false;
}

/** Copies the 8 address words at `from` to `to` (plain stores: cheaper than `copyWithin` for 8 words). */
export function copyWords(a: Uint32Array, from: number, to: number): void {
  for (let i = 0; i < 8; i++) a[to + i] = a[from + i]!;
}
