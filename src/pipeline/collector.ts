import { Worker, type MessagePort } from 'node:worker_threads';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock, Timer } from '../common/clock.ts';
import type { Logger } from '../common/logger.ts';
import type { Config } from '../config/index.ts';
import {
  createUdpListener,
  readReceiveQueue,
  readSocketDrops,
  type UdpListener,
} from '../ingest/udp/index.ts';
import type { LiveDelta } from '../live/index.ts';
import type { FlowRecord } from '../schema/flow-record.ts';
import { BatchBuilder, batchTransferList } from './batch.ts';
import type { CollectorMetrics } from './metrics.ts';
import type { DecodeWorkerInit, FromWorker, ToWorker } from './messages.ts';
import { createExporterTable, type ExporterSummary } from './exporter-table.ts';
import { sinkInit } from './flow-sink.ts';
import type { EnrichConfig } from '../enrich/index.ts';

/** Live flow collection: UDP listeners feeding decode workers. */
export interface Collector {
  /** Binds every listener and starts the workers; rejects with ListenError naming the key. */
  start(): Promise<void>;
  /** Stops receiving, decodes what was received, saves templates, stops the workers. */
  stop(): Promise<void>;
  /** The most recent decoded flows, newest first. */
  recent(limit: number): Promise<FlowRecord[]>;
  /** Per-exporter statistics. */
  exporters(): ExporterSummary[];
  /** Bound listeners as "key host:port" with the actual port. */
  listeners(): { name: string; port: number }[];
  /** Resolves once every datagram received so far has been decoded and its statistics applied. */
  settle(): Promise<void>;
  /**
   * True once every decode worker has loaded its enrichment databases (or
   * failed to); until then records are collected but not enriched.
   */
  enrichmentLoaded(): boolean;
  /** Live-view deltas from the decode workers (about once a second each); workers sum them only while someone listens. */
  onLive(cb: (delta: LiveDelta) => void): () => void;
}

export interface CollectorDeps {
  config: Config['collector'];
  /** Folder for template state; undefined keeps none. */
  stateDir: string | undefined;
  clock: Clock;
  log: Logger;
  metrics: CollectorMetrics;
  /** A port to the flow store for each decode worker; absent stores nothing. */
  connectStore?: () => MessagePort;
  /** Enrichment in the decode workers; absent leaves records as decoded. */
  enrich?: EnrichConfig;
  /** live.localNetworks, for the live view's in/out split in the workers. */
  localNetworks?: readonly string[];
}

const STATS_INTERVAL_MS = 250;
/** settle() waits at most this many 10 ms polls for the kernel queues to empty. */
const SETTLE_MAX_POLLS = 1000;
const STOP_TIMEOUT_MS = 10_000;
const WORKER_URL = new URL('./decode-worker.ts', import.meta.url);

/** Creates the collector; nothing is opened until start(). */
export function createCollector(deps: CollectorDeps): Collector {
  const { config, clock, log, metrics } = deps;
  const n = config.workers;
  const workers: Worker[] = [];
  const builders = Array.from({ length: n }, () => new BatchBuilder(config.batchDatagrams));
  const queued = new Array<number>(n).fill(0);
  const waiters = new Map<number, (r: FlowRecord[]) => void>();
  const exporters = createExporterTable();
  const liveListeners = new Set<(d: LiveDelta) => void>();
  const setLive = (w: Worker): void =>
    w.postMessage({ t: 'live', enabled: liveListeners.size > 0 } satisfies ToWorker);
  let listeners: UdpListener[] = [];
  let flushTimer: Timer | undefined;
  let sent = 0;
  let dropped = 0;
  let decoded = 0;
  let reqId = 0;
  let enrichedWorkers = 0;

  const workerOf = (exporter: string): number => {
    let h = 0;
    for (let i = 0; i < exporter.length; i++) h = (h * 31 + exporter.charCodeAt(i)) | 0;
    return (h >>> 0) % n;
  };

  const send = (w: number): void => {
    const b = builders[w]!;
    if (b.count === 0) return;
    const batch = b.take();
    if (queued[w]! >= config.maxQueuedBatches) {
      dropped += batch.count;
      metrics.dropped.inc({ stage: 'decode', reason: 'queue_full' }, batch.count);
      return;
    }
    queued[w]!++;
    metrics.queued.set({ worker: String(w) }, queued[w]!);
    sent += batch.count;
    metrics.batches.inc({ worker: String(w) });
    const msg: ToWorker = { t: 'batch', batch };
    workers[w]!.postMessage(msg, batchTransferList(batch));
  };

  const onMessage = (w: number, m: FromWorker): void => {
    switch (m.t) {
      case 'done':
        metrics.apply(m.deltas);
        exporters.apply(m.deltas);
        queued[w]!--;
        metrics.queued.set({ worker: String(w) }, queued[w]!);
        decoded += m.datagrams;
        break;
      case 'stats':
        metrics.apply(m.deltas);
        exporters.apply(m.deltas);
        metrics.templates.set(m.templates);
        metrics.pending.set(m.pending);
        break;
      case 'recent':
        waiters.get(m.id)?.(m.records);
        waiters.delete(m.id);
        break;
      case 'live':
        for (const cb of liveListeners) cb(m.delta);
        break;
      case 'log':
        log[m.level](m.fields, m.msg);
        break;
      case 'enriched':
        enrichedWorkers++;
        break;
      case 'ready':
      case 'stopped':
        break;
    }
  };

  const startWorker = async (i: number, stateFiles: string[]): Promise<Worker> => {
    const storePort = deps.connectStore?.();
    const init: DecodeWorkerInit = {
      index: i,
      holdMs: config.templateHold,
      sink: sinkInit({
        source: `worker-${i}`,
        ringCapacity: Math.ceil(config.recentFlows / n),
        defaultSamplingRate: config.defaultSamplingRate,
        storePort,
        enrich: deps.enrich,
        ...(deps.localNetworks ? { localNetworks: deps.localNetworks } : {}),
      }),
      loadStateFrom: stateFiles,
      saveStateTo: deps.stateDir ? join(deps.stateDir, `templates-w${i}.json`) : undefined,
      statsIntervalMs: STATS_INTERVAL_MS,
    };
    const w = new Worker(WORKER_URL, { workerData: init, transferList: storePort ? [storePort] : [] });
    w.on('message', (m: FromWorker) => onMessage(i, m));
    if (liveListeners.size > 0) setLive(w);
    w.on('error', (err) => log.error({ err, worker: i }, 'decode worker failed'));
    await new Promise<void>((resolve, reject) => {
      w.once('message', () => resolve());
      w.once('error', reject);
    });
    return w;
  };

  const makeListeners = (): UdpListener[] => {
    const keys = [
      ['netflow', config.netflow],
      ['ipfix', config.ipfix],
      ['sflow', config.sflow],
    ] as const;
    return keys.flatMap(([key, l]) =>
      l.listen.map((address) =>
        createUdpListener({
          key: `collector.${key}.listen`,
          address,
          receiveBufferBytes: config.receiveBufferBytes,
          onDatagram(msg, rinfo) {
            metrics.received.inc({ listener: key }, msg.length);
            const w = workerOf(rinfo.address);
            const b = builders[w]!;
            b.add(msg, rinfo.address, clock.now());
            if (b.full) send(w);
          },
        }),
      ),
    );
  };

  return {
    async start() {
      const stateFiles = deps.stateDir ? listStateFiles(deps.stateDir) : [];
      for (let i = 0; i < n; i++) workers.push(await startWorker(i, stateFiles));
      if (deps.stateDir) for (const f of stateFiles) if (!isWorkerFile(f, n)) rmSync(f, { force: true });
      listeners = makeListeners();
      try {
        for (const l of listeners) await l.start();
      } catch (err) {
        await this.stop();
        throw err;
      }
      const ports = listeners.map((l) => l.port());
      metrics.setSocketDropsSource(() => readSocketDrops(ports));
      flushTimer = clock.setInterval(
        () => builders.forEach((_, w) => send(w)),
        Math.max(1, config.batchMaxDelay),
      );
      log.info({ listeners: listeners.map((l) => l.name), workers: n }, 'collector listening');
    },
    async stop() {
      flushTimer?.cancel();
      await Promise.all(listeners.map((l) => l.stop()));
      builders.forEach((_, w) => send(w));
      await Promise.all(workers.map((w) => stopWorker(w)));
      workers.length = 0;
      enrichedWorkers = 0;
      const list = exporters.list();
      log.info(
        {
          datagrams: list.reduce((a, e) => a + e.datagrams, 0),
          records: list.reduce((a, e) => a + e.records, 0),
          droppedQueueFull: dropped,
        },
        'collector stopped: every received datagram decoded',
      );
    },
    async recent(limit) {
      const parts = await Promise.all(
        workers.map(
          (w) =>
            new Promise<FlowRecord[]>((resolve) => {
              const id = ++reqId;
              waiters.set(id, resolve);
              w.postMessage({ t: 'recent', id, limit } satisfies ToWorker);
            }),
        ),
      );
      return parts
        .flat()
        .sort((a, b) => (b.end ?? 0) - (a.end ?? 0))
        .slice(0, limit);
    },
    exporters: () => exporters.list(),
    listeners: () => listeners.map((l) => ({ name: l.name, port: l.port() })),
    enrichmentLoaded: () => workers.length > 0 && enrichedWorkers >= workers.length,
    onLive(cb) {
      liveListeners.add(cb);
      if (liveListeners.size === 1) workers.forEach(setLive);
      return () => {
        liveListeners.delete(cb);
        if (liveListeners.size === 0) workers.forEach(setLive);
      };
    },
    async settle() {
      // First read what the kernel still holds for our sockets, then hand every batch over.
      const ports = listeners.map((l) => l.port());
      for (let i = 0; i < SETTLE_MAX_POLLS; i++) {
        await new Promise((r) => setTimeout(r, 10));
        const waiting = await Promise.all(ports.map((p) => readReceiveQueue(p)));
        if (waiting.every((n) => n === 0)) break;
      }
      builders.forEach((_, w) => send(w));
      // A batch's statistics arrive with its 'done'.
      while (decoded < sent) await new Promise((r) => setTimeout(r, 5));
    },
  };
}

async function stopWorker(w: Worker): Promise<void> {
  const stopped = new Promise<void>((resolve) => {
    w.on('message', (m: FromWorker) => m.t === 'stopped' && resolve());
    w.once('exit', () => resolve());
  });
  w.postMessage({ t: 'stop' } satisfies ToWorker);
  const timeout = new Promise<void>((resolve) => setTimeout(resolve, STOP_TIMEOUT_MS).unref());
  await Promise.race([stopped, timeout]);
  await w.terminate();
}

function listStateFiles(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((f) => /^templates-w\d+\.json$/.test(f))
      .map((f) => join(dir, f));
  } catch {
    return [];
  }
}

function isWorkerFile(file: string, workers: number): boolean {
  const m = /templates-w(\d+)\.json$/.exec(file);
  return m !== null && Number(m[1]) < workers;
}
