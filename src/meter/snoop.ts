/**
 * Snooping for the device component: DHCP, DNS answers, mDNS and SSDP
 * packets seen by the meter become events with a small, bounded parse. Only
 * done when someone subscribed; the payload is copied (bounded) because the
 * capture buffer is reused.
 */
import { u16, u32 } from '../decode/packet/index.ts';

/** Which protocol an event came from (by UDP port: 67/68 and DHCPv6's 546/547 are "dhcp", 53, 5353, 1900). */
export type SnoopKind = 'dhcp' | 'dns' | 'mdns' | 'ssdp';

/** One snooped packet. */
export interface SnoopEvent {
  kind: SnoopKind;
  tsMs: number;
  srcMac?: string;
  dstMac?: string;
  srcAddr: string;
  dstAddr: string;
  srcPort: number;
  dstPort: number;
  /** The UDP payload as captured (at most MAX_SNOOP_PAYLOAD_BYTES). */
  payload: Uint8Array;
  /** DHCP (RFC 2131/2132): message type (option 53) and the option codes present, in order; absent for DHCPv6. */
  dhcp?: { messageType?: number; options: number[]; clientMac?: string };
  /** DNS/mDNS responses (RFC 1035, RFC 6762): A/AAAA answers, name -> addresses. */
  dns?: { answers: { name: string; addresses: string[] }[] };
}

/** The subscriber side of the event stream. */
export type SnoopListener = (e: SnoopEvent) => void;

export const MAX_SNOOP_PAYLOAD_BYTES = 1500;
const MAX_DNS_ANSWERS = 32;
const MAX_NAME_LABELS = 32;
const MAX_DHCP_OPTIONS = 64;
const DHCP_MAGIC = 0x63825363; // RFC 2131 §3 magic cookie
const BOOTP_FIXED_BYTES = 236;
const DNS_TYPE_A = 1;
const DNS_TYPE_AAAA = 28;

/** The kind of a UDP packet by its ports, or undefined when not snooped. */
export function snoopKind(srcPort: number, dstPort: number): SnoopKind | undefined {
  if (srcPort === 5353 || dstPort === 5353) return 'mdns';
  if (srcPort === 53) return 'dns';
  if (srcPort === 67 || srcPort === 68 || dstPort === 67 || dstPort === 68) return 'dhcp';
  // DHCPv6 (RFC 8415 §7.2): clients on 546, servers and relays on 547; the payload is parsed by the listener.
  if (srcPort === 546 || srcPort === 547 || dstPort === 546 || dstPort === 547) return 'dhcp';
  if (srcPort === 1900 || dstPort === 1900) return 'ssdp';
  return undefined;
}

/** DHCP fields from a BOOTP payload; undefined when it is not DHCP. */
export function parseDhcp(p: Uint8Array): SnoopEvent['dhcp'] {
  if (p.length < BOOTP_FIXED_BYTES + 4 || u32(p, BOOTP_FIXED_BYTES) !== DHCP_MAGIC) return undefined;
  const out: NonNullable<SnoopEvent['dhcp']> = { options: [] };
  if (p[2] === 6) out.clientMac = formatMacAt(p, 28);
  for (let o = BOOTP_FIXED_BYTES + 4; o < p.length && out.options.length < MAX_DHCP_OPTIONS;) {
    const code = p[o]!;
    if (code === 255) break;
    if (code === 0) {
      o++;
      continue;
    }
    const len = p[o + 1] ?? 0;
    out.options.push(code);
    if (code === 53 && len >= 1 && o + 2 < p.length) out.messageType = p[o + 2]!;
    o += 2 + len;
  }
  return out;
}

/** A/AAAA answers of a DNS response; undefined when it is a query or malformed. */
export function parseDnsAnswers(p: Uint8Array): SnoopEvent['dns'] {
  if (p.length < 12 || (p[2]! & 0x80) === 0) return undefined;
  let o = 12;
  for (let q = u16(p, 4); q > 0; q--) {
    o = skipName(p, o);
    if (o < 0) return undefined;
    o += 4;
  }
  const byName = new Map<string, string[]>();
  const count = Math.min(u16(p, 6), MAX_DNS_ANSWERS);
  for (let a = 0; a < count; a++) {
    const name = readName(p, o);
    o = skipName(p, o);
    if (o < 0 || o + 10 > p.length || name === undefined) break;
    const type = u16(p, o);
    const len = u16(p, o + 8);
    o += 10;
    if (o + len > p.length) break;
    let addr: string | undefined;
    if (type === DNS_TYPE_A && len === 4) addr = `${p[o]}.${p[o + 1]}.${p[o + 2]}.${p[o + 3]}`;
    else if (type === DNS_TYPE_AAAA && len === 16) addr = ipv6Text(p, o);
    if (addr) byName.set(name, [...(byName.get(name) ?? []), addr]);
    o += len;
  }
  return { answers: [...byName].map(([name, addresses]) => ({ name, addresses })) };
}

function skipName(p: Uint8Array, o: number): number {
  for (let n = 0; n < MAX_NAME_LABELS * 4 && o < p.length; n++) {
    const len = p[o]!;
    if (len === 0) return o + 1;
    if ((len & 0xc0) === 0xc0) return o + 2;
    o += 1 + len;
  }
  return -1;
}

/** A name with compression pointers (RFC 1035 §4.1.4), bounded in labels and jumps. */
function readName(p: Uint8Array, o: number): string | undefined {
  const labels: string[] = [];
  for (let jumps = 0; labels.length < MAX_NAME_LABELS && jumps < MAX_NAME_LABELS && o < p.length;) {
    const len = p[o]!;
    if (len === 0) return labels.join('.');
    if ((len & 0xc0) === 0xc0) {
      o = u16(p, o) & 0x3fff;
      jumps++;
      continue;
    }
    if (o + 1 + len > p.length) return undefined;
    labels.push(String.fromCharCode(...p.subarray(o + 1, o + 1 + len)));
    o += 1 + len;
  }
  return undefined;
}

function formatMacAt(p: Uint8Array, o: number): string {
  return Array.from(p.subarray(o, o + 6), (x) => x.toString(16).padStart(2, '0')).join(':');
}

function ipv6Text(p: Uint8Array, o: number): string {
  const groups: string[] = [];
  for (let i = 0; i < 8; i++) groups.push(u16(p, o + 2 * i).toString(16));
  return groups.join(':').replace(/(^|:)0(:0)+(:|$)/, '::');
}
