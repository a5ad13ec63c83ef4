/** Messages between the main thread, the store worker and the producers (decode workers). */
import type { MessagePort } from 'node:worker_threads';
import type { ColumnarBatch } from '../columnar/batch.ts';
import type { ClickhouseStoreConfig } from '../clickhouse/config.ts';
import type { DuckDbStoreConfig } from '../duckdb/store.ts';
import type { StoreStats } from '../ports.ts';

/** workerData of the store worker. */
export interface StoreWorkerInit {
  config: DuckDbStoreConfig;
  /** When set, the worker writes to this ClickHouse database instead of DuckDB (`config` gives retention). */
  clickhouse?: ClickhouseStoreConfig | undefined;
  statsIntervalMs: number;
}

/** Producer -> store worker, on a producer's own MessagePort. */
export type FromProducer = { t: 'batch'; batch: ColumnarBatch } | { t: 'end' };

/** Main -> store worker. */
export type ToStoreWorker =
  | { t: 'producer'; port: MessagePort }
  /** A port for queries from the main thread (query-channel.ts). */
  | { t: 'queries'; port: MessagePort }
  | { t: 'flush'; id: number }
  | { t: 'stop' };

/** Store worker -> main. */
export type FromStoreWorker =
  /** `clickhouseVersion`: the server's version, so the main thread renders SQL for it. */
  | { t: 'ready'; clickhouseVersion?: string | undefined }
  | { t: 'failed'; message: string; code: string | undefined }
  | { t: 'stats'; stats: StoreStats }
  | { t: 'flushed'; id: number }
  | { t: 'stopped' }
  | { t: 'log'; level: 'info' | 'warn' | 'error'; msg: string; fields: Record<string, unknown> };
