/**
 * The store's ports: what the collector writes to (FlowWriter) and what the
 * query engine reads through (QueryRunner). DuckDB implements both now;
 * ClickHouse implements the same interfaces with its own dialect.
 */
import type { FieldKind } from '../schema/fields.ts';
import type { ColumnarBatch } from './columnar/batch.ts';
import type { SqlDialect } from './dialect.ts';

/** Receives flows; the store batches them by size and age. */
export interface FlowWriter {
  /** Queues a batch (ownership passes to the store); false when dropped because the queue is full. */
  write(batch: ColumnarBatch): boolean;
  /** Writes everything queued so far and resolves once it is durable. */
  flush(): Promise<void>;
}

/** How a result column is turned into a JS value: a field kind, or a plain number / text. */
export type ResultKind = FieldKind | 'number' | 'text';

/** A column of a query result, by its SQL alias. */
export interface ResultColumn {
  readonly name: string;
  readonly kind: ResultKind;
}

/** A result row: addresses as text, times as epoch ms, sums as numbers, unknown values absent. */
export type ResultRow = Record<string, unknown>;

/** Retention of the tables, so the planner never reads a table that no longer holds the range. */
export interface TableRetention {
  /** Raw flows are kept this long. */
  rawMaxAgeMs: number;
  /** Rollup name -> how long it is kept. */
  rollupMaxAgeMs: Readonly<Record<string, number>>;
}

/** Runs SQL rendered for its dialect. */
export interface QueryRunner {
  readonly dialect: SqlDialect;
  readonly retention: TableRetention;
  /** The whole result. */
  all(sql: string, columns: readonly ResultColumn[]): Promise<ResultRow[]>;
  /** The result in chunks, never held whole in memory. */
  stream(sql: string, columns: readonly ResultColumn[]): AsyncIterable<ResultRow[]>;
}

/** Counters of a store (for metrics and `import` summaries). */
export interface StoreStats {
  rowsWritten: number;
  flushes: number;
  rowsDropped: number;
  rowsQueued: number;
  /** Database plus write-ahead log, bytes. */
  diskBytes: number;
  rowsDeletedByAge: number;
  rowsDeletedForDisk: number;
}

/** A flow store: a writer, a reader, and its upkeep (retention, rollups). */
export interface FlowStore extends FlowWriter {
  /** Opens (creating and migrating as needed) and starts the flush and retention timers. */
  start(): Promise<void>;
  /** Flushes what is queued and closes. */
  stop(): Promise<void>;
  readonly runner: QueryRunner;
  stats(): StoreStats;
  /** Applies age and disk retention now (also run on a timer). */
  enforceRetention(): Promise<void>;
}
