/**
 * The main thread's handle on the store worker: starts it, hands each
 * producer (decode worker) a MessagePort wired straight to it, exposes its
 * counters as Prometheus metrics, and stops it after the producers.
 */
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { Logger } from '../../common/logger.ts';
import type { DuckDbStoreConfig } from '../duckdb/store.ts';
import { StoreLockedError } from '../duckdb/open.ts';
import { capabilitiesOf } from '../clickhouse/capabilities.ts';
import type { ClickhouseStoreConfig } from '../clickhouse/config.ts';
import { createClickhouseDialect } from '../clickhouse/dialect.ts';
import { createLateDialect } from '../clickhouse/late-dialect.ts';
import { duckdbDialect } from '../duckdb/dialect.ts';
import type { QueryRunner, StoreStats } from '../ports.ts';
import { createQueryRunnerProxy } from './query-channel.ts';
import type { FromStoreWorker, StoreWorkerInit, ToStoreWorker } from './messages.ts';

/** The store worker as the main thread sees it. */
export interface StoreHost {
  /** Starts the worker; rejects when the store cannot open (StoreLockedError when another process holds it). */
  start(): Promise<void>;
  /** A port for one producer; transfer it to the producer's thread. */
  connectProducer(): MessagePort;
  /** Writes what the store has queued. */
  flush(): Promise<void>;
  /** Waits for producers to end, flushes and closes. Call after the producers stopped. */
  stop(): Promise<void>;
  stats(): StoreStats | undefined;
  /** Runs queries in the worker (query-channel.ts); they reject with StoreUnavailableError while it is not running. */
  readonly runner: QueryRunner;
}

export interface StoreHostDeps {
  config: DuckDbStoreConfig;
  /** When set, the store is this ClickHouse database (`config` still gives retention). */
  clickhouse?: ClickhouseStoreConfig | undefined;
  log: Logger;
  registry: Registry;
}

const WORKER_URL = new URL('./store-worker.ts', import.meta.url);
const STATS_INTERVAL_MS = 1_000;
const STOP_TIMEOUT_MS = 30_000;

/** Creates the host; nothing starts until start(). */
export function createStoreHost(deps: StoreHostDeps): StoreHost {
  const { log } = deps;
  const metrics = createStoreMetrics(deps.registry);
  let worker: Worker | undefined;
  let last: StoreStats | undefined;
  let reqId = 0;
  const waiters = new Map<number, () => void>();
  let stopped: (() => void) | undefined;
  const send = (m: ToStoreWorker, transfer: MessagePort[] = []): void => worker?.postMessage(m, transfer);
  const { retention } = deps.config;
  // ClickHouse SQL depends on the server's version, known once the worker connected.
  const chDialect = createLateDialect();
  const runner = createQueryRunnerProxy(
    () => {
      if (!worker) return undefined;
      const { port1, port2 } = new MessageChannel();
      send({ t: 'queries', port: port2 }, [port2]);
      return port1;
    },
    {
      dialect: deps.clickhouse ? chDialect.dialect : duckdbDialect,
      retention: {
        rawMaxAgeMs: retention.maxAgeMs,
        rollupMaxAgeMs: { flows_1m: retention.maxAge1mMs, flows_1h: retention.maxAge1hMs },
      },
    },
  );

  const onMessage = (m: FromStoreWorker): void => {
    switch (m.t) {
      case 'stats':
        metrics.apply(last, m.stats);
        last = m.stats;
        break;
      case 'flushed':
        waiters.get(m.id)?.();
        waiters.delete(m.id);
        break;
      case 'log':
        log[m.level](m.fields, m.msg);
        break;
      case 'stopped':
        stopped?.();
        break;
      case 'ready':
      case 'failed':
        break;
    }
  };

  return {
    async start() {
      const init: StoreWorkerInit = {
        config: deps.config,
        clickhouse: deps.clickhouse,
        statsIntervalMs: STATS_INTERVAL_MS,
      };
      const w = new Worker(WORKER_URL, { workerData: init });
      worker = w;
      w.on('message', onMessage);
      w.on('error', (err) => log.error({ err }, 'store worker failed'));
      const first = await new Promise<FromStoreWorker>((resolve, reject) => {
        const onFirst = (m: FromStoreWorker): void => {
          if (m.t !== 'ready' && m.t !== 'failed') return;
          w.off('message', onFirst);
          resolve(m);
        };
        w.on('message', onFirst);
        w.once('error', reject);
      });
      if (first.t === 'failed') {
        await w.terminate();
        worker = undefined;
        if (first.code === 'FLOWLENS_ERR_STORE_LOCKED') throw new StoreLockedError(first.message, undefined);
        throw new Error(`flow store: ${first.message}`);
      }
      if (first.t === 'ready' && first.clickhouseVersion)
        chDialect.set(createClickhouseDialect(capabilitiesOf(first.clickhouseVersion)));
    },
    connectProducer() {
      const { port1, port2 } = new MessageChannel();
      send({ t: 'producer', port: port2 }, [port2]);
      return port1;
    },
    async flush() {
      if (!worker) return;
      const id = ++reqId;
      await new Promise<void>((resolve) => {
        waiters.set(id, resolve);
        send({ t: 'flush', id });
      });
    },
    async stop() {
      const w = worker;
      if (!w) return;
      const done = new Promise<void>((resolve) => {
        stopped = resolve;
        w.once('exit', () => resolve());
      });
      send({ t: 'stop' });
      await Promise.race([done, new Promise((r) => setTimeout(r, STOP_TIMEOUT_MS).unref())]);
      await w.terminate();
      worker = undefined;
      runner.close();
    },
    stats: () => last,
    runner,
  };
}

function createStoreMetrics(registry: Registry) {
  const registers = [registry];
  const rows = new Counter({
    name: 'flowlens_store_rows_total',
    help: 'Flows written to the store.',
    registers,
  });
  const flushes = new Counter({
    name: 'flowlens_store_flushes_total',
    help: 'Store flushes (transactions).',
    registers,
  });
  const dropped = new Counter({
    name: 'flowlens_store_dropped_rows_total',
    help: 'Flows dropped because the store queue was full or a write failed.',
    registers,
  });
  const deleted = new Counter({
    name: 'flowlens_store_deleted_rows_total',
    help: 'Raw flows deleted by retention, by reason (age, disk).',
    labelNames: ['reason'],
    registers,
  });
  const disk = new Gauge({
    name: 'flowlens_store_disk_bytes',
    help: 'Store size on disk (database and log).',
    registers,
  });
  const queued = new Gauge({
    name: 'flowlens_store_queued_rows',
    help: 'Flows waiting for the next flush.',
    registers,
  });
  return {
    apply(prev: StoreStats | undefined, s: StoreStats): void {
      rows.inc(s.rowsWritten - (prev?.rowsWritten ?? 0));
      flushes.inc(s.flushes - (prev?.flushes ?? 0));
      dropped.inc(s.rowsDropped - (prev?.rowsDropped ?? 0));
      deleted.inc({ reason: 'age' }, s.rowsDeletedByAge - (prev?.rowsDeletedByAge ?? 0));
      deleted.inc({ reason: 'disk' }, s.rowsDeletedForDisk - (prev?.rowsDeletedForDisk ?? 0));
      disk.set(s.diskBytes);
      queued.set(s.rowsQueued);
    },
  };
}
