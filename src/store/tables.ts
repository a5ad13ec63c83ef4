/**
 * The tables every engine keeps: raw flows, and rollups at coarser time
 * resolutions holding only low-cardinality dimensions (field table `rollup`)
 * with sums already scaled by the sampling rate. Queries pick the smallest
 * table that can answer (query/planner.ts).
 */
import { STORE_COLUMNS, type StoreColumn } from './columnar/layout.ts';

/** The raw flow table (the name every query reads; on DuckDB a view over RAW_PARTS, ADR 0006). */
export const RAW_TABLE = 'flows';

/**
 * Fields most flows carry: what NetFlow v5/v9, IPFIX and sFlow exports
 * commonly hold, plus what the default enrichment adds (scopes, countries,
 * AS names, application). On DuckDB a flow with nothing outside this set is
 * stored in a narrow table (ADR 0006): every column a flow leaves empty
 * still costs DuckDB storage work per row, ~60-100 ns for text, ~10 ns for
 * a small integer. So small integers many templates carry (ICMP type and
 * code, which v9 templates fill with 0 on every TCP flow; VLAN) are in the
 * set, while text that is rarely set (host names, vendors, TLS and HTTP
 * fields) is not.
 */
export const CORE_FIELDS: ReadonlySet<string> = new Set([
  'type',
  'exporter',
  'observationDomain',
  'start',
  'end',
  'srcAddr',
  'dstAddr',
  'srcPort',
  'dstPort',
  'proto',
  'bytes',
  'packets',
  'samplingRate',
  'tcpFlags',
  'tos',
  'inIf',
  'outIf',
  'direction',
  'srcAs',
  'dstAs',
  'nextHop',
  'srcMask',
  'dstMask',
  'icmpType',
  'icmpCode',
  'vlan',
  'appProto',
  'appCategory',
  'srcCountry',
  'dstCountry',
  'srcAsName',
  'dstAsName',
  'srcScope',
  'dstScope',
]);

/** Index in STORE_COLUMNS of each column of the narrow raw table, in its column order. */
export const CORE_COLUMN_INDEXES: readonly number[] = STORE_COLUMNS.flatMap((c, i) =>
  c.field === undefined || CORE_FIELDS.has(c.name) ? [i] : [],
);

/** Metrics every table can sum: bytes and packets scaled by the sampling rate, and flow records. */
export type SumMetric = 'bytes' | 'packets' | 'flows';

/** The metrics of SumMetric, in column order. */
export const SUM_METRICS: readonly SumMetric[] = ['bytes', 'packets', 'flows'];

/** A rollup table. */
export interface RollupDef {
  readonly name: string;
  /** Bucket width; `time` is the start of the bucket. */
  readonly resolutionMs: number;
}

/** Rollups, finest first. */
export const ROLLUPS: readonly RollupDef[] = [
  { name: 'flows_1m', resolutionMs: 60_000 },
  { name: 'flows_1h', resolutionMs: 3_600_000 },
];

/** Dimensions a rollup keeps. */
export const ROLLUP_DIMENSIONS: readonly StoreColumn[] = STORE_COLUMNS.filter((c) => c.field?.rollup);

/** The columns of a rollup table: bucket time, dimensions, then the pre-scaled sums. */
export const ROLLUP_COLUMNS: readonly StoreColumn[] = [
  STORE_COLUMNS[0]!,
  ...ROLLUP_DIMENSIONS,
  ...SUM_METRICS.map((m) => ({ name: m, kind: 'u64' as const, field: undefined, required: true })),
];
