/**
 * Store write benchmark: how fast flows become columnar batches (the decode
 * workers' share, one thread) and how fast the store worker writes them to
 * DuckDB, sustained, with rollups and durable commits. Prints a Markdown
 * table; rows per CPU-second is the figure to compare on a busy machine.
 *
 *   npm run bench:store -- [--millions=4] [--seconds=30] [--warmup=5] [--pool=200000]
 *                          [--flush-interval-ms=1000] [--flush-rows=250000] [--rollup-keys=0] [--skip-store]
 *
 * --rollup-keys=N rewrites the rollup dimensions so a minute holds at most N
 * distinct rollup keys (default 0: the stream's own, nearly one per flow).
 */
import { createBatchBuilder, type ColumnarBatch } from '../../src/store/index.ts';
import { formatTable, threadCpuS, type PhaseResult } from './measure.ts';
import { decodedV9Records } from './records.ts';
import { runStorePhase } from './store-phase.ts';

const arg = (name: string, def: string): string =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? def;
const millions = Number(arg('millions', '4'));
const seconds = Number(arg('seconds', '30'));
const warmupSeconds = Number(arg('warmup', '5'));
const pool = Number(arg('pool', '200000'));
/** Rows per producer batch, as serve's decode workers send them (pipeline/collector.ts). */
const BATCH_ROWS = 8192;

const nowMs = Date.now();
const records = decodedV9Records(pool, nowMs);
const results: PhaseResult[] = [];

// (a) The builder, cycling over the decoded records; the batches are dropped
// (in serve they are transferred away, so the producer allocates each anew).
{
  const builder = createBatchBuilder(BATCH_ROWS);
  const total = Math.round(millions * 1e6);
  for (let i = 0; i < 100_000; i++) builder.add(records[i % records.length]!, nowMs); // warm-up
  builder.take();
  const [w0, c0] = [performance.now(), threadCpuS()];
  for (let i = 0; i < total; i++) {
    builder.add(records[i % records.length]!, nowMs);
    if (builder.full) builder.take();
  }
  results.push({
    name: 'builder: FlowRecord -> columnar batch (one thread)',
    rows: total,
    wallS: (performance.now() - w0) / 1000,
    cpuS: threadCpuS() - c0,
    note: `decoded v9 records, ${BATCH_ROWS}-row batches`,
  });
}

if (!process.argv.includes('--skip-store')) {
  const builder = createBatchBuilder(BATCH_ROWS);
  const batches: ColumnarBatch[] = [];
  for (const r of records) {
    builder.add(r, nowMs);
    if (builder.full) batches.push(builder.take());
  }
  results.push(
    await runStorePhase({
      batches,
      seconds,
      warmupSeconds,
      flushIntervalMs: Number(arg('flush-interval-ms', '1000')),
      flushRows: Number(arg('flush-rows', '250000')),
      maxInFlightRows: 1_500_000,
      rollupKeys: Number(arg('rollup-keys', '0')),
    }),
  );
}

process.stdout.write(
  `${records.length.toLocaleString('en')} distinct decoded NetFlow v9 records, Node ${process.version}\n\n` +
    `${formatTable(results)}\n`,
);
