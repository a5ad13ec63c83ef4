/**
 * Hosts seen recently, in memory, bounded: the Map's order is least recently
 * updated first (an update re-inserts), so eviction past `maxHosts` and aging
 * past the retention both take from the front.
 */
import type { HostDelta } from './delta.ts';
import type { LocalNetworks } from './local-networks.ts';
import { SlotRing } from './slot-ring.ts';

/** Seconds the host rates average over. */
export const HOST_RATE_SECONDS = 10;
/** Flow counts are kept in 5-second steps for the activity window (up to 5 minutes). */
const FLOW_STEP_SECONDS = 5;
const FLOW_STEPS = 60;
const F_BYTES_IN = 0;
const F_BYTES_OUT = 1;
const F_PACKETS_IN = 2;
const F_PACKETS_OUT = 3;

/** One host, as the live views and client metrics read it. */
export interface HostEntry {
  addr: string;
  name: string | undefined;
  /** Inside `live.localNetworks`: a client. */
  local: boolean;
  bytesIn: number;
  bytesOut: number;
  packetsIn: number;
  packetsOut: number;
  /** Flow records (or meter flows) this host was part of. */
  flows: number;
  firstSeenMs: number;
  lastSeenMs: number;
  /** Per second: bytes/packets in/out, for rates. */
  readonly perSecond: SlotRing;
  /** Flows per 5 seconds, for "active connections". */
  readonly flowSteps: SlotRing;
}

/** Rates of a host over the last HOST_RATE_SECONDS complete seconds. */
export interface HostRates {
  bpsIn: number;
  bpsOut: number;
  ppsIn: number;
  ppsOut: number;
}

/** The host table. */
export class HostTable {
  readonly map = new Map<string, HostEntry>();
  /** Hosts forgotten because the table was full. */
  evicted = 0;
  readonly maxHosts: number;
  readonly local: LocalNetworks;

  constructor(maxHosts: number, local: LocalNetworks) {
    this.maxHosts = maxHosts;
    this.local = local;
  }

  /** Adds a delta's host traffic at `nowMs`; returns the entry. */
  apply(d: HostDelta, nowMs: number): HostEntry {
    let h = this.map.get(d.addr);
    if (h === undefined) {
      if (this.map.size >= this.maxHosts) this.evictOldest();
      h = newEntry(d.addr, this.local.contains(d.addr), nowMs);
    } else {
      this.map.delete(d.addr); // re-inserted below: most recent last
    }
    this.map.set(d.addr, h);
    if (d.name !== undefined) h.name = d.name;
    h.bytesIn += d.bytesIn;
    h.bytesOut += d.bytesOut;
    h.packetsIn += d.packetsIn;
    h.packetsOut += d.packetsOut;
    h.flows += d.flows;
    h.lastSeenMs = Math.max(h.lastSeenMs, nowMs);
    const sec = Math.floor(nowMs / 1000);
    h.perSecond.add(sec, F_BYTES_IN, d.bytesIn);
    h.perSecond.add(sec, F_BYTES_OUT, d.bytesOut);
    h.perSecond.add(sec, F_PACKETS_IN, d.packetsIn);
    h.perSecond.add(sec, F_PACKETS_OUT, d.packetsOut);
    h.flowSteps.add(Math.floor(sec / FLOW_STEP_SECONDS), 0, d.flows);
    return h;
  }

  /** Forgets hosts not seen since `beforeMs`. */
  expire(beforeMs: number): void {
    for (const [addr, h] of this.map) {
      if (h.lastSeenMs >= beforeMs) break;
      this.map.delete(addr);
    }
  }

  private evictOldest(): void {
    const first = this.map.keys().next();
    if (!first.done) {
      this.map.delete(first.value);
      this.evicted++;
    }
  }
}

function newEntry(addr: string, local: boolean, nowMs: number): HostEntry {
  return {
    addr,
    name: undefined,
    local,
    bytesIn: 0,
    bytesOut: 0,
    packetsIn: 0,
    packetsOut: 0,
    flows: 0,
    firstSeenMs: nowMs,
    lastSeenMs: nowMs,
    perSecond: new SlotRing(HOST_RATE_SECONDS + 1, 4),
    flowSteps: new SlotRing(FLOW_STEPS, 1),
  };
}

/**
 * Rates over the HOST_RATE_SECONDS complete seconds before `nowMs` (the
 * current second is still filling). `spanSeconds` shortens the divisor while
 * the service is younger than the window.
 */
export function hostRates(h: HostEntry, nowMs: number, spanSeconds = HOST_RATE_SECONDS): HostRates {
  const to = Math.floor(nowMs / 1000);
  const from = to - HOST_RATE_SECONDS;
  const div = Math.max(1, Math.min(HOST_RATE_SECONDS, spanSeconds));
  return {
    bpsIn: (h.perSecond.sum(F_BYTES_IN, from, to) * 8) / div,
    bpsOut: (h.perSecond.sum(F_BYTES_OUT, from, to) * 8) / div,
    ppsIn: h.perSecond.sum(F_PACKETS_IN, from, to) / div,
    ppsOut: h.perSecond.sum(F_PACKETS_OUT, from, to) / div,
  };
}

/** Flows of the host within the last `windowMs` (in 5-second steps, the current one included). */
export function hostRecentFlows(h: HostEntry, nowMs: number, windowMs: number): number {
  const step = Math.floor(nowMs / 1000 / FLOW_STEP_SECONDS);
  const steps = Math.min(FLOW_STEPS, Math.max(1, Math.ceil(windowMs / 1000 / FLOW_STEP_SECONDS)));
  return h.flowSteps.sum(0, step - steps + 1, step + 1);
}
