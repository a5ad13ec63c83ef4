/**
 * Creating a flow slot from the packet that starts it, and adding a packet
 * to a flow. Both write only typed arrays.
 */
import type { PacketView } from '../decode/packet/index.ts';
import type { FlowColumns } from './flow-columns.ts';
import type { FlowKey } from './flow-key.ts';
import { WINDOW_UNKNOWN } from './tcp-quality.ts';

const TCP = 6;
const SYN = 0x02;
const ACK = 0x10;

/**
 * Writes the key and the packet's descriptive fields into a new slot. The
 * initiator is the packet's sender, except for a SYN/ACK (the SYN was missed).
 * Returns the packet's direction (0 initiator -> responder).
 */
export function initFlow(c: FlowColumns, s: number, k: FlowKey, v: PacketView, tsMs: number): number {
  const synAck = v.proto === TCP && (v.tcpFlags & (SYN | ACK)) === (SYN | ACK);
  const d = synAck ? 1 : 0;
  const initiatorIsA = k.srcIsA !== synAck;
  for (let i = 0; i < 8; i++) c.keyAddr[s * 8 + i] = k.addr[i]!;
  c.keyPorts[s] = k.ports;
  c.keyMeta[s] = (k.meta | (v.outerFamily << 12) | (v.tunnelType << 16) | (initiatorIsA ? 0 : 1 << 24)) >>> 0;
  c.keyVlan[s] = k.vlan;
  c.keyScope[s] = k.scope;
  const s2 = s * 2;
  // A slot's first flow finds its columns zeroed (new or grown storage, flow-table.ts, which maps
  // most of their pages ahead: touchSlots): only the fields whose start is not zero are written, and
  // columns a flow may never use (TCP analysis for UDP, outer addresses without a tunnel) are not
  // written at all. A slot used before is cleared.
  if (c.gen[s] !== 1) clearSlot(c, s);
  c.app[s2] = c.app[s2 + 1] = -1;
  if (v.proto === TCP) c.window[s2] = c.window[s2 + 1] = WINDOW_UNKNOWN; // read by TCP analysis only
  c.first[s] = tsMs;
  c.last[s] = tsMs;
  c.tos[s] = v.tos;
  c.icmp[s] = (v.icmpType << 8) | v.icmpCode;
  c.mac[s2 + d] = v.hasMac ? v.srcMac : -1;
  c.mac[s2 + 1 - d] = v.hasMac ? v.dstMac : -1;
  c.l2[s * 3] = v.vlan;
  c.l2[s * 3 + 1] = v.outerVlan;
  c.l2[s * 3 + 2] = v.etherType;
  const n = Math.min(v.mplsCount, 3);
  c.mplsCount[s] = n;
  for (let i = 0; i < n; i++) c.mpls[s * 3 + i] = v.mplsLabels[i]!;
  c.tunnelId[s] = v.tunnelId;
  if (v.outerFamily !== 0) {
    const o = s * 8;
    for (let i = 0; i < 4; i++) {
      c.outerAddr[o + i + 4 * d] = v.addr[8 + i]!;
      c.outerAddr[o + i + 4 * (1 - d)] = v.addr[12 + i]!;
    }
  }
  return d;
}

/** Zeroes the fields of slot `s` that initFlow leaves to a fresh slot's zeros. */
function clearSlot(c: FlowColumns, s: number): void {
  c.state[s] = 0;
  const s2 = s * 2;
  for (let i = s2; i < s2 + 2; i++) {
    c.bytes[i] = 0;
    c.packets[i] = 0;
    c.tcpFlags[i] = 0;
    c.nextSeq[i] = 0;
    c.lastAck[i] = 0;
    c.dupAcks[i] = 0;
    c.lastSegment[i] = 0;
    c.nextSeqTime[i] = 0;
    c.lastAckTime[i] = 0;
    c.inspected[i] = 0;
  }
  for (let i = s * 4; i < s * 4 + 4; i++) c.quality[i] = 0;
  for (let i = s * 3; i < s * 3 + 3; i++) c.handshake[i] = 0;
  for (let i = s * 8; i < s * 8 + 8; i++) c.outerAddr[i] = 0;
  c.appLabel[s] = 0;
}

/** Adds the packet's bytes, packet count, flags and times to direction `d` of slot `s`. */
export function countPacket(c: FlowColumns, s: number, d: number, v: PacketView, tsMs: number): void {
  const i = s * 2 + d;
  if (c.packets[s * 2] === 0 && c.packets[s * 2 + 1] === 0) c.first[s] = tsMs; // after an active-timeout export
  c.bytes[i] = c.bytes[i]! + v.ipBytes;
  c.packets[i] = c.packets[i]! + 1;
  c.tcpFlags[i] = c.tcpFlags[i]! | v.tcpFlags;
  if (tsMs > c.last[s]!) c.last[s] = tsMs;
  if (v.payloadLength > 0) {
    // Application response time: the initiator's first payload, then the responder's first after it.
    if (d === 0 && c.app[s * 2]! < 0) c.app[s * 2] = tsMs;
    else if (d === 1 && c.app[s * 2]! >= 0 && c.app[s * 2 + 1]! < 0) c.app[s * 2 + 1] = tsMs - c.app[s * 2]!;
  }
}

/** Clears the counters after an active-timeout export; the TCP analysis state carries on. */
export function restartCounters(c: FlowColumns, s: number, nowMs: number): void {
  const s2 = s * 2;
  c.bytes[s2] = c.bytes[s2 + 1] = 0;
  c.packets[s2] = c.packets[s2 + 1] = 0;
  c.tcpFlags[s2] = c.tcpFlags[s2 + 1] = 0;
  c.quality.fill(0, s * 4, s * 4 + 4);
  c.first[s] = nowMs;
}
