import { writeFileSync } from 'node:fs';

/** One UDP datagram as a capture sink received it. */
export interface CapturedDatagram {
  /** Receive time, epoch milliseconds. */
  tsMs: number;
  srcAddr: string;
  srcPort: number;
  dstAddr: string;
  dstPort: number;
  payload: Uint8Array;
}

const PCAP_MAGIC = 0xa1b2c3d4;
const LINKTYPE_ETHERNET = 1;
const SNAPLEN = 262_144;
const ETHERNET_HEADER = 14;
const IPV4_HEADER = 20;
const UDP_HEADER = 8;
const ETHERTYPE_IPV4 = 0x0800;
const IPPROTO_UDP = 17;

/**
 * Encodes datagrams as a classic pcap file (microsecond timestamps, Ethernet
 * link type) with Ethernet, IPv4 and UDP headers synthesised around each
 * payload, lengths and the IPv4 header checksum correct, so that tshark and
 * `flowlens decode` read it like a capture taken on the wire. Only IPv4
 * addresses are supported (the sinks listen on 127.0.0.1).
 */
export function encodeUdpPcap(datagrams: readonly CapturedDatagram[]): Buffer {
  const parts: Buffer[] = [globalHeader()];
  for (const d of datagrams) parts.push(packetRecord(d));
  return Buffer.concat(parts);
}

/** Writes `encodeUdpPcap(datagrams)` to `path`. */
export function writeUdpPcap(path: string, datagrams: readonly CapturedDatagram[]): void {
  writeFileSync(path, encodeUdpPcap(datagrams));
}

function globalHeader(): Buffer {
  const h = Buffer.alloc(24);
  h.writeUInt32LE(PCAP_MAGIC, 0);
  h.writeUInt16LE(2, 4);
  h.writeUInt16LE(4, 6);
  h.writeInt32LE(0, 8);
  h.writeUInt32LE(0, 12);
  h.writeUInt32LE(SNAPLEN, 16);
  h.writeUInt32LE(LINKTYPE_ETHERNET, 20);
  return h;
}

function packetRecord(d: CapturedDatagram): Buffer {
  const udpLen = UDP_HEADER + d.payload.length;
  const ipLen = IPV4_HEADER + udpLen;
  if (ipLen > 0xffff) throw new RangeError(`datagram of ${d.payload.length} bytes does not fit in IPv4`);
  const frameLen = ETHERNET_HEADER + ipLen;
  const b = Buffer.alloc(16 + frameLen);
  b.writeUInt32LE(Math.floor(d.tsMs / 1000), 0);
  b.writeUInt32LE(Math.round((d.tsMs % 1000) * 1000), 4);
  b.writeUInt32LE(frameLen, 8);
  b.writeUInt32LE(frameLen, 12);
  const eth = 16;
  // Locally administered unicast MACs; the link layer carries no meaning here.
  Buffer.from([0x02, 0, 0, 0, 0, 0x02, 0x02, 0, 0, 0, 0, 0x01]).copy(b, eth);
  b.writeUInt16BE(ETHERTYPE_IPV4, eth + 12);
  const ip = eth + ETHERNET_HEADER;
  b.writeUInt8(0x45, ip);
  b.writeUInt16BE(ipLen, ip + 2);
  b.writeUInt8(64, ip + 8);
  b.writeUInt8(IPPROTO_UDP, ip + 9);
  writeIpv4(b, ip + 12, d.srcAddr);
  writeIpv4(b, ip + 16, d.dstAddr);
  b.writeUInt16BE(ipv4Checksum(b.subarray(ip, ip + IPV4_HEADER)), ip + 10);
  const udp = ip + IPV4_HEADER;
  b.writeUInt16BE(d.srcPort, udp);
  b.writeUInt16BE(d.dstPort, udp + 2);
  b.writeUInt16BE(udpLen, udp + 4);
  // UDP checksum 0: "not computed", valid for UDP over IPv4 (RFC 768).
  b.set(d.payload, udp + UDP_HEADER);
  return b;
}

function writeIpv4(b: Buffer, at: number, addr: string): void {
  const octets = addr.split('.').map(Number);
  if (octets.length !== 4 || octets.some((o) => !Number.isInteger(o) || o < 0 || o > 255)) {
    throw new TypeError(`not an IPv4 address: "${addr}"`);
  }
  b.set(octets, at);
}

/** RFC 791 header checksum: one's complement of the one's complement sum of 16-bit words. */
function ipv4Checksum(header: Buffer): number {
  let sum = 0;
  for (let i = 0; i < header.length; i += 2) sum += header.readUInt16BE(i);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}
