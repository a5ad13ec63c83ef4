/**
 * Loads the benchmark's flows into FlowLens's DuckDB store, as `flowlens
 * serve` writes them: 8192-row columnar batches (what a decode worker posts)
 * into the store, which flushes every 250 k rows or second, each flush one
 * transaction over the raw table and both rollups.
 *
 * Batches are built ahead in chunks, so building them (the decode workers'
 * share in serve) and writing them (the store worker's) are timed apart: the
 * write rate is rows / time spent writing and flushing, the figure to set
 * against the collector's lossless rate.
 */
import { createSystemClock } from '../../src/common/clock.ts';
import { createSilentLogger } from '../../src/common/logger.ts';
import {
  createBatchBuilder,
  createDuckDbStore,
  type ColumnarBatch,
  type SyntheticOptions,
} from '../../src/store/index.ts';
import { benchFlow, emptyFlow } from './flows.ts';

/** What the load measured. */
export interface FlowLensLoadResult {
  rows: number;
  /** Wall time building batches (generator + columnar builder). */
  buildSeconds: number;
  /** Wall time the store took to write and commit them. */
  writeSeconds: number;
  /** CPU seconds of the whole process (DuckDB's threads included) while writing. */
  writeCpuSeconds: number;
  flushes: number;
  rowsDropped: number;
}

/** Rows a decode worker posts at once in serve. */
const BATCH_ROWS = 8192;
/** Batches built ahead of writing (bounds memory: ~2 M rows of columns). */
const CHUNK_ROWS = 2_000_000;
/** The store's defaults (config/schema.ts storage.flushRows, flushInterval). */
const FLUSH_ROWS = 250_000;
const FLUSH_INTERVAL_MS = 1_000;
/** Time far beyond any retention check: the flows are from a fixed past day. */
const NEVER_MS = 1e13;

/** MACs of the flows made wide (fields outside the narrow table's, as the meter sets them). */
const WIDE_SRC_MAC = '02:00:00:00:00:01';
const WIDE_DST_MAC = '02:00:00:00:00:02';

/**
 * Writes every flow of `o` into a new store in `dir` and closes it. With
 * `wideEvery` = k, every k-th batch's flows also carry MAC addresses (fields
 * outside CORE_FIELDS, as meter flows do), so those rows go to `flows_wide`
 * (ADR 0006) between narrow ones: a store with both raw tables in use.
 */
export async function loadIntoFlowLens(
  dir: string,
  o: SyntheticOptions,
  wideEvery = 0,
): Promise<FlowLensLoadResult> {
  const store = createDuckDbStore({
    config: {
      dir,
      flushIntervalMs: FLUSH_INTERVAL_MS,
      flushRows: FLUSH_ROWS,
      maxQueuedRows: 4 * FLUSH_ROWS,
      retention: { maxAgeMs: NEVER_MS, maxDiskBytes: 1e15, maxAge1mMs: NEVER_MS, maxAge1hMs: NEVER_MS },
    },
    clock: createSystemClock(),
    log: createSilentLogger(),
  });
  await store.start();
  const result: FlowLensLoadResult = {
    rows: 0,
    buildSeconds: 0,
    writeSeconds: 0,
    writeCpuSeconds: 0,
    flushes: 0,
    rowsDropped: 0,
  };
  try {
    const builder = createBatchBuilder(BATCH_ROWS);
    const r = emptyFlow();
    for (let first = 0; first < o.count; first += CHUNK_ROWS) {
      let t = performance.now();
      const batches: ColumnarBatch[] = [];
      for (let i = first; i < Math.min(o.count, first + CHUNK_ROWS); i++) {
        const f = benchFlow(i, o, r);
        if (wideEvery > 0 && Math.floor(i / BATCH_ROWS) % wideEvery === 0) {
          f.srcMac = WIDE_SRC_MAC;
          f.dstMac = WIDE_DST_MAC;
        } else {
          delete f.srcMac;
          delete f.dstMac;
        }
        builder.add(f, o.toMs);
        if (builder.full) batches.push(builder.take());
      }
      if (builder.count > 0) batches.push(builder.take());
      result.buildSeconds += (performance.now() - t) / 1000;

      t = performance.now();
      const cpu0 = process.cpuUsage();
      for (const b of batches.splice(0)) {
        store.write(b);
        result.rows += b.rows;
        // One flush per flushRows, as serve's store worker does it (it yields between batches,
        // so the size-triggered flush starts at once; this loop does not, hence the await).
        if (store.stats().rowsQueued >= FLUSH_ROWS) await store.flush();
      }
      await store.flush();
      const cpu = process.cpuUsage(cpu0);
      result.writeCpuSeconds += (cpu.user + cpu.system) / 1e6;
      result.writeSeconds += (performance.now() - t) / 1000;
    }
    const s = store.stats();
    result.flushes = s.flushes;
    result.rowsDropped = s.rowsDropped;
  } finally {
    await store.stop();
  }
  return result;
}
