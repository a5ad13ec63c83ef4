import { formatIpv4, formatIpv6 } from '../../common/net.ts';
import { ETHERTYPE_IPV4, ETHERTYPE_IPV6, findNetworkLayer } from './link-layer.ts';
import { readPackets } from './pcap-reader.ts';
import { createReassembler, type Reassembler } from './ip-reassembly.ts';

/** A UDP datagram found in a capture. */
export interface UdpDatagram {
  tsMs: number;
  srcAddr: string;
  dstAddr: string;
  srcPort: number;
  dstPort: number;
  payload: Uint8Array;
}

const IPPROTO_UDP = 17;
/** IPv6 extension headers that may precede the upper layer (RFC 8200 §4). */
const IPV6_HOP_BY_HOP = 0;
const IPV6_ROUTING = 43;
const IPV6_FRAGMENT = 44;
const IPV6_DEST_OPTS = 60;

/**
 * Every UDP datagram of a pcap/pcapng file, IPv4 and IPv6 fragments
 * reassembled, in capture order. Frames that are not UDP are skipped.
 */
export async function* readUdpDatagrams(path: string): AsyncGenerator<UdpDatagram> {
  const reassembler = createReassembler();
  for await (const pkt of readPackets(path)) {
    const d = extractUdp(pkt.linkType, pkt.data, pkt.tsMs, reassembler);
    if (d) yield d;
  }
}

/** The UDP datagram in one frame (after reassembly, when it completes one). */
export function extractUdp(
  linkType: number,
  frame: Uint8Array,
  tsMs: number,
  reassembler: Reassembler,
): UdpDatagram | undefined {
  const nl = findNetworkLayer(linkType, frame);
  if (!nl) return undefined;
  if (nl.etherType === ETHERTYPE_IPV4) return fromIpv4(frame.subarray(nl.offset), tsMs, reassembler);
  if (nl.etherType === ETHERTYPE_IPV6) return fromIpv6(frame.subarray(nl.offset), tsMs, reassembler);
  return undefined;
}

function fromIpv4(ip: Uint8Array, tsMs: number, r: Reassembler): UdpDatagram | undefined {
  if (ip.length < 20 || ip[0]! >> 4 !== 4) return undefined;
  const ihl = (ip[0]! & 15) * 4;
  const v = new DataView(ip.buffer, ip.byteOffset, ip.byteLength);
  const total = Math.min(v.getUint16(2), ip.length);
  if (ihl < 20 || total < ihl || ip[9] !== IPPROTO_UDP) return undefined;
  const src = formatIpv4(ip, 12);
  const dst = formatIpv4(ip, 16);
  const flagsFrag = v.getUint16(6);
  let l4 = ip.subarray(ihl, total);
  const more = (flagsFrag & 0x2000) !== 0;
  const fragOffset = (flagsFrag & 0x1fff) * 8;
  if (more || fragOffset > 0) {
    const whole = r.add(`4|${src}|${dst}|${v.getUint16(4)}`, fragOffset, more, l4, tsMs);
    if (!whole) return undefined;
    l4 = whole;
  }
  return fromUdp(l4, src, dst, tsMs);
}

function fromIpv6(ip: Uint8Array, tsMs: number, r: Reassembler): UdpDatagram | undefined {
  if (ip.length < 40 || ip[0]! >> 4 !== 6) return undefined;
  const v = new DataView(ip.buffer, ip.byteOffset, ip.byteLength);
  const end = Math.min(40 + v.getUint16(4), ip.length);
  const src = formatIpv6(ip, 8);
  const dst = formatIpv6(ip, 24);
  let next = ip[6]!;
  let o = 40;
  let frag: { offset: number; more: boolean; id: number } | undefined;
  while (
    next === IPV6_HOP_BY_HOP ||
    next === IPV6_ROUTING ||
    next === IPV6_DEST_OPTS ||
    next === IPV6_FRAGMENT
  ) {
    if (o + 8 > end) return undefined;
    if (next === IPV6_FRAGMENT) {
      const fo = v.getUint16(o + 2);
      frag = { offset: fo & 0xfff8, more: (fo & 1) === 1, id: v.getUint32(o + 4) };
      next = ip[o]!;
      o += 8;
    } else {
      next = ip[o]!;
      o += (ip[o + 1]! + 1) * 8;
    }
  }
  if (next !== IPPROTO_UDP || o > end) return undefined;
  let l4 = ip.subarray(o, end);
  if (frag && (frag.more || frag.offset > 0)) {
    const whole = r.add(`6|${src}|${dst}|${frag.id}`, frag.offset, frag.more, l4, tsMs);
    if (!whole) return undefined;
    l4 = whole;
  }
  return fromUdp(l4, src, dst, tsMs);
}

function fromUdp(udp: Uint8Array, srcAddr: string, dstAddr: string, tsMs: number): UdpDatagram | undefined {
  if (udp.length < 8) return undefined;
  const v = new DataView(udp.buffer, udp.byteOffset, udp.byteLength);
  const len = v.getUint16(4);
  // A zero length is legal for IPv6 jumbograms; otherwise trust the smaller of the two.
  const end = len >= 8 ? Math.min(len, udp.length) : udp.length;
  return {
    tsMs,
    srcAddr,
    dstAddr,
    srcPort: v.getUint16(0),
    dstPort: v.getUint16(2),
    payload: udp.slice(8, end),
  };
}
