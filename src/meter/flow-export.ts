/**
 * Flow slot -> FlowRecord, the only place the meter allocates per flow. Field
 * meanings: contracts.md "Flow record"; src is the side that started the flow.
 */
import { formatIpv4Number, formatIpv6 } from '../common/net.ts';
import { MAX_KEPT_MPLS_LABELS, TUNNEL_TYPES } from '../decode/packet/index.ts';
import type { FlowRecord } from '../schema/flow-record.ts';
import type { FlowNames } from './app-labels.ts';
import type { AppLabel } from './payload-inspector.ts';
import type { FlowColumns } from './flow-columns.ts';

const ICMP = 1;
const TCP = 6;
const ICMPV6 = 58;
const addrBytes = new Uint8Array(16);

/** Text of the address in words `w[o..o+3]` of IP version `family`. */
export function formatAddressWords(w: Uint32Array, o: number, family: number): string {
  if (family === 4) return formatIpv4Number(w[o + 3]!);
  for (let i = 0; i < 4; i++) {
    const x = w[o + i]!;
    addrBytes[4 * i] = x >>> 24;
    addrBytes[4 * i + 1] = (x >>> 16) & 255;
    addrBytes[4 * i + 2] = (x >>> 8) & 255;
    addrBytes[4 * i + 3] = x & 255;
  }
  return formatIpv6(addrBytes, 0);
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** `aa:bb:cc:dd:ee:ff` of a 48-bit number. */
export function formatMacNumber(mac: number): string {
  const hi = Math.floor(mac / 0x100000000);
  const lo = mac >>> 0;
  return `${HEX[hi >>> 8]}:${HEX[hi & 255]}:${HEX[lo >>> 24]}:${HEX[(lo >>> 16) & 255]}:${HEX[(lo >>> 8) & 255]}:${HEX[lo & 255]}`;
}

/** The record of flow `slot` as it stands. */
export function buildFlowRecord(
  c: FlowColumns,
  slot: number,
  exporter: string,
  labels: readonly AppLabel[],
  names?: FlowNames,
): FlowRecord {
  const meta = c.keyMeta[slot]!;
  const proto = meta & 0xff;
  const family = (meta >>> 8) & 0xf;
  const outerFamily = (meta >>> 12) & 0xf;
  const tunnelType = (meta >>> 16) & 0xff;
  const initiatorIsB = (meta >>> 24) & 1;
  const ports = c.keyPorts[slot]!;
  const s = slot * 2;
  const r: FlowRecord = {
    type: 'packets',
    exporter,
    start: Math.floor(c.first[slot]!),
    end: Math.floor(c.last[slot]!),
    srcAddr: formatAddressWords(c.keyAddr, slot * 8 + (initiatorIsB ? 4 : 0), family),
    dstAddr: formatAddressWords(c.keyAddr, slot * 8 + (initiatorIsB ? 0 : 4), family),
    srcPort: initiatorIsB ? ports & 0xffff : ports >>> 16,
    dstPort: initiatorIsB ? ports >>> 16 : ports & 0xffff,
    proto,
    bytes: c.bytes[s]!,
    packets: c.packets[s]!,
    reverseBytes: c.bytes[s + 1]!,
    reversePackets: c.packets[s + 1]!,
    tos: c.tos[slot]!,
    etherType: c.l2[slot * 3 + 2]!,
  };
  if (proto === ICMP || proto === ICMPV6) {
    r.icmpType = c.icmp[slot]! >>> 8;
    r.icmpCode = c.icmp[slot]! & 0xff;
  }
  addLayer2(c, slot, r);
  if (tunnelType !== 0) {
    r.tunnelType = TUNNEL_TYPES[tunnelType] ?? '';
    r.tunnelId = c.tunnelId[slot]!;
    if (outerFamily !== 0) {
      r.outerSrcAddr = formatAddressWords(c.outerAddr, slot * 8, outerFamily);
      r.outerDstAddr = formatAddressWords(c.outerAddr, slot * 8 + 4, outerFamily);
    }
  }
  if (proto === TCP) addTcp(c, slot, r);
  const app = c.app[s + 1]!;
  if (app >= 0) r.appResponseUs = Math.round(app * 1000);
  const li = c.appLabel[slot]!;
  const label = li === 0 ? undefined : labels[li - 1];
  if (label) {
    r.appProto = label.appProto;
    if (label.appCategory !== undefined) r.appCategory = label.appCategory;
  }
  if (names?.serverName !== undefined) r.serverName = names.serverName;
  if (names?.ja4 !== undefined) r.ja4 = names.ja4;
  return r;
}

function addLayer2(c: FlowColumns, slot: number, r: FlowRecord): void {
  const src = c.mac[slot * 2]!;
  if (src >= 0) {
    r.srcMac = formatMacNumber(src);
    r.dstMac = formatMacNumber(c.mac[slot * 2 + 1]!);
  }
  const vlan = c.l2[slot * 3]!;
  const outer = c.l2[slot * 3 + 1]!;
  if (vlan !== 0) r.vlan = vlan;
  if (outer !== 0) r.outerVlan = outer;
  const n = Math.min(c.mplsCount[slot]!, 3, MAX_KEPT_MPLS_LABELS);
  if (n > 0) r.mplsLabels = Array.from(c.mpls.subarray(slot * 3, slot * 3 + n));
}

function addTcp(c: FlowColumns, slot: number, r: FlowRecord): void {
  r.tcpFlags = c.tcpFlags[slot * 2]!;
  r.reverseTcpFlags = c.tcpFlags[slot * 2 + 1]!;
  const q = slot * 4;
  r.retransmissions = c.quality[q]!;
  r.outOfOrder = c.quality[q + 1]!;
  r.lost = c.quality[q + 2]!;
  r.zeroWindows = c.quality[q + 3]!;
  const h = slot * 3;
  const syn = c.handshake[h]!;
  const synAck = c.handshake[h + 1]!;
  const ack = c.handshake[h + 2]!;
  if (syn > 0 && synAck >= syn && ack >= synAck) {
    r.rttUs = Math.round((ack - syn) * 1000);
    r.serverRttUs = Math.round((synAck - syn) * 1000);
    r.clientRttUs = Math.round((ack - synAck) * 1000);
  }
}
