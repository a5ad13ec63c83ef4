import { readTsharkFields } from './tshark-fields.ts';

/** Packets and bytes of one address family in a capture. */
export interface FamilyTotals {
  packets: number;
  /** Sum of the IP total length (IPv4 total length; IPv6 payload length + 40). */
  ipBytes: number;
  /** Sum of the wire length minus the 14-byte Ethernet header (includes Ethernet padding). */
  l2PayloadBytes: number;
}

/** Per-family totals of an Ethernet capture; frames of other EtherTypes are `other`. */
export interface CaptureIpTotals {
  ipv4: FamilyTotals;
  ipv6: FamilyTotals;
  other: { packets: number };
}

const ETHERNET_HEADER = 14;
const IPV6_HEADER = 40;

/**
 * Reads an Ethernet capture with tshark and totals its IPv4 and IPv6 frames
 * by the outer EtherType (as exporters classify them). Only the first
 * occurrence of each field counts, so the IP header quoted inside an ICMP
 * error does not count twice. Untagged Ethernet only (no VLAN): the shared
 * captures used by the peer tests have none.
 */
export async function readCaptureIpTotals(tshark: string, pcap: string): Promise<CaptureIpTotals> {
  const rows = await readTsharkFields(tshark, pcap, ['eth.type', 'frame.len', 'ip.len', 'ipv6.plen']);
  const zero = (): FamilyTotals => ({ packets: 0, ipBytes: 0, l2PayloadBytes: 0 });
  const t: CaptureIpTotals = { ipv4: zero(), ipv6: zero(), other: { packets: 0 } };
  for (const [ethType, frameLen, ipLen, ipv6Plen] of rows) {
    const wire = Number(frameLen?.[0]);
    const type = ethType?.[0];
    if (type === '0x0800' || type === '0x00000800') {
      add(t.ipv4, Number(ipLen?.[0]), wire);
    } else if (type === '0x86dd' || type === '0x000086dd') {
      add(t.ipv6, Number(ipv6Plen?.[0]) + IPV6_HEADER, wire);
    } else {
      t.other.packets++;
    }
  }
  return t;
}

function add(f: FamilyTotals, ipBytes: number, wire: number): void {
  if (!Number.isFinite(ipBytes) || !Number.isFinite(wire))
    throw new Error('tshark gave a non-numeric length');
  f.packets++;
  f.ipBytes += ipBytes;
  f.l2PayloadBytes += wire - ETHERNET_HEADER;
}
