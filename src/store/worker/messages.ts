/** Messages between the main thread, the store worker and the producers (decode workers). */
import type { MessagePort } from 'node:worker_threads';
import type { ColumnarBatch } from '../columnar/batch.ts';
import type { DuckDbStoreConfig } from '../duckdb/store.ts';
import type { StoreStats } from '../ports.ts';

/** workerData of the store worker. */
export interface StoreWorkerInit {
  config: DuckDbStoreConfig;
  statsIntervalMs: number;
}

/** Producer -> store worker, on a producer's own MessagePort. */
export type FromProducer = { t: 'batch'; batch: ColumnarBatch } | { t: 'end' };

/** Main -> store worker. */
export type ToStoreWorker = { t: 'producer'; port: MessagePort } | { t: 'flush'; id: number } | { t: 'stop' };

/** Store worker -> main. */
export type FromStoreWorker =
  | { t: 'ready' }
  | { t: 'failed'; message: string; code: string | undefined }
  | { t: 'stats'; stats: StoreStats }
  | { t: 'flushed'; id: number }
  | { t: 'stopped' }
  | { t: 'log'; level: 'info' | 'warn' | 'error'; msg: string; fields: Record<string, unknown> };
