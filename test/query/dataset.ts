/**
 * The fixed dataset every engine is queried on: three hours of flows, one
 * a minute, plus a few IPv6 flows, with sampled and unsampled records. The
 * expected values of the tests are computed from it by plain JS (the
 * reference helpers below), plus some written out by hand.
 */
import type { FlowRecord } from '../../src/schema/flow-record.ts';

/** 2024-01-01T00:00:00Z. */
export const T0 = Date.UTC(2024, 0, 1);
export const HOUR = 3_600_000;
export const MINUTE = 60_000;
/** "Now" for the engines: one hour after the data ends. */
export const NOW = T0 + 4 * HOUR;

const PORTS = [443, 80, 53] as const;
const PROTOS = [6, 6, 17] as const;

function minuteFlow(i: number): FlowRecord {
  const r: FlowRecord = {
    type: i % 2 === 0 ? 'netflow9' : 'ipfix',
    exporter: i % 2 === 0 ? '192.0.2.1' : '192.0.2.2',
    start: T0 + i * MINUTE,
    end: T0 + i * MINUTE + 30_000,
    srcAddr: `10.0.${i % 3}.1`,
    dstAddr: `192.168.1.${i % 5}`,
    srcPort: 40_000 + i,
    dstPort: PORTS[i % 3]!,
    proto: PROTOS[i % 3]!,
    bytes: 1000 * ((i % 4) + 1),
    packets: (i % 4) + 1,
    srcAs: 64_500 + (i % 2),
    dstAs: 15_169,
    inIf: 1 + (i % 2),
    outIf: 10,
    srcCountry: i % 2 === 0 ? 'FR' : 'DE',
  };
  if (i % 10 === 0) r.samplingRate = 10;
  if (i % 7 === 0) r.appProto = 'https';
  if (i % 60 === 5) r.srcMac = '00:11:22:33:44:55';
  return r;
}

function v6Flow(j: number): FlowRecord {
  return {
    type: 'ipfix',
    exporter: '2001:db8:ffff::1',
    start: T0 + j * 20 * MINUTE + 1000,
    end: T0 + j * 20 * MINUTE + 2000,
    srcAddr: `2001:db8:${j + 1}::10`,
    dstAddr: '2001:db8:1::443',
    srcPort: 50_000 + j,
    dstPort: 443,
    proto: 6,
    bytes: 500_000,
    packets: 400,
    vlan: 100 + j,
    mplsLabels: [16_000 + j, 3],
  };
}

/** 180 IPv4 flows (one a minute) and 9 IPv6 flows (every 20 minutes). */
export const DATASET: readonly FlowRecord[] = [
  ...Array.from({ length: 180 }, (_, i) => minuteFlow(i)),
  ...Array.from({ length: 9 }, (_, j) => v6Flow(j)),
];

/** The time a store accounts a flow at. */
export const timeOf = (r: FlowRecord): number => r.end ?? r.start ?? 0;

/** Reference: bytes scaled by the sampling rate. */
export const scaledBytes = (r: FlowRecord): number => r.bytes * (r.samplingRate ?? 1);
export const scaledPackets = (r: FlowRecord): number => r.packets * (r.samplingRate ?? 1);

/** Reference top-N: group by `key`, sum, order by bytes desc then key. */
export function referenceTop(
  records: readonly FlowRecord[],
  key: (r: FlowRecord) => unknown,
): { key: unknown; bytes: number; packets: number; flows: number }[] {
  const m = new Map<unknown, { key: unknown; bytes: number; packets: number; flows: number }>();
  for (const r of records) {
    const k = key(r) ?? null;
    const e = m.get(k) ?? { key: k, bytes: 0, packets: 0, flows: 0 };
    e.bytes += scaledBytes(r);
    e.packets += scaledPackets(r);
    e.flows++;
    m.set(k, e);
  }
  return [...m.values()].sort((a, b) => b.bytes - a.bytes || String(a.key).localeCompare(String(b.key)));
}

/** Records in [from, to). */
export const inRange = (from: number, to: number) => (r: FlowRecord) => timeOf(r) >= from && timeOf(r) < to;

/** Linear-interpolated quantile (DuckDB quantile_cont, ClickHouse quantileExact-like). */
export function quantileCont(values: number[], q: number): number {
  const s = [...values].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo]! + (s[hi]! - s[lo]!) * (pos - lo);
}
