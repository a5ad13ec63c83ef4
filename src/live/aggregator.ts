/**
 * The producer side of the live view: sums flow records into one interval's
 * delta. Runs on the hot path of the decode workers (and beside a meter), so
 * it keeps mutable accumulators, no per-record objects except for the few
 * flows that enter the largest-flows heap, and bounded maps.
 */
import type { FlowRecord } from '../schema/flow-record.ts';
import { BoundedSums } from './bounded-sums.ts';
import { DEFAULT_LOCAL_NETWORKS } from './config.ts';
import type { InterfaceSums, KeyedSums, LiveDelta, TopDimension } from './delta.ts';
import { HostSums } from './host-sums.ts';
import { LargestFlows } from './largest-flows.ts';
import { createLocalNetworks } from './local-networks.ts';

/** Bounds of one interval's sums. */
export interface LiveAggregatorOptions {
  /** Names the deltas ("worker-0"). */
  source: string;
  /** Start of the first interval (epoch ms). */
  startMs: number;
  /** Hosts summed per interval; past this the lighter half is pruned. */
  maxHosts?: number;
  /** Keys per top dimension per interval. */
  maxKeys?: number;
  /** Largest flows reported per interval. */
  maxFlows?: number;
  /** CIDR blocks of live.localNetworks: traffic crossing their edge is "in" or "out" (default DEFAULT_LOCAL_NETWORKS). */
  localNetworks?: readonly string[];
}

/** Sums records into deltas; `drain` closes the interval. */
export interface LiveAggregator {
  /** Adds one record (bytes and packets are scaled by its samplingRate); `nowMs` is its arrival. */
  add(r: FlowRecord, nowMs: number): void;
  /** The interval's delta (ending at `nowMs`); starts the next one. */
  drain(nowMs: number): LiveDelta;
  /** Records added in the current interval. */
  readonly pending: number;
}

interface IfAcc {
  bi: number;
  pi: number;
  fi: number;
  bo: number;
  po: number;
  fo: number;
}

interface ExporterAcc {
  b: number;
  p: number;
  f: number;
  ifs: Map<number, IfAcc>;
}

/**
 * A record that ended this long before the newest end its exporter reported
 * is late: a replay, a backfill, a cache flushed after an outage. It is
 * stored, but it is not live traffic (counting it at its arrival would show a
 * burst that never happened). Exporters end flows within their inactive
 * timeout (15-60 s usually), so live records stay far inside this bound. The
 * comparison uses the exporter's own clock, so a skewed router clock does not
 * make its records late.
 */
export const LATE_AFTER_MS = 5 * 60_000;
/** Intervals with nothing but late records after which an exporter's clock is taken to have gone back. */
export const CLOCK_RESET_INTERVALS = 60;
const MAX_CLOCKS = 10_000;

/** An exporter's clock as its records tell it. */
interface ExporterClock {
  /** Newest end among its live records. */
  latestEnd: number;
  /** Newest end among all its records of the interval. */
  intervalEnd: number;
  liveInInterval: number;
  lateIntervals: number;
}

const DEFAULT_MAX_HOSTS = 8192;
const DEFAULT_MAX_KEYS = 1024;
const DEFAULT_MAX_FLOWS = 100;
/** IANA protocol numbers fit in a byte. */
const PROTOCOLS = 256;

/** A fresh aggregator; see LiveAggregatorOptions for the bounds. */
export function createLiveAggregator(opts: LiveAggregatorOptions): LiveAggregator {
  const maxHosts = opts.maxHosts ?? DEFAULT_MAX_HOSTS;
  const maxKeys = opts.maxKeys ?? DEFAULT_MAX_KEYS;
  const flows = new LargestFlows(opts.maxFlows ?? DEFAULT_MAX_FLOWS);
  const exporters = new Map<string, ExporterAcc>();
  const protocols = new Float64Array(PROTOCOLS * 3);
  const dims = {
    applications: new BoundedSums(maxKeys),
    categories: new BoundedSums(maxKeys),
    as: new BoundedSums(maxKeys),
    countries: new BoundedSums(maxKeys),
  };
  const t = { bytes: 0, packets: 0, flows: 0, startMs: opts.startMs, pending: 0, late: 0 };
  const clocks = new Map<string, ExporterClock>();
  // Records arrive in runs from one exporter: the last clock saves the lookup.
  let lastExporter = '';
  let lastClock: ExporterClock | undefined;

  /** True when the record ended well before the newest end its exporter has reported. */
  const isLate = (exporter: string, end: number): boolean => {
    let c = exporter === lastExporter ? lastClock : clocks.get(exporter);
    if (c === undefined) {
      if (clocks.size >= MAX_CLOCKS) clocks.delete(clocks.keys().next().value!);
      c = { latestEnd: end, intervalEnd: end, liveInInterval: 0, lateIntervals: 0 };
      clocks.set(exporter, c);
    }
    lastExporter = exporter;
    lastClock = c;
    if (end > c.intervalEnd) c.intervalEnd = end;
    if (c.latestEnd - end > LATE_AFTER_MS) return true;
    if (end > c.latestEnd) c.latestEnd = end;
    c.liveInInterval++;
    return false;
  };

  /** Closes every exporter clock's interval; one that sent nothing but late records for long has gone back in time. */
  const closeClocks = (): void => {
    for (const c of clocks.values()) {
      if (c.intervalEnd === -Infinity) continue;
      if (c.liveInInterval > 0) c.lateIntervals = 0;
      else if (++c.lateIntervals >= CLOCK_RESET_INTERVALS) {
        c.latestEnd = c.intervalEnd;
        c.lateIntervals = 0;
      }
      c.intervalEnd = -Infinity;
      c.liveInInterval = 0;
    }
  };
  let lastSumsOf: string | undefined;
  let lastSums: ExporterAcc | undefined;
  const local = createLocalNetworks(opts.localNetworks ?? DEFAULT_LOCAL_NETWORKS);
  const hosts = new HostSums(maxHosts, (addr, v4) => (v4 >= 0 ? local.containsV4(v4) : local.contains(addr)));
  /** Bytes and packets entering the local networks (remote -> local) and leaving them (local -> remote). */
  const dir = { bi: 0, pi: 0, bo: 0, po: 0 };

  const iface = (e: ExporterAcc, ifIndex: number): IfAcc => {
    let a = e.ifs.get(ifIndex);
    if (a === undefined) {
      a = { bi: 0, pi: 0, fi: 0, bo: 0, po: 0, fo: 0 };
      e.ifs.set(ifIndex, a);
    }
    return a;
  };

  const addInterfaces = (e: ExporterAcc, r: FlowRecord, b: number, p: number, rb: number, rp: number) => {
    // Forward traffic entered at inIf and left by outIf; a biflow's reverse the other way round.
    if (r.inIf !== undefined) {
      const a = iface(e, r.inIf);
      a.bi += b;
      a.pi += p;
      a.fi++;
      a.bo += rb;
      a.po += rp;
    }
    if (r.outIf !== undefined) {
      const a = iface(e, r.outIf);
      a.bo += b;
      a.po += p;
      a.fo++;
      a.bi += rb;
      a.pi += rp;
    }
  };

  const addHosts = (r: FlowRecord, b: number, p: number, rb: number, rp: number): void => {
    let srcLocal: boolean | undefined;
    let dstLocal: boolean | undefined;
    if (r.srcAddr !== undefined) {
      const i = hosts.slot(r.srcAddr, r.srcHost);
      hosts.add(i, b, p, rb, rp);
      srcLocal = hosts.local[i] === 1;
    }
    if (r.dstAddr !== undefined && r.dstAddr !== r.srcAddr) {
      const i = hosts.slot(r.dstAddr, r.dstHost);
      hosts.add(i, rb, rp, b, p);
      dstLocal = hosts.local[i] === 1;
    }
    // Only traffic crossing the edge of the local networks has a direction:
    // local <-> local and remote <-> remote (transit) count in the totals only.
    if (srcLocal === true && dstLocal === false) {
      dir.bo += b;
      dir.po += p;
      dir.bi += rb;
      dir.pi += rp;
    } else if (srcLocal === false && dstLocal === true) {
      dir.bi += b;
      dir.pi += p;
      dir.bo += rb;
      dir.po += rp;
    }
  };

  const addDimensions = (r: FlowRecord, b: number, p: number): void => {
    if (r.proto !== undefined && r.proto >= 0 && r.proto < PROTOCOLS) {
      const i = r.proto * 3;
      protocols[i] = protocols[i]! + b;
      protocols[i + 1] = protocols[i + 1]! + p;
      protocols[i + 2] = protocols[i + 2]! + 1;
    }
    if (r.appProto !== undefined) dims.applications.add(r.appProto, b, p, 1);
    if (r.appCategory !== undefined) dims.categories.add(r.appCategory, b, p, 1);
    // AS 0 means "unknown / private" (RFC 7607): not a talker.
    if (r.srcAs) dims.as.add(String(r.srcAs), b, p, 1, r.srcAsName);
    if (r.dstAs && r.dstAs !== r.srcAs) dims.as.add(String(r.dstAs), b, p, 1, r.dstAsName);
    if (r.srcCountry !== undefined) dims.countries.add(r.srcCountry, b, p, 1);
    if (r.dstCountry !== undefined && r.dstCountry !== r.srcCountry)
      dims.countries.add(r.dstCountry, b, p, 1);
  };

  return {
    get pending() {
      return t.pending;
    },
    add(r, nowMs) {
      t.pending++;
      if (r.end !== undefined && isLate(r.exporter, r.end)) {
        t.late++;
        return;
      }
      const rate = r.samplingRate !== undefined && r.samplingRate > 1 ? r.samplingRate : 1;
      const b = r.bytes * rate;
      const p = r.packets * rate;
      const rb = (r.reverseBytes ?? 0) * rate;
      const rp = (r.reversePackets ?? 0) * rate;
      t.bytes += b + rb;
      t.packets += p + rp;
      t.flows++;
      // Runs of records share their exporter: the last one's sums save the lookup.
      let e = r.exporter === lastSumsOf ? lastSums : exporters.get(r.exporter);
      if (e === undefined) {
        e = { b: 0, p: 0, f: 0, ifs: new Map() };
        exporters.set(r.exporter, e);
      }
      lastSumsOf = r.exporter;
      lastSums = e;
      e.b += b + rb;
      e.p += p + rp;
      e.f++;
      addInterfaces(e, r, b, p, rb, rp);
      addHosts(r, b, p, rb, rp);
      addDimensions(r, b + rb, p + rp);
      flows.offer(r, b, p, rb, rp, nowMs);
    },
    drain(nowMs) {
      const d: LiveDelta = {
        source: opts.source,
        startMs: t.startMs,
        endMs: nowMs,
        bytes: t.bytes,
        packets: t.packets,
        flows: t.flows,
        lateRecords: t.late,
        bytesIn: dir.bi,
        packetsIn: dir.pi,
        bytesOut: dir.bo,
        packetsOut: dir.po,
        exporters: drainExporters(exporters),
        interfaces: drainInterfaces(exporters),
        hostsPruned: hosts.pruned,
        hosts: hosts.drain(),
        top: {
          protocols: drainProtocols(protocols),
          applications: dims.applications.drain(),
          categories: dims.categories.drain(),
          as: dims.as.drain(),
          countries: dims.countries.drain(),
        } satisfies Record<TopDimension, KeyedSums[]>,
        largestFlows: flows.drain(),
      };
      exporters.clear();
      lastSumsOf = undefined;
      lastSums = undefined;
      closeClocks();
      Object.assign(dir, { bi: 0, pi: 0, bo: 0, po: 0 });
      Object.assign(t, { bytes: 0, packets: 0, flows: 0, startMs: nowMs, pending: 0, late: 0 });
      return d;
    },
  };
}

function drainExporters(exporters: Map<string, ExporterAcc>): KeyedSums[] {
  return [...exporters].map(([k, e]): KeyedSums => [k, e.b, e.p, e.f]);
}

function drainInterfaces(exporters: Map<string, ExporterAcc>): InterfaceSums[] {
  const out: InterfaceSums[] = [];
  for (const [exporter, e] of exporters) {
    for (const [ifIndex, a] of e.ifs) {
      if (a.bi > 0 || a.fi > 0) out.push([exporter, ifIndex, 'in', a.bi, a.pi, a.fi]);
      if (a.bo > 0 || a.fo > 0) out.push([exporter, ifIndex, 'out', a.bo, a.po, a.fo]);
    }
  }
  return out;
}

function drainProtocols(protocols: Float64Array): KeyedSums[] {
  const out: KeyedSums[] = [];
  for (let i = 0; i < PROTOCOLS; i++) {
    if (protocols[i * 3 + 2] === 0) continue;
    out.push([String(i), protocols[i * 3]!, protocols[i * 3 + 1]!, protocols[i * 3 + 2]!]);
  }
  protocols.fill(0);
  return out;
}
