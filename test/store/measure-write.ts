/**
 * Measures the store's sustained write rate: records -> columnar batches (the
 * decode workers' side) and batches -> DuckDB (the store worker's side),
 * separately, since they run on different threads in `flowlens serve`.
 *
 *   node test/store/measure-write.ts [MILLIONS]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSystemClock } from '../../src/common/clock.ts';
import { createSilentLogger } from '../../src/common/logger.ts';
import type { FlowRecord } from '../../src/schema/flow-record.ts';
import {
  createBatchBuilder,
  createDuckDbStore,
  syntheticFlow,
  type ColumnarBatch,
} from '../../src/store/index.ts';

const count = Math.round(Number(process.argv[2] ?? '4') * 1e6);
const opts = { fromMs: Date.UTC(2024, 0, 1), toMs: Date.UTC(2024, 0, 1, 1), count, seed: 7 };
// Records are built first (the decoders' work, not measured here).
const records: FlowRecord[] = Array.from({ length: Math.min(count, 1_000_000) }, (_, i) =>
  syntheticFlow(i, opts),
);

let t = performance.now();
const batches: ColumnarBatch[] = [];
const builder = createBatchBuilder(8192);
for (let i = 0; i < count; i++) {
  builder.add(records[i % records.length]!, opts.toMs);
  if (builder.full) batches.push(builder.take());
}
if (builder.count) batches.push(builder.take());
const buildS = (performance.now() - t) / 1000;

const dir = mkdtempSync(join(tmpdir(), 'flowlens-write-'));
const store = createDuckDbStore({
  config: {
    dir,
    flushIntervalMs: 1000,
    flushRows: 250_000,
    maxQueuedRows: 1e9,
    retention: { maxAgeMs: 1e12, maxDiskBytes: 1e12, maxAge1mMs: 1e12, maxAge1hMs: 1e12 },
  },
  clock: createSystemClock(),
  log: createSilentLogger(),
});
await store.start();
t = performance.now();
let queued = 0;
for (const b of batches) {
  store.write(b);
  queued += b.rows;
  // Like the flush-by-size trigger in serve: one flush per 250k rows.
  if (queued >= 250_000) {
    await store.flush();
    queued = 0;
  }
}
await store.flush();
const writeS = (performance.now() - t) / 1000;
await store.stop();
rmSync(dir, { recursive: true, force: true });
const rate = (s: number): string => `${Math.round(count / s).toLocaleString('en')} rows/s`;
process.stdout.write(
  `${count.toLocaleString('en')} flows\n` +
    `  records -> columnar batches: ${buildS.toFixed(2)} s, ${rate(buildS)} (one thread)\n` +
    `  batches -> DuckDB (raw + 1m + 1h rollups, durable commits): ${writeS.toFixed(2)} s, ${rate(writeS)}\n`,
);
