/**
 * The main thread's live state: merges the producers' deltas into sliding
 * windows and answers the live views without touching the store. Ticks once
 * per live.pushInterval to age entries and notify listeners (WebSocket push,
 * per-client metrics). Answers are cached until the next delta or tick.
 */
import type { Clock, Timer } from '../common/clock.ts';
import { ActiveFlows, type FlowPage, type FlowQuery } from './active-flows.ts';
import type { LiveConfig } from './config.ts';
import { TOP_DIMENSIONS, type KeyedSums, type LiveDelta, type LiveFlow } from './delta.ts';
import { HostTable, type HostEntry } from './host-table.ts';
import { queryHosts, toHostView } from './host-query.ts';
import { createLocalNetworks } from './local-networks.ts';
import { RATE_SECONDS, Throughput } from './throughput.ts';
import {
  TOP_LISTS,
  TopWindows,
  WINDOW_SECONDS,
  type TopEntry,
  type TopList,
  type TopWindow,
} from './top-windows.ts';
import type { HostPage, HostQuery, HostView, StatsSnapshot, ThroughputView } from './views.ts';

/** What the live state needs. */
export interface LiveStateDeps {
  clock: Clock;
  config: LiveConfig;
}

/** The stats query: window of the totals and top lists, entries per list. */
export interface StatsQuery {
  window?: TopWindow;
  limit?: number;
}

/** The live state (main thread). */
export interface LiveState {
  /** Starts the tick timer. */
  start(): void;
  stop(): void;
  /** Merges a producer's delta (decode worker, meter), timed at its arrival. */
  apply(delta: LiveDelta): void;
  /** Replaces the active flows of a meter (`source`, e.g. "meter:eth0") with its latest snapshot. */
  setActiveFlows(source: string, flows: readonly LiveFlow[]): void;
  /** GET /api/v1/stats. */
  snapshot(q?: StatsQuery): StatsSnapshot;
  throughput(): ThroughputView;
  top(list: TopList, window?: TopWindow, limit?: number): TopEntry[];
  hosts(q?: HostQuery): HostPage;
  host(addr: string): HostView | undefined;
  activeFlows(q?: FlowQuery): FlowPage;
  /** Hosts inside live.localNetworks (the per-client metrics read them). */
  clients(): IterableIterator<HostEntry>;
  /** Called with every delta after it is merged; returns the unsubscribe. */
  onDelta(cb: (d: LiveDelta) => void): () => void;
  /** Called once per tick, after aging; returns the unsubscribe. */
  onTick(cb: (nowMs: number) => void): () => void;
  readonly config: LiveConfig;
  now(): number;
}

/** Keys kept per 10-second bucket and top list. */
const KEYS_PER_BUCKET = 256;
const MAX_TOP_LIMIT = 100;
const DEFAULT_TOP_LIMIT = 10;

/** An inert live state; `apply` works before `start` (tests, files). */
export function createLiveState(deps: LiveStateDeps): LiveState {
  const { clock, config } = deps;
  const hostTable = new HostTable(config.maxHosts, createLocalNetworks(config.localNetworks));
  const flows = new ActiveFlows(config.maxActiveFlows, config.activeWindow);
  const rates = new Throughput();
  const tops = new TopWindows(KEYS_PER_BUCKET);
  const deltaListeners = new Set<(d: LiveDelta) => void>();
  const tickListeners = new Set<(nowMs: number) => void>();
  const startSec = Math.floor(clock.now() / 1000);
  const cache = new Map<string, unknown>();
  let timer: Timer | undefined;

  const cached = <T>(key: string, make: () => T): T => {
    if (cache.has(key)) return cache.get(key) as T;
    const v = make();
    cache.set(key, v);
    return v;
  };
  /** Seconds the state has existed, capped to a window: rates divide by it at start. */
  const span = (nowSec: number, window: number): number => Math.max(1, Math.min(window, nowSec - startSec));

  const throughputView = (): ThroughputView =>
    cached('throughput', () => {
      const nowMs = clock.now();
      const sec = Math.floor(nowMs / 1000);
      const div = span(sec, RATE_SECONDS);
      const from = sec - RATE_SECONDS;
      return {
        atMs: nowMs,
        bps: (rates.total(0, from, sec) * 8) / div,
        pps: rates.total(1, from, sec) / div,
        fps: rates.total(2, from, sec) / div,
        inBps: (rates.total(3, from, sec) * 8) / div,
        outBps: (rates.total(5, from, sec) * 8) / div,
        inPps: rates.total(4, from, sec) / div,
        outPps: rates.total(6, from, sec) / div,
        exporters: rates.exporterRates(sec, div),
        interfaces: rates.interfaceRates(sec, div),
      };
    });

  const top = (list: TopList, window: TopWindow = '1m', limit = DEFAULT_TOP_LIMIT): TopEntry[] => {
    const all = cached(`top|${list}|${window}`, () => {
      const nowMs = clock.now();
      const s = span(Math.floor(nowMs / 1000), WINDOW_SECONDS[window]);
      return tops.top(list, window, MAX_TOP_LIMIT, nowMs, s);
    });
    return all.slice(0, Math.max(0, Math.min(MAX_TOP_LIMIT, limit)));
  };

  const counts = () =>
    cached('counts', () => {
      const since = clock.now() - config.activeWindow;
      let active = 0;
      let clients = 0;
      let online = 0;
      for (const h of hostTable.map.values()) {
        const on = h.lastSeenMs >= since;
        if (on) active++;
        if (h.local) {
          clients++;
          if (on) online++;
        }
      }
      return { active, clients, online };
    });

  const recentRecords = (): number => {
    const sec = Math.floor(clock.now() / 1000);
    return rates.total(2, sec - Math.ceil(config.activeWindow / 1000) + 1, sec + 1);
  };

  const snapshot = (q: StatsQuery = {}): StatsSnapshot => {
    const window = q.window ?? '1m';
    const limit = q.limit ?? DEFAULT_TOP_LIMIT;
    return cached(`snapshot|${window}|${limit}`, () => {
      const nowMs = clock.now();
      const sec = Math.floor(nowMs / 1000);
      const from = sec - WINDOW_SECONDS[window] + 1;
      const c = counts();
      return {
        atMs: nowMs,
        window,
        totals: {
          bytes: rates.total(0, from, sec + 1),
          packets: rates.total(1, from, sec + 1),
          flows: rates.total(2, from, sec + 1),
        },
        throughput: { ...throughputView(), series: rates.series(sec) },
        activeFlows: recentRecords() + flows.meteredCount(),
        activeHosts: c.active,
        clients: { total: c.clients, online: c.online },
        top: Object.fromEntries(TOP_LISTS.map((l) => [l, top(l, window, limit)])) as Record<
          TopList,
          TopEntry[]
        >,
      };
    });
  };

  const apply = (d: LiveDelta): void => {
    const nowMs = clock.now();
    const sec = Math.floor(nowMs / 1000);
    rates.add(sec, d);
    rates.addExporters(sec, d.exporters, nowMs);
    rates.addInterfaces(sec, d.interfaces, nowMs);
    const talkers: KeyedSums[] = [];
    for (const h of d.hosts) {
      const e = hostTable.apply(h, nowMs);
      const sums: KeyedSums = [h.addr, h.bytesIn + h.bytesOut, h.packetsIn + h.packetsOut, h.flows];
      if (e.name !== undefined) sums.push(e.name);
      talkers.push(sums);
    }
    tops.add('talkers', talkers, nowMs);
    for (const dim of TOP_DIMENSIONS) tops.add(dim, d.top[dim], nowMs);
    flows.addExported(d.largestFlows);
    cache.clear();
    for (const cb of deltaListeners) cb(d);
  };

  const tick = (): void => {
    const nowMs = clock.now();
    hostTable.expire(nowMs - config.hostRetention);
    flows.expire(nowMs);
    cache.clear();
    for (const cb of tickListeners) cb(nowMs);
  };

  return {
    config,
    now: () => clock.now(),
    start() {
      timer ??= clock.setInterval(tick, config.pushInterval);
    },
    stop() {
      timer?.cancel();
      timer = undefined;
    },
    apply,
    setActiveFlows(source, list) {
      flows.setMetered(source, list, clock.now());
      cache.clear();
    },
    snapshot,
    throughput: throughputView,
    top,
    hosts: (q = {}) =>
      queryHosts(
        hostTable.map.values(),
        q,
        clock.now(),
        config.activeWindow,
        span(Math.floor(clock.now() / 1000), RATE_SECONDS),
      ),
    host(addr) {
      const h = hostTable.map.get(addr);
      const nowMs = clock.now();
      return h && toHostView(h, nowMs, config.activeWindow, span(Math.floor(nowMs / 1000), RATE_SECONDS));
    },
    activeFlows: (q = {}) => flows.query(q, recentRecords()),
    *clients() {
      for (const h of hostTable.map.values()) if (h.local) yield h;
    },
    onDelta(cb) {
      deltaListeners.add(cb);
      return () => deltaListeners.delete(cb);
    },
    onTick(cb) {
      tickListeners.add(cb);
      return () => tickListeners.delete(cb);
    },
  };
}
