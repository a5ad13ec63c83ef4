/**
 * What one flush writes, through appenders on the write connection (inside
 * the caller's transaction): raw rows, 2048 at a time, into the narrow
 * table when none of them carries a field outside CORE_FIELDS, else into
 * the wide one; then the rollups, summed from the same batches in JS.
 */
import type { DuckDBAppender, DuckDBConnection } from '@duckdb/node-api';
import type { ColumnarBatch } from '../columnar/batch.ts';
import { STORE_COLUMNS } from '../columnar/layout.ts';
import { createRollupAggregator } from '../columnar/rollup-aggregator.ts';
import { CORE_COLUMN_INDEXES, ROLLUP_COLUMNS, ROLLUPS } from '../tables.ts';
import { allNull, CHUNK_ROWS, createChunkAppender, forgetStringDictionaries } from './append.ts';
import { RAW_CORE_TABLE, RAW_WIDE_TABLE } from './schema.ts';

/** Appends flushes; the caller begins and commits the transaction. */
export interface FlushWriter {
  /** Appends the batches' rows and their rollup sums (not committed); true when some went to the wide table. */
  write(batches: readonly ColumnarBatch[]): boolean;
  /** Drops what an interrupted write left buffered (after a rollback). */
  clear(): void;
  close(): void;
}

/** Rows summed into the rollups at a time, unless one batch is larger (bounds the aggregator's hash tables to ~40-60 MB each). */
const ROLLUP_GROUP_ROWS = 1 << 19;

/** Columns only the wide table has: a chunk with a value in any of them goes there. */
const WIDE_ONLY: readonly number[] = STORE_COLUMNS.flatMap((_, i) =>
  CORE_COLUMN_INDEXES.includes(i) ? [] : [i],
);

/** True when no row of [off, off + n) has a field outside the core set. */
function coreOnly(batch: ColumnarBatch, off: number, n: number): boolean {
  for (const i of WIDE_ONLY) if (!allNull(batch.columns[i]!.valid, off, n)) return false;
  return true;
}

/** Creates the appenders of the raw tables and rollups on `c`. */
export async function createFlushWriter(c: DuckDBConnection): Promise<FlushWriter> {
  const coreApp = await c.createAppender(RAW_CORE_TABLE);
  const wideApp = await c.createAppender(RAW_WIDE_TABLE);
  const rollupApps: DuckDBAppender[] = [];
  for (const r of ROLLUPS) rollupApps.push(await c.createAppender(r.name));
  const all = [coreApp, wideApp, ...rollupApps];
  const core = createChunkAppender(coreApp, STORE_COLUMNS, CORE_COLUMN_INDEXES);
  const wide = createChunkAppender(wideApp, STORE_COLUMNS);
  const rollups = rollupApps.map((a) => createChunkAppender(a, ROLLUP_COLUMNS));
  const aggregator = createRollupAggregator();
  return {
    write(batches) {
      forgetStringDictionaries();
      let anyWide = false;
      for (const b of batches) {
        for (let off = 0; off < b.rows; off += CHUNK_ROWS) {
          const n = Math.min(CHUNK_ROWS, b.rows - off);
          if (coreOnly(b, off, n)) core.appendRange(b, off, n);
          else {
            wide.appendRange(b, off, n);
            anyWide = true;
          }
        }
      }
      // Summed a group of batches at a time: a flush the store fell behind on can hold
      // millions of flows, and with nearly unique keys the hash tables grow with the rows.
      // Rollup rows need not be unique (queries sum them), so groups may share keys.
      for (let from = 0; from < batches.length;) {
        let to = from;
        let rows = batches[to++]!.rows;
        while (to < batches.length && rows + batches[to]!.rows <= ROLLUP_GROUP_ROWS)
          rows += batches[to++]!.rows;
        aggregator.aggregate(batches.slice(from, to)).forEach((s, i) => rollups[i]!.append(s));
        from = to;
      }
      for (const a of all) a.flushSync();
      return anyWide;
    },
    clear() {
      for (const a of all) a.clear();
    },
    close() {
      for (const a of all) a.closeSync();
    },
  };
}
