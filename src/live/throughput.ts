/**
 * Throughput: per-second totals for 15 minutes, and per exporter and per
 * interface for the last minute. Rates are averages over the last
 * RATE_SECONDS complete seconds (a producer's delta lands in the second it
 * arrives, so single seconds jitter; ten smooth that out).
 */
import type { InterfaceSums, KeyedSums } from './delta.ts';
import { SlotRing } from './slot-ring.ts';

/** Seconds rates average over. */
export const RATE_SECONDS = 10;
/** Seconds of the per-second series in the stats. */
export const SERIES_SECONDS = 60;
const TOTAL_SECONDS = 900;
const KEY_SECONDS = SERIES_SECONDS + 1;
const MAX_EXPORTERS = 1000;
const MAX_INTERFACES = 10_000;

/** One second of the series. */
export interface RatePoint {
  /** Start of the second (epoch ms). */
  t: number;
  bps: number;
  pps: number;
  /** Flow records per second. */
  fps: number;
  /** Entering live.localNetworks from outside ("in") and leaving them ("out"), bits and packets per second. */
  inBps: number;
  outBps: number;
  inPps: number;
  outPps: number;
}

/** Totals ring fields. */
export const TOTAL_FIELDS = {
  bytes: 0,
  packets: 1,
  flows: 2,
  bytesIn: 3,
  packetsIn: 4,
  bytesOut: 5,
  packetsOut: 6,
} as const;
/** A field of the totals ring. */
export type TotalField = (typeof TOTAL_FIELDS)[keyof typeof TOTAL_FIELDS];

/** One delta's totals, as `Throughput.add` takes them. */
export interface DeltaTotals {
  bytes: number;
  packets: number;
  flows: number;
  bytesIn: number;
  packetsIn: number;
  bytesOut: number;
  packetsOut: number;
}

/** An exporter's rates and totals since it was first seen by the live view. */
export interface ExporterRate {
  exporter: string;
  bps: number;
  pps: number;
  fps: number;
  bytes: number;
  packets: number;
  flows: number;
  lastSeenMs: number;
}

/** An interface's rates ("in": received on it). */
export interface InterfaceRate {
  exporter: string;
  ifIndex: number;
  inBps: number;
  outBps: number;
  inPps: number;
  outPps: number;
  lastSeenMs: number;
}

interface KeyWindow {
  ring: SlotRing;
  bytes: number;
  packets: number;
  flows: number;
  lastSeenMs: number;
}

const newWindow = (fields: number): KeyWindow => ({
  ring: new SlotRing(KEY_SECONDS, fields),
  bytes: 0,
  packets: 0,
  flows: 0,
  lastSeenMs: 0,
});

/** Bounded LRU get-or-create: an update moves the key to the end. */
function touch<V>(m: Map<string, V>, key: string, max: number, make: () => V): V {
  let v = m.get(key);
  if (v === undefined) {
    if (m.size >= max) {
      const first = m.keys().next();
      if (!first.done) m.delete(first.value);
    }
    v = make();
  } else m.delete(key);
  m.set(key, v);
  return v;
}

/** Totals, exporters and interfaces over time. */
export class Throughput {
  readonly totals = new SlotRing(TOTAL_SECONDS, 7);
  private readonly exporters = new Map<string, KeyWindow>();
  private readonly interfaces = new Map<string, KeyWindow & { exporter: string; ifIndex: number }>();

  add(sec: number, d: DeltaTotals): void {
    for (const [k, i] of Object.entries(TOTAL_FIELDS)) this.totals.add(sec, i, d[k as keyof DeltaTotals]);
  }

  addExporters(sec: number, sums: readonly KeyedSums[], nowMs: number): void {
    for (const [exporter, b, p, f] of sums) {
      const w = touch(this.exporters, exporter, MAX_EXPORTERS, () => newWindow(3));
      w.ring.add(sec, 0, b);
      w.ring.add(sec, 1, p);
      w.ring.add(sec, 2, f);
      w.bytes += b;
      w.packets += p;
      w.flows += f;
      w.lastSeenMs = nowMs;
    }
  }

  addInterfaces(sec: number, sums: readonly InterfaceSums[], nowMs: number): void {
    for (const [exporter, ifIndex, dir, b, p, f] of sums) {
      const w = touch(this.interfaces, `${exporter}|${ifIndex}`, MAX_INTERFACES, () => ({
        ...newWindow(4),
        exporter,
        ifIndex,
      }));
      const base = dir === 'in' ? 0 : 2;
      w.ring.add(sec, base, b);
      w.ring.add(sec, base + 1, p);
      w.bytes += b;
      w.packets += p;
      w.flows += f;
      w.lastSeenMs = nowMs;
    }
  }

  /** Sum of a totals field (TOTAL_FIELDS) over [fromSec, toSec). */
  total(field: TotalField, fromSec: number, toSec: number): number {
    return this.totals.sum(field, fromSec, toSec);
  }

  /** The last SERIES_SECONDS complete seconds before `nowSec`. */
  series(nowSec: number): RatePoint[] {
    const out: RatePoint[] = [];
    for (let s = nowSec - SERIES_SECONDS; s < nowSec; s++) {
      out.push({
        t: s * 1000,
        bps: this.totals.at(0, s) * 8,
        pps: this.totals.at(1, s),
        fps: this.totals.at(2, s),
        inBps: this.totals.at(3, s) * 8,
        outBps: this.totals.at(5, s) * 8,
        inPps: this.totals.at(4, s),
        outPps: this.totals.at(6, s),
      });
    }
    return out;
  }

  exporterRates(nowSec: number, div: number): ExporterRate[] {
    const from = nowSec - RATE_SECONDS;
    return [...this.exporters].map(([exporter, w]) => ({
      exporter,
      bps: (w.ring.sum(0, from, nowSec) * 8) / div,
      pps: w.ring.sum(1, from, nowSec) / div,
      fps: w.ring.sum(2, from, nowSec) / div,
      bytes: w.bytes,
      packets: w.packets,
      flows: w.flows,
      lastSeenMs: w.lastSeenMs,
    }));
  }

  interfaceRates(nowSec: number, div: number): InterfaceRate[] {
    const from = nowSec - RATE_SECONDS;
    return [...this.interfaces.values()].map((w) => ({
      exporter: w.exporter,
      ifIndex: w.ifIndex,
      inBps: (w.ring.sum(0, from, nowSec) * 8) / div,
      inPps: w.ring.sum(1, from, nowSec) / div,
      outBps: (w.ring.sum(2, from, nowSec) * 8) / div,
      outPps: w.ring.sum(3, from, nowSec) / div,
      lastSeenMs: w.lastSeenMs,
    }));
  }
}
