/**
 * Done-criterion of the meter: for every capture under tunnels/ and
 * mixed_voip_retrans/, the flows agree with tshark, file by file:
 * - packets per direction of each inner TCP/UDP 5-tuple equal tshark's
 *   `-z conv,tcp|udp` frames (conversations tshark lists for tunnel carriers,
 *   e.g. the outer UDP 4789 of VXLAN, are the meter's tunnel fields instead);
 * - bytes equal tshark's sum of the innermost IP length (ip.len, or
 *   ipv6.plen + 40): conv tables count frame bytes, we count IP bytes;
 * - retransmissions per 5-tuple equal the frames tshark flags
 *   `tcp.analysis.retransmission` (plain, fast and spurious ones).
 * Timeouts are long so that no conversation is split by the meter's timers;
 * flows are summed per 5-tuple (the meter splits a connection reusing its
 * ports, as tshark's TCP streams do, and keys VXLAN/Geneve flows by VNI).
 */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { test } from 'node:test';
import { createFlowMeter, meterCaptureFile } from '../../src/meter/index.ts';
import type { FlowRecord } from '../../src/schema/flow-record.ts';
import { requireTool, sharedCapture } from '../support/system-tool.ts';
import { dirKey, readTsharkExpectation, type DirectionCounts } from './tshark-expected.ts';
import { countVlanCopies, retransmissionsWithoutVlans } from './vlan-split.ts';

const DAY_MS = 86_400_000;

/**
 * Where tshark needs telling what the meter recognises by itself: Linux's
 * VXLAN port 8472 (tshark decodes VXLAN on 4789 only).
 */
const DECODE_AS: Record<string, string[]> = {
  'tunnels/vxlan_port_8472.pcap': ['udp.port==8472,vxlan'],
};

/**
 * Captures where the meter's flow key holds the VLAN and tshark's TCP
 * analysis does not. Packets and bytes agree (flows are summed per 5-tuple
 * above); retransmissions differ, and each entry pins the meter's exact
 * count and the number of VLAN copies in the capture (vlan-split.ts):
 * - vlan-collisions: one connection captured three times (untagged, VLAN 42,
 *   QinQ 10/20). The meter meters three connections with nothing resent;
 *   tshark sees one stream in which every copy of a data/SYN/FIN segment is a
 *   retransmission, so tshark = meter + copies (0 + 18).
 * - syn_retransmit_with_ts: the client's packets are tagged (VLAN 3136) and
 *   the server's are not, so the meter has two one-way flows: the server's
 *   segments are analysed without the client's ACKs (no duplicate ACKs, so
 *   no fast retransmission; no ACK, so no spurious one) and without the
 *   handshake RTT (Wireshark's out-of-order window falls back to 3 ms), so
 *   the resends 0.2 ms after the highest segment count as out of order: 9
 *   retransmissions where tshark has 18, with no copies at all.
 * For both, the same capture with its VLAN tags removed gives tshark's
 * counts connection by connection: the VLAN key is the whole difference.
 */
const VLAN_SPLIT: Record<string, { meter: number; copies: number }> = {
  'tunnels/vlan-collisions.pcap': { meter: 0, copies: 18 },
  'mixed_voip_retrans/syn_retransmit_with_ts.pcap': { meter: 9, copies: 0 },
};

const FILES = ['tunnels', 'mixed_voip_retrans'].flatMap((dir) =>
  readdirSync(sharedCapture(dir))
    .filter((f) => /\.pcap(ng)?$/.test(f))
    .sort()
    .map((f) => `${dir}/${f}`),
);

async function meterFlows(path: string): Promise<FlowRecord[]> {
  const meter = createFlowMeter({
    exporter: path,
    config: { idleTimeoutMs: DAY_MS, activeTimeoutMs: DAY_MS, tcpClosedTimeoutMs: DAY_MS },
  });
  const flows: FlowRecord[] = [];
  meter.onFlow((r) => flows.push(r));
  await meterCaptureFile(path, meter);
  meter.flushAll();
  return flows;
}

/** Meter flows summed per directional 5-tuple (TCP and UDP only). */
function meterCounts(flows: FlowRecord[]): Map<string, DirectionCounts> {
  const out = new Map<string, DirectionCounts>();
  const add = (k: string, packets: number, bytes: number, retransmissions: number): void => {
    if (packets === 0) return;
    const c = out.get(k) ?? { packets: 0, bytes: 0, retransmissions: 0 };
    c.packets += packets;
    c.bytes += bytes;
    c.retransmissions += retransmissions;
    out.set(k, c);
  };
  for (const f of flows) {
    if (f.proto !== 6 && f.proto !== 17) continue;
    const fwd = dirKey(f.srcAddr ?? '', f.srcPort ?? 0, f.dstAddr ?? '', f.dstPort ?? 0, f.proto);
    const rev = dirKey(f.dstAddr ?? '', f.dstPort ?? 0, f.srcAddr ?? '', f.srcPort ?? 0, f.proto);
    // Retransmissions are per flow; tshark's are per frame: compare them on the forward key's pair below.
    add(fwd, f.packets, f.bytes, f.retransmissions ?? 0);
    add(rev, f.reversePackets ?? 0, f.reverseBytes ?? 0, 0);
  }
  return out;
}

/** Sum of retransmissions over both directions of each unordered pair. */
function perPair(m: Map<string, DirectionCounts>): Map<string, number> {
  const out = new Map<string, number>();
  for (const [k, c] of m) {
    const [a = '', pa = '', b = '', pb = '', proto = ''] = k.split('|');
    const pair =
      `${a}|${pa}` < `${b}|${pb}` ? `${a}|${pa}|${b}|${pb}|${proto}` : `${b}|${pb}|${a}|${pa}|${proto}`;
    out.set(pair, (out.get(pair) ?? 0) + c.retransmissions);
  }
  return out;
}

const retrans = (m: Map<string, number>): [string, number][] => [...m].filter(([, n]) => n > 0).sort();
const sum = (m: Map<string, number>): number => [...m.values()].reduce((a, b) => a + b, 0);

/** Unordered pair key "a|pa|b|pb|proto" -> "a|pa|b|pb". */
const withoutProto = (m: Map<string, number>): Map<string, number> =>
  new Map([...m].map(([k, n]): [string, number] => [k.split('|').slice(0, 4).join('|'), n]));

for (const rel of FILES) {
  test(`meter agrees with tshark: ${rel}`, async (t) => {
    const tshark = requireTool(t, 'tshark');
    if (!tshark) return;
    const path = sharedCapture(rel);
    const [flows, want] = await Promise.all([
      meterFlows(path),
      readTsharkExpectation(tshark, path, DECODE_AS[rel] ?? []),
    ]);
    const got = meterCounts(flows);
    const pick = (m: Map<string, DirectionCounts>, f: 'packets' | 'bytes'): [string, number][] =>
      [...m].map(([k, c]): [string, number] => [k, c[f]]).sort(([a], [b]) => (a < b ? -1 : 1));
    assert.deepEqual(pick(got, 'packets'), pick(want.inner, 'packets'), 'packets per direction');
    assert.deepEqual(pick(got, 'bytes'), pick(want.inner, 'bytes'), 'IP bytes per direction');
    const split = VLAN_SPLIT[rel];
    if (split === undefined)
      assert.deepEqual(retrans(perPair(got)), retrans(perPair(want.inner)), 'retransmissions per connection');
    else {
      const meterTotal = flows.reduce((n, f) => n + (f.retransmissions ?? 0), 0);
      assert.equal(meterTotal, split.meter, "the meter's own count (flows keyed by VLAN)");
      assert.equal(await countVlanCopies(path), split.copies, 'VLAN copies in the capture');
      if (split.copies > 0)
        assert.equal(sum(perPair(want.inner)), meterTotal + split.copies, 'tshark = meter + copies');
      assert.deepEqual(
        retrans(await retransmissionsWithoutVlans(path, DAY_MS)),
        retrans(withoutProto(perPair(want.inner))),
        'without VLAN tags, the meter counts what tshark counts',
      );
    }
    // tshark's conversation tables: same packets for every inner 5-tuple; the rest are tunnel carriers.
    for (const [k, frames] of want.conv) {
      if (want.carriers.has(k)) continue;
      assert.equal(got.get(k)?.packets ?? 0, frames, `conv frames of ${k}`);
    }
  });
}
