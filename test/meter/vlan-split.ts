/**
 * Helpers for the captures where the meter's VLAN key makes its TCP analysis
 * differ from tshark's, which ignores VLANs: the same capture with the VLAN
 * tags taken out, and the number of frames that are copies of a segment on
 * another VLAN.
 */
import { createPacketDecoder } from '../../src/decode/packet/index.ts';
import { readPackets } from '../../src/ingest/file/index.ts';
import { createFlowMeter } from '../../src/meter/index.ts';

const LINKTYPE_ETHERNET = 1;
const VLAN_TPIDS = new Set([0x8100, 0x88a8, 0x9100]);
const SYN_FIN = 0x03;

/** An Ethernet frame without its 802.1Q/802.1ad tags. */
function stripVlanTags(d: Uint8Array): Uint8Array {
  let out = d;
  while (out.length >= 18 && VLAN_TPIDS.has((out[12]! << 8) | out[13]!)) {
    const n = new Uint8Array(out.length - 4);
    n.set(out.subarray(0, 12));
    n.set(out.subarray(16), 12);
    out = n;
  }
  return out;
}

/** Retransmissions per unordered TCP connection ("a|pa|b|pb") the meter counts when VLAN tags are removed first. */
export async function retransmissionsWithoutVlans(
  path: string,
  timeoutMs: number,
): Promise<Map<string, number>> {
  const meter = createFlowMeter({
    exporter: path,
    config: { idleTimeoutMs: timeoutMs, activeTimeoutMs: timeoutMs, tcpClosedTimeoutMs: timeoutMs },
  });
  const out = new Map<string, number>();
  meter.onFlow((f) => {
    if (f.proto !== 6 || !f.retransmissions) return;
    const a = `${f.srcAddr}|${f.srcPort}`;
    const b = `${f.dstAddr}|${f.dstPort}`;
    const k = a < b ? `${a}|${b}` : `${b}|${a}`;
    out.set(k, (out.get(k) ?? 0) + f.retransmissions);
  });
  for await (const p of readPackets(path))
    meter.pushFrame(p.tsMs, p.linkType, p.linkType === LINKTYPE_ETHERNET ? stripVlanTags(p.data) : p.data);
  meter.flushAll();
  return out;
}

/**
 * Frames that carry TCP data (or SYN/FIN) already seen, same direction, same
 * sequence number, length and flags, on another VLAN stack and not yet on
 * their own: the copies of one connection captured on several VLANs.
 */
export async function countVlanCopies(path: string): Promise<number> {
  const decoder = createPacketDecoder();
  const v = decoder.view;
  const stacks = new Map<string, Set<string>>();
  let copies = 0;
  for await (const p of readPackets(path)) {
    if (decoder.decode(p.linkType, p.data) !== 'ok' || v.proto !== 6) continue;
    const synFin = v.tcpFlags & SYN_FIN;
    if (v.payloadLength === 0 && synFin === 0) continue;
    const k = `${v.addr.subarray(0, 8).join('.')}|${v.srcPort}|${v.dstPort}|${v.seq}|${v.payloadLength}|${synFin}`;
    const stack = `${v.outerVlan}.${v.vlan}`;
    const seen = stacks.get(k) ?? new Set<string>();
    if (seen.size > 0 && !seen.has(stack)) copies++;
    seen.add(stack);
    stacks.set(k, seen);
  }
  return copies;
}
