/**
 * Transport headers (TCP RFC 9293, UDP RFC 768, ICMP RFC 792, ICMPv6
 * RFC 4443, SCTP RFC 9260, UDP-Lite RFC 3828) and the IP protocols that
 * carry another IP packet (RFC 2003, RFC 2473, RFC 4213) or GRE.
 */
import { u16, u32 } from './bytes.ts';
import { STEP_IP, enterTunnel, stop, type Cursor } from './cursor.ts';
import { TUNNEL_6IN4, TUNNEL_IPIP } from './packet-view.ts';
import { decodeGre, decodeUdpTunnel } from './tunnels.ts';

/** IANA "Assigned Internet Protocol Numbers". */
const PROTO_ICMP = 1;
const PROTO_IPV4 = 4;
const PROTO_TCP = 6;
const PROTO_UDP = 17;
const PROTO_IPV6 = 41;
const PROTO_GRE = 47;
const PROTO_ICMPV6 = 58;
const PROTO_SCTP = 132;
const PROTO_UDPLITE = 136;
const TCP_MIN_HEADER_BYTES = 20;
const UDP_HEADER_BYTES = 8;
/** More nested tunnels than this is hostile rather than real. */
const MAX_TUNNEL_DEPTH = 6;

/** The header of IP protocol `proto` at `c.off`. */
export function decodeTransport(c: Cursor, proto: number): number {
  switch (proto) {
    case PROTO_TCP:
      return decodeTcp(c);
    case PROTO_UDP:
    case PROTO_UDPLITE:
      return decodeUdp(c, proto === PROTO_UDP);
    case PROTO_ICMP:
    case PROTO_ICMPV6:
      if (c.off + 2 > c.end) return stop(c, 'truncated');
      c.v.icmpType = c.b[c.off]!;
      c.v.icmpCode = c.b[c.off + 1]!;
      return stop(c, 'ok');
    case PROTO_SCTP:
      if (c.off + 4 > c.end) return stop(c, 'truncated');
      c.v.srcPort = u16(c.b, c.off);
      c.v.dstPort = u16(c.b, c.off + 2);
      return stop(c, 'ok');
    case PROTO_IPV4:
    case PROTO_IPV6:
      if (c.depth >= MAX_TUNNEL_DEPTH) return stop(c, 'malformed');
      enterTunnel(c, proto === PROTO_IPV6 && c.v.family === 4 ? TUNNEL_6IN4 : TUNNEL_IPIP, 0);
      return STEP_IP;
    case PROTO_GRE:
      if (c.depth >= MAX_TUNNEL_DEPTH) return stop(c, 'malformed');
      return decodeGre(c);
    default:
      return stop(c, 'ok');
  }
}

function decodeTcp(c: Cursor): number {
  const b = c.b;
  const o = c.off;
  const v = c.v;
  if (o + TCP_MIN_HEADER_BYTES > c.end) return stop(c, 'truncated');
  const dataOffset = (b[o + 12]! >> 4) * 4;
  if (dataOffset < TCP_MIN_HEADER_BYTES) return stop(c, 'malformed');
  v.srcPort = u16(b, o);
  v.dstPort = u16(b, o + 2);
  v.seq = u32(b, o + 4);
  v.ack = u32(b, o + 8);
  v.tcpFlags = b[o + 13]!;
  v.window = u16(b, o + 14);
  setPayload(c, o + dataOffset);
  return stop(c, 'ok');
}

function decodeUdp(c: Cursor, tunnels: boolean): number {
  const b = c.b;
  const o = c.off;
  const v = c.v;
  if (o + UDP_HEADER_BYTES > c.end) return stop(c, 'truncated');
  v.srcPort = u16(b, o);
  v.dstPort = u16(b, o + 2);
  setPayload(c, o + UDP_HEADER_BYTES);
  if (!tunnels || c.depth >= MAX_TUNNEL_DEPTH) return stop(c, 'ok');
  c.off = o + UDP_HEADER_BYTES;
  return decodeUdpTunnel(c);
}

/** The payload starts at `start`: its length by the IP header, and how much of it was captured. */
function setPayload(c: Cursor, start: number): void {
  const v = c.v;
  v.payloadOffset = start;
  v.payloadLength = Math.max(0, Math.min(c.ipEnd, c.linkEnd) - start);
  v.payloadCaptured = Math.max(0, Math.min(c.end, c.ipEnd) - start);
}
