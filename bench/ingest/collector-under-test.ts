/** The interface the runner drives for each collector (nfcapd, flowlens serve). */
import type { Protocol } from './export-stream.ts';

/** Names of the collectors compared. */
/** `node-floor`: a bare Node.js socket that only counts records (bench/ingest/node-floor.ts). */
export type CollectorName = 'nfcapd' | 'flowlens' | 'node-floor';

/** What a collector counted in one step. */
export interface CollectorCount {
  /** Flow records the collector kept (nfcapd: in its file; FlowLens: records_total). */
  records: number;
  /** Datagrams the kernel dropped on the collector's socket (receive buffer full). */
  socketDrops: number;
  /** Other drops the collector reports (FlowLens: flowlens_pipeline_dropped_total by stage/reason). */
  otherDrops: Record<string, number>;
  /** Decode errors the collector reports, by kind. */
  errors: Record<string, number>;
  /** CPU seconds the collector used during the step, by thread name. */
  threadCpuSeconds: Record<string, number>;
  cpuSeconds: number;
  /** Wall time over which the CPU was measured: from start until everything received was processed. */
  cpuWindowSeconds: number;
  /** How long after the send ended the collector needed to finish processing (its backlog). */
  catchUpSeconds: number;
}

/** A started collector. */
export interface RunningCollector {
  readonly port: number;
  /** Waits until it has processed everything received (or `expected` records), stops it and returns its counts. */
  finish(expected: number): Promise<CollectorCount>;
  /** Stops it at once (idempotent); used in `finally`. */
  kill(): Promise<void>;
}

/** How a collector is started for one step. */
export interface CollectorStartOptions {
  protocol: Protocol;
  receiveBufferBytes: number;
  /** FlowLens only: collector.workers, collector.batchDatagrams and collector.recentFlows (undefined: default). */
  workers: number;
  batchDatagrams: number;
  recentFlows: number | undefined;
}

/** Starts a fresh collector listening on a new loopback port. */
export type StartCollector = (o: CollectorStartOptions) => Promise<RunningCollector>;
