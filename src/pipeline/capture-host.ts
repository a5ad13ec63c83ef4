import { Worker, type MessagePort } from 'node:worker_threads';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { Logger } from '../common/logger.ts';
import type { Config } from '../config/index.ts';
import type { EnrichConfig } from '../enrich/index.ts';
import type { LiveDelta } from '../live/index.ts';
import type { SnoopEvent } from '../meter/index.ts';
import type { CaptureStats, FromCaptureWorker, ToCaptureWorker } from './capture-messages.ts';
import type { CaptureWorkerInit } from './capture-worker.ts';
import { sinkInit } from './flow-sink.ts';

/** Live capture and metering of the configured interfaces, in a worker thread. */
export interface CaptureHost {
  /** Starts the worker (and its dumpcaps) when interfaces are configured; a no-op otherwise. */
  start(): Promise<void>;
  /** Stops dumpcap, exports every flow still metered, stops the worker. */
  stop(): Promise<void>;
  /** The latest interface and meter counters (undefined before the first report). */
  stats(): CaptureStats | undefined;
  /** Live-view deltas of metered flows. */
  onLive(cb: (delta: LiveDelta) => void): () => void;
  /** DHCP, mDNS and SSDP packets the meters saw (device discovery). */
  onSnoop(cb: (e: SnoopEvent) => void): () => void;
}

export interface CaptureHostDeps {
  config: Config['capture'];
  collector: Config['collector'];
  enrich: EnrichConfig | undefined;
  /** live.localNetworks, for the live view's in/out split. */
  localNetworks?: readonly string[];
  connectStore: (() => MessagePort) | undefined;
  log: Logger;
  registry: Registry;
}

const STATS_INTERVAL_MS = 1000;
const STOP_TIMEOUT_MS = 15_000;
const WORKER_URL = new URL('./capture-worker.ts', import.meta.url);

/** Creates the host; nothing runs until start(), and nothing at all without interfaces. */
export function createCaptureHost(deps: CaptureHostDeps): CaptureHost {
  const liveListeners = new Set<(d: LiveDelta) => void>();
  const snoopListeners = new Set<(e: SnoopEvent) => void>();
  const metrics = createCaptureMetrics(deps.registry);
  let worker: Worker | undefined;
  let last: CaptureStats | undefined;
  const onMessage = (m: FromCaptureWorker): void => {
    switch (m.t) {
      case 'stats':
        metrics.update(last, m.stats);
        last = m.stats;
        break;
      case 'live':
        for (const cb of liveListeners) cb(m.delta);
        break;
      case 'snoop':
        metrics.snoopDropped(m.dropped);
        for (const e of m.events) for (const cb of snoopListeners) cb(e);
        break;
      case 'log':
        deps.log[m.level](m.fields, m.msg);
        break;
      case 'ready':
      case 'stopped':
        break;
    }
  };
  return {
    stats: () => last,
    onSnoop(cb) {
      snoopListeners.add(cb);
      return () => snoopListeners.delete(cb);
    },
    onLive(cb) {
      liveListeners.add(cb);
      worker?.postMessage({ t: 'live', enabled: true } satisfies ToCaptureWorker);
      return () => liveListeners.delete(cb);
    },
    async start() {
      if (deps.config.interfaces.length === 0) return;
      const storePort = deps.connectStore?.();
      const init: CaptureWorkerInit = {
        interfaces: deps.config.interfaces.map(({ netns, ...i }) => ({ ...i, ...(netns ? { netns } : {}) })),
        dumpcapPath: deps.config.dumpcap,
        statsIntervalMs: STATS_INTERVAL_MS,
        sink: sinkInit({
          source: 'capture',
          ringCapacity: deps.collector.recentFlows,
          defaultSamplingRate: 1,
          storePort,
          enrich: deps.enrich,
          ...(deps.localNetworks ? { localNetworks: deps.localNetworks } : {}),
        }),
      };
      const w = new Worker(WORKER_URL, { workerData: init, transferList: storePort ? [storePort] : [] });
      w.on('message', onMessage);
      w.on('error', (err) => deps.log.error({ err }, 'capture worker failed'));
      await new Promise<void>((resolve, reject) => {
        w.once('message', () => resolve());
        w.once('error', reject);
      });
      if (liveListeners.size > 0) w.postMessage({ t: 'live', enabled: true } satisfies ToCaptureWorker);
      worker = w;
      deps.log.info({ interfaces: init.interfaces.map((i) => i.name) }, 'live capture started');
    },
    async stop() {
      const w = worker;
      worker = undefined;
      if (!w) return;
      const stopped = new Promise<void>((resolve) => {
        w.on('message', (m: FromCaptureWorker) => m.t === 'stopped' && resolve());
        w.once('exit', () => resolve());
      });
      w.postMessage({ t: 'stop' } satisfies ToCaptureWorker);
      await Promise.race([stopped, new Promise((r) => setTimeout(r, STOP_TIMEOUT_MS).unref())]);
      await w.terminate();
    },
  };
}

/** flowlens_capture_* metrics, from the worker's cumulative counters. */
function createCaptureMetrics(registry: Registry) {
  const registers = [registry];
  const packets = new Counter({
    name: 'flowlens_capture_packets_total',
    help: 'Packets captured, by interface.',
    labelNames: ['interface'],
    registers,
  });
  const drops = new Counter({
    name: 'flowlens_capture_dropped_total',
    help: 'Packets dumpcap reported dropped, by interface.',
    labelNames: ['interface'],
    registers,
  });
  const flows = new Counter({
    name: 'flowlens_meter_flows_exported_total',
    help: 'Flows the meter exported, by interface.',
    labelNames: ['interface'],
    registers,
  });
  const active = new Gauge({
    name: 'flowlens_meter_active_flows',
    help: 'Flows in the meter table, by interface.',
    labelNames: ['interface'],
    registers,
  });
  const snoopDrops = new Counter({
    name: 'flowlens_capture_snoop_dropped_total',
    help: 'Discovery packets (DHCP, mDNS, SSDP) not forwarded to device discovery: over the per-second bound.',
    registers,
  });
  const inc = (c: Counter, name: string, now: number, before: number | undefined): void => {
    if (now > (before ?? 0)) c.inc({ interface: name }, now - (before ?? 0));
  };
  return {
    snoopDropped(n: number): void {
      if (n > 0) snoopDrops.inc(n);
    },
    update(prev: CaptureStats | undefined, next: CaptureStats): void {
      for (const i of next.interfaces) {
        const p = prev?.interfaces.find((x) => x.name === i.name);
        inc(packets, i.name, i.packets, p?.packets);
        inc(drops, i.name, i.drops, p?.drops);
      }
      for (const m of next.meters) {
        const p = prev?.meters.find((x) => x.name === m.name);
        inc(flows, m.name, m.flowsExported, p?.flowsExported);
        active.set({ interface: m.name }, m.activeFlows);
      }
    },
  };
}
