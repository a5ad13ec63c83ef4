/**
 * The flow store: ports (FlowWriter, QueryRunner, FlowStore), columnar
 * batches, table layout, SQL dialects, the embedded DuckDB engine and the
 * ClickHouse backend.
 */

/** Store ports every engine implements. */
export type {
  FlowStore,
  FlowWriter,
  QueryRunner,
  ResultColumn,
  ResultKind,
  ResultRow,
  StoreStats,
  TableRetention,
} from './ports.ts';
/** Columnar batches: how flows cross threads and enter the engines. */
export {
  createBatchBuilder,
  batchTransferList,
  batchBytes,
  type BatchBuilder,
  type ColumnarBatch,
  type ColumnData,
} from './columnar/batch.ts';
/** Stored columns (field table plus `time`) and their batch layout. */
export { STORE_COLUMNS, TIME_COLUMN, type StoreColumn } from './columnar/layout.ts';
/** Address encoding of the store (128-bit IPv4-mapped integers, 48-bit MACs). */
export { cidrRange, formatIpBigInt, ipToBigInt, formatMac, macToNumber } from './columnar/addr-words.ts';
/** Raw and rollup tables. */
export {
  RAW_TABLE,
  ROLLUPS,
  ROLLUP_COLUMNS,
  ROLLUP_DIMENSIONS,
  SUM_METRICS,
  type RollupDef,
  type SumMetric,
} from './tables.ts';
/** SQL dialects. */
export type { SqlDialect, EngineName, LiteralValue } from './dialect.ts';
/** DuckDB's dialect. */
export { duckdbDialect } from './duckdb/dialect.ts';
/** ClickHouse's dialect for a current release, and for any server's capabilities. */
export { clickhouseDialect, createClickhouseDialect } from './clickhouse/dialect.ts';
/** ClickHouse server features by version (TTL, LowCardinality, IPv6, ...). */
export {
  capabilitiesOf,
  parseServerVersion,
  CURRENT_CAPABILITIES,
  type ClickhouseCapabilities,
  type ServerVersion,
} from './clickhouse/capabilities.ts';
/** The ClickHouse store (several collectors may write to one database). */
export { createClickhouseStore, type ClickhouseStoreDeps } from './clickhouse/store.ts';
/** ClickHouse store settings from the `storage` section. */
export { clickhouseStoreConfig, type ClickhouseStoreConfig } from './clickhouse/config.ts';
/** Read access to a ClickHouse store (CLI queries). */
export { openClickhouseReader } from './clickhouse/reader.ts';
/** ClickHouse DDL for a server's capabilities (for tests and tools). */
export { createClickhouseSchema, type ClickhouseSchema, type TtlSeconds } from './clickhouse/schema.ts';
/** The embedded DuckDB store. */
export { createDuckDbStore, type DuckDbStoreConfig, type DuckDbStoreDeps } from './duckdb/store.ts';
/** Read-only access to a DuckDB store (CLI queries). */
export { openDuckDbReader, type StoreReader } from './duckdb/reader.ts';
/** Errors opening the embedded store. */
export { StoreLockedError, StoreMissingError, DUCKDB_FILE } from './duckdb/open.ts';
/** DuckDB DDL (for tests and tools). */
export { rawTableDdl, rollupTableDdl, SCHEMA_VERSION } from './duckdb/schema.ts';
/** Store settings from the `storage` configuration section. */
export { duckDbStoreConfig, tableRetention } from './config.ts';
/** The store worker for `flowlens serve`: one writer thread fed by the decode workers. */
export { createStoreHost, type StoreHost, type StoreHostDeps } from './worker/host.ts';
/** What producers send the store worker on their port. */
export type { FromProducer } from './worker/messages.ts';
/** The producer side (decode workers): batches flows to the store worker. */
export { createStoreProducer, type StoreProducer, type StoreProducerOptions } from './worker/producer.ts';
/** Bulk loading and deterministic synthetic flows (benchmarks, tests). */
export { loadSyntheticFlows, syntheticFlow, type SyntheticOptions } from './bulk-load.ts';
