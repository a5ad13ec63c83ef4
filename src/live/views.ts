/**
 * What the live views return: the /api/v1/stats snapshot, host pages and the
 * throughput view (JSON-ready; times are epoch milliseconds).
 */
import type { ExporterRate, InterfaceRate, RatePoint } from './throughput.ts';
import type { TopEntry, TopList, TopWindow } from './top-windows.ts';

/** Current rates, overall and per exporter and interface. */
export interface ThroughputView {
  atMs: number;
  /** Averages over the last 10 complete seconds. */
  bps: number;
  pps: number;
  fps: number;
  /** Entering live.localNetworks from outside, and leaving them (internal and transit traffic is in neither). */
  inBps: number;
  outBps: number;
  inPps: number;
  outPps: number;
  exporters: ExporterRate[];
  interfaces: InterfaceRate[];
}

/** GET /api/v1/stats: everything the dashboard's first screen shows. */
export interface StatsSnapshot {
  atMs: number;
  /** The window of `totals` and `top`. */
  window: TopWindow;
  totals: { bytes: number; packets: number; flows: number };
  throughput: ThroughputView & { series: RatePoint[] };
  /** Best count of active flows: exported records within live.activeWindow plus metered active flows. */
  activeFlows: number;
  /** Hosts seen within live.activeWindow. */
  activeHosts: number;
  /** Hosts inside live.localNetworks: known, and seen within live.activeWindow. */
  clients: { total: number; online: number };
  top: Record<TopList, TopEntry[]>;
}

/** One host with its rates. */
export interface HostView {
  addr: string;
  name?: string;
  local: boolean;
  /** Seen within live.activeWindow. */
  active: boolean;
  bytesIn: number;
  bytesOut: number;
  packetsIn: number;
  packetsOut: number;
  flows: number;
  /** Flows within live.activeWindow. */
  recentFlows: number;
  bpsIn: number;
  bpsOut: number;
  ppsIn: number;
  ppsOut: number;
  firstSeenMs: number;
  lastSeenMs: number;
}

/** Sort orders of the host list (largest / newest first); `sent`/`received`: by the rate out of / into the host. */
export type HostSort = 'bytes' | 'rate' | 'sent' | 'received' | 'flows' | 'lastSeen' | 'firstSeen';

/** A filter and page of hosts. */
export interface HostQuery {
  limit?: number;
  offset?: number;
  sort?: HostSort;
  /** Only clients (true) or only others (false). */
  local?: boolean;
  /** Only hosts seen within live.activeWindow. */
  active?: boolean;
  /** Substring of the address or name. */
  search?: string;
}

/** A page of hosts. */
export interface HostPage {
  total: number;
  items: HostView[];
}
