import type { LiveDelta } from '../live/index.ts';
import type { FlowRecord } from '../schema/flow-record.ts';
import type { DatagramBatch } from './batch.ts';
import type { FlowSinkInit } from './flow-sink.ts';
import type { ExporterDelta } from './exporter-stats.ts';

/** What a decode worker is started with (workerData). */
export interface DecodeWorkerInit {
  index: number;
  holdMs: number;
  /** The stages after decoding (enrichment, ring, store, live). */
  sink: FlowSinkInit;
  /** Template state files to load at start (all workers' files of the last run). */
  loadStateFrom: string[];
  /** Where this worker saves its template state on stop and periodically. */
  saveStateTo: string | undefined;
  statsIntervalMs: number;
}

/** Receiving thread -> worker. */
export type ToWorker =
  | { t: 'batch'; batch: DatagramBatch }
  | { t: 'recent'; id: number; limit: number }
  /** Live aggregation on or off (on once something listens to the collector's live deltas). */
  | { t: 'live'; enabled: boolean }
  | { t: 'stop' };

/** Worker -> receiving thread. */
export type FromWorker =
  | { t: 'ready' }
  /** The enrichment databases are loaded (or failed to load): records are enriched from now on. */
  | { t: 'enriched' }
  /** A batch is decoded; `deltas` are its per-exporter statistics. */
  | { t: 'done'; datagrams: number; deltas: ExporterDelta[] }
  | { t: 'stats'; deltas: ExporterDelta[]; templates: number; pending: number; ringPushed: number }
  | { t: 'recent'; id: number; records: FlowRecord[] }
  /** The live view's delta of the last interval (src/live). */
  | { t: 'live'; delta: LiveDelta }
  | { t: 'stopped' }
  | { t: 'log'; level: 'warn' | 'error'; msg: string; fields: Record<string, unknown> };
