/**
 * The per-client Prometheus metrics of the network exporter (contracts.md:
 * names and labels kept so existing dashboards work). A client is a host in
 * live.localNetworks; `client` is its host name when known, else its address;
 * `device_type` is the device inventory's classified type of the device
 * holding the address ("unknown" when none, or without device discovery),
 * read when a client gets its series and again at each re-ranking.
 *
 * Cardinality: at most live.maxClientSeries clients have their own series
 * (the busiest since the last re-ranking; a free slot is taken at once); the
 * traffic of every other client goes to ip="other". Counters never go down:
 * a client displaced from the top keeps its series, frozen at its last value,
 * and its later traffic counts in "other" from then on. Frozen series beyond
 * maxClientSeries are removed oldest first (their last values are remembered,
 * so a client that comes back resumes from where it stopped).
 */
import { Counter, Gauge, type Registry } from 'prom-client';
import { pruneLighterHalf } from './bounded-sums.ts';
import type { LiveDelta } from './delta.ts';
import { hostRates, hostRecentFlows } from './host-table.ts';
import type { LiveState } from './live-state.ts';
import { createLocalNetworks } from './local-networks.ts';
import {
  createClientSeries,
  UNKNOWN_DEVICE_TYPE,
  type ClientSeries,
  type DeviceTypeOf,
  type SeriesSet,
} from './client-series.ts';

/** What the per-client metrics need. */
export interface ClientMetricsDeps {
  registry: Registry;
  live: LiveState;
  /** Clients with their own series (live.maxClientSeries). */
  maxSeries: number;
  /** How often the busiest clients are chosen again; 60 s unless given. */
  rerankIntervalMs?: number;
  /** The `device_type` label of an address (the device inventory); "unknown" for every client without it. */
  deviceTypeOf?: DeviceTypeOf;
}

/** The running per-client metrics. */
export interface ClientMetrics {
  /** Stops listening to the live state (the series stay registered). */
  close(): void;
  /** Chooses the busiest clients now (normally every rerankIntervalMs). */
  rerank(): void;
  /** Addresses with their own live (not frozen) series. */
  members(): string[];
}

const DEFAULT_RERANK_MS = 60_000;
/** Candidates remembered between re-rankings, as a multiple of maxSeries. */
const CANDIDATE_FACTOR = 10;
/** network_clients_by_type keeps this many distinct types (static files may name their own); the rest count as "other". */
const MAX_TYPES = 32;

/** Registers the per-client metrics on `registry` and feeds them from `live`. */
export function createClientMetrics(deps: ClientMetricsDeps): ClientMetrics {
  const { registry, live, maxSeries } = deps;
  const typeOf: DeviceTypeOf = deps.deviceTypeOf ?? (() => UNKNOWN_DEVICE_TYPE);
  const local = createLocalNetworks(live.config.localNetworks);
  const registers = [registry];
  const bytes = new Counter({
    name: 'client_traffic_bytes',
    help: 'Bytes a client received (direction="in") or sent ("out"), sampling applied; ip="other" sums the clients without their own series.',
    labelNames: ['direction', 'ip', 'client', 'device_type'],
    registers,
  });
  const series: SeriesSet = createClientSeries(bytes, maxSeries);
  const candidates = new Map<string, number>();
  let lastRank = live.now();

  const onDelta = (d: LiveDelta): void => {
    for (const h of d.hosts) {
      if (!local.contains(h.addr)) continue;
      const s = series.route(h.addr, h.name, typeOf);
      s.pendingIn += h.bytesIn;
      s.pendingOut += h.bytesOut;
      const weight = (candidates.get(h.addr) ?? 0) + h.bytesIn + h.bytesOut;
      if (!candidates.has(h.addr) && candidates.size >= CANDIDATE_FACTOR * maxSeries)
        pruneLighterHalf(candidates, (v) => v);
      candidates.set(h.addr, weight);
    }
  };

  const rerank = (): void => {
    series.flush();
    const busiest = [...candidates].sort((a, b) => b[1] - a[1]).map(([ip]) => ip);
    series.rerank(busiest, (ip) => live.host(ip)?.name, typeOf);
    candidates.clear();
    lastRank = live.now();
  };

  const onTick = (nowMs: number): void => {
    if (nowMs - lastRank >= (deps.rerankIntervalMs ?? DEFAULT_RERANK_MS)) rerank();
    else series.flush();
  };

  registerGauges(registers, live, series, typeOf);
  const offDelta = live.onDelta(onDelta);
  const offTick = live.onTick(onTick);
  return {
    close() {
      offDelta();
      offTick();
    },
    rerank,
    members: () => [...series.members.keys()],
  };
}

/** Gauges computed at scrape time from the live state. */
function registerGauges(
  registers: Registry[],
  live: LiveState,
  series: SeriesSet,
  typeOf: DeviceTypeOf,
): void {
  const labelNames = ['ip', 'client', 'device_type'] as const;
  const rate = new Gauge({
    name: 'client_traffic_rate_bps',
    help: 'Bits per second a client received ("in") or sent ("out") over the last 10 s; ip="other" sums the rest.',
    labelNames: ['direction', ...labelNames],
    registers,
    collect: pass,
  });
  const connections = new Gauge({
    name: 'client_active_connections',
    help: 'Flows of the client seen within live.activeWindow; ip="other" sums the rest.',
    labelNames,
    registers,
    collect: pass,
  });
  const status = new Gauge({
    name: 'client_status',
    help: '1 when the client was seen within live.activeWindow, else 0.',
    labelNames,
    registers,
    collect: pass,
  });
  const total = new Gauge({
    name: 'network_clients_total',
    help: 'Clients known (hosts in live.localNetworks).',
    registers,
    collect: pass,
  });
  const online = new Gauge({
    name: 'network_clients_online',
    help: 'Clients seen within live.activeWindow.',
    registers,
    collect: pass,
  });
  const byType = new Gauge({
    name: 'network_clients_by_type',
    help: 'Clients known, by device type.',
    labelNames: ['type'],
    registers,
    collect: pass,
  });
  // One pass over the clients fills every gauge; prom-client calls collect() per metric, so the pass is shared per scrape time.
  let lastPass = -1;
  function pass(): void {
    const nowMs = live.now();
    if (nowMs === lastPass) return;
    lastPass = nowMs;
    for (const g of [rate, connections, status, byType]) g.reset();
    const windowMs = live.config.activeWindow;
    const other = { in: 0, out: 0, conns: 0 };
    let known = 0;
    let on = 0;
    const seen = new Set<string>();
    // "unknown" always has a sample, so dashboards see 0 rather than no data.
    const types = new Map<string, number>([[UNKNOWN_DEVICE_TYPE, 0]]);
    for (const h of live.clients()) {
      known++;
      const t = typeOf(h.addr);
      const key = types.has(t) || types.size < MAX_TYPES ? t : 'other';
      types.set(key, (types.get(key) ?? 0) + 1);
      const isOn = h.lastSeenMs >= nowMs - windowMs;
      if (isOn) on++;
      const r = hostRates(h, nowMs);
      const conns = hostRecentFlows(h, nowMs, windowMs);
      const s: ClientSeries | undefined = series.members.get(h.addr);
      if (!s) {
        other.in += r.bpsIn;
        other.out += r.bpsOut;
        other.conns += conns;
        continue;
      }
      seen.add(h.addr);
      rate.set({ direction: 'in', ...s.labels }, r.bpsIn);
      rate.set({ direction: 'out', ...s.labels }, r.bpsOut);
      connections.set(s.labels, conns);
      status.set(s.labels, isOn ? 1 : 0);
    }
    for (const [ip, s] of series.members) if (!seen.has(ip)) status.set(s.labels, 0);
    const o = series.other.labels;
    rate.set({ direction: 'in', ...o }, other.in);
    rate.set({ direction: 'out', ...o }, other.out);
    connections.set(o, other.conns);
    total.set(known);
    online.set(on);
    for (const [type, n] of types) byType.set({ type }, n);
  }
}
