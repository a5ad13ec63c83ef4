/**
 * Active flows. Exported flows (NetFlow/IPFIX/sFlow) carry no "still open"
 * state, so an exported flow is active when a record of it arrived within
 * `live.activeWindow`; only the largest flows of each interval reach the main
 * thread, summed per 5-tuple in a bounded map. Metered flows are exact: the
 * meter hands in snapshots of its flow table, replacing the previous one.
 */
import type { LiveFlow } from './delta.ts';

/** Sort orders of the active-flow list. */
export type FlowSort = 'bytes' | 'packets' | 'lastSeen';

/** A filter and page of active flows. */
export interface FlowQuery {
  limit?: number;
  offset?: number;
  sort?: FlowSort;
  /** Only flows with this address on either side. */
  host?: string;
  exporter?: string;
}

/** An active flow and where it came from. */
export interface ActiveFlow extends LiveFlow {
  source: 'exported' | 'metered';
}

/** A page of active flows. */
export interface FlowPage {
  /** Flows listed that match (before limit/offset). */
  total: number;
  /** Flow records received within the activity window (exported) plus metered active flows: the best count of active flows. */
  activeEstimate: number;
  items: ActiveFlow[];
}

const keyOf = (f: LiveFlow): string =>
  `${f.exporter}|${f.srcAddr ?? ''}|${f.dstAddr ?? ''}|${f.srcPort ?? ''}|${f.dstPort ?? ''}|${f.proto ?? ''}`;

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 1000;

/** The active-flow tables. */
export class ActiveFlows {
  private readonly exported = new Map<string, ActiveFlow>();
  private readonly metered = new Map<string, { atMs: number; flows: LiveFlow[] }>();
  readonly maxFlows: number;
  readonly windowMs: number;

  constructor(maxFlows: number, windowMs: number) {
    this.maxFlows = maxFlows;
    this.windowMs = windowMs;
  }

  /** Adds the largest flows of a delta (a repeated 5-tuple adds up). */
  addExported(flows: readonly LiveFlow[]): void {
    for (const f of flows) {
      const k = keyOf(f);
      const old = this.exported.get(k);
      if (old) {
        this.exported.delete(k);
        old.bytes += f.bytes;
        old.packets += f.packets;
        if (f.reverseBytes !== undefined) old.reverseBytes = (old.reverseBytes ?? 0) + f.reverseBytes;
        if (f.reversePackets !== undefined) old.reversePackets = (old.reversePackets ?? 0) + f.reversePackets;
        old.lastSeenMs = Math.max(old.lastSeenMs, f.lastSeenMs);
        if (f.end !== undefined) old.end = Math.max(old.end ?? 0, f.end);
        this.exported.set(k, old);
        continue;
      }
      if (this.exported.size >= this.maxFlows) {
        const first = this.exported.keys().next();
        if (!first.done) this.exported.delete(first.value);
      }
      this.exported.set(k, { ...f, source: 'exported' });
    }
  }

  /** Replaces the active flows of one meter (`source`) with its latest snapshot. */
  setMetered(source: string, flows: readonly LiveFlow[], nowMs: number): void {
    this.metered.set(source, { atMs: nowMs, flows: [...flows] });
  }

  /** Drops exported flows older than the window and meter snapshots that stopped coming. */
  expire(nowMs: number): void {
    const before = nowMs - this.windowMs;
    for (const [k, f] of this.exported) {
      if (f.lastSeenMs >= before) break; // least recently seen first
      this.exported.delete(k);
    }
    for (const [s, m] of this.metered) if (m.atMs < before) this.metered.delete(s);
  }

  /** Metered active flows in total. */
  meteredCount(): number {
    let n = 0;
    for (const m of this.metered.values()) n += m.flows.length;
    return n;
  }

  /** Filtered, sorted, paged list; `recentRecords` is the exported records count of the window. */
  query(q: FlowQuery, recentRecords: number): FlowPage {
    const match = (f: LiveFlow): boolean =>
      (q.host === undefined || f.srcAddr === q.host || f.dstAddr === q.host) &&
      (q.exporter === undefined || f.exporter === q.exporter);
    const all: ActiveFlow[] = [...this.exported.values()].filter(match);
    for (const m of this.metered.values())
      for (const f of m.flows) if (match(f)) all.push({ ...f, source: 'metered' });
    const sort = q.sort ?? 'bytes';
    const weight = (f: ActiveFlow): number =>
      sort === 'bytes'
        ? f.bytes + (f.reverseBytes ?? 0)
        : sort === 'packets'
          ? f.packets + (f.reversePackets ?? 0)
          : f.lastSeenMs;
    all.sort((a, b) => weight(b) - weight(a));
    const offset = Math.max(0, q.offset ?? 0);
    const limit = Math.min(MAX_LIMIT, Math.max(0, q.limit ?? DEFAULT_LIMIT));
    return {
      total: all.length,
      activeEstimate: recentRecords + this.meteredCount(),
      items: all.slice(offset, offset + limit),
    };
  }
}
