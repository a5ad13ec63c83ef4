/**
 * Done-means of the store: with a small disk budget, sustained ingest never
 * grows the store (database plus log) past it; the oldest flows go first.
 * Sizes are checked after every flush and, by a sampler thread, during
 * flushes, checkpoints and compactions too (a transient write-ahead log or
 * a compaction's copy counts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { createFakeClock } from '../../src/common/clock.ts';
import { createSilentLogger } from '../../src/common/logger.ts';
import { createDuckDbStore, loadSyntheticFlows } from '../../src/store/index.ts';
import { fileBytes } from '../../src/store/duckdb/retention.ts';

/** Polls the size of the database plus its log about every 0.2 ms; keeps the largest seen. */
const SAMPLER = `
const { workerData } = require('node:worker_threads');
const { statSync } = require('node:fs');
const [file, sab] = workerData;
const a = new Int32Array(sab);
const size = (p) => { try { return statSync(p).size; } catch { return 0; } };
while (Atomics.load(a, 1) === 0) {
  const n = size(file) + size(file + '.wal');
  if (n > a[0]) a[0] = n;
  Atomics.wait(a, 1, 0, 0.2);
}`;

const MIB = 1024 * 1024;
const BUDGET = 16 * MIB;
const ROUNDS = 40;
const PER_ROUND = 30_000;

// Each round adds about a third of the budget (30 k flows and as many rollup rows: synthetic
// rollup keys barely aggregate), so deleting, the long-history share and compaction all run.
test('the store stays within storage.retention.maxDisk under sustained ingest', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'flowlens-disk-'));
  const clock = createFakeClock(Date.UTC(2024, 0, 2));
  const store = createDuckDbStore({
    config: {
      dir,
      flushIntervalMs: 1000,
      flushRows: 1_000_000,
      maxQueuedRows: 10_000_000,
      retention: { maxAgeMs: 1e12, maxDiskBytes: BUDGET, maxAge1mMs: 1e12, maxAge1hMs: 1e12 },
    },
    clock,
    log: createSilentLogger(),
  });
  await store.start();
  const seen = new Int32Array(new SharedArrayBuffer(8));
  const sampler = new Worker(SAMPLER, { eval: true, workerData: [join(dir, 'flows.duckdb'), seen.buffer] });
  try {
    let largest = 0;
    for (let round = 0; round < ROUNDS; round++) {
      // Each round is a minute of flows; time moves on so the disk check runs after each flush.
      const fromMs = Date.UTC(2024, 0, 1) + round * 60_000;
      await loadSyntheticFlows(
        store,
        { fromMs, toMs: fromMs + 60_000, count: PER_ROUND, seed: round + 1 },
        15_000,
      );
      clock.advance(1_000);
      largest = Math.max(largest, fileBytes(join(dir, 'flows.duckdb')));
      assert.ok(largest <= BUDGET, `round ${round}: ${largest} bytes on disk, budget ${BUDGET}`);
    }
    const s = store.stats();
    assert.equal(s.rowsWritten, ROUNDS * PER_ROUND);
    // The budget was under pressure: old flows were deleted to stay within it...
    assert.ok(s.rowsDeletedForDisk > 0, 'nothing was deleted: the test wrote too little');
    // ...and the newest minute is intact while the oldest is gone.
    const count = async (fromMs: number): Promise<number> => {
      const sql = `SELECT count(*) AS n FROM flows WHERE "time" >= epoch_ms(${fromMs}) AND "time" < epoch_ms(${fromMs + 60_000})`;
      return Number((await store.runner.all(sql, [{ name: 'n', kind: 'number' }]))[0]?.['n']);
    };
    assert.equal(await count(Date.UTC(2024, 0, 1) + (ROUNDS - 1) * 60_000), PER_ROUND);
    assert.equal(await count(Date.UTC(2024, 0, 1)), 0);
    const peak = Atomics.load(seen, 0);
    assert.ok(peak > BUDGET / 2, `the sampler saw at most ${peak} bytes: it did not sample`);
    assert.ok(peak <= BUDGET, `${peak} bytes on disk during a flush, budget ${BUDGET}`);
    // The long history survives, held to its share: the latest hour is in the 1 h rollup.
    const hourly = await store.runner.all('SELECT sum("flows") AS n FROM flows_1h', [
      { name: 'n', kind: 'number' },
    ]);
    assert.ok(Number(hourly[0]?.['n']) >= PER_ROUND, `1 h rollup: ${JSON.stringify(hourly)}`);
  } finally {
    Atomics.store(seen, 1, 1);
    Atomics.notify(seen, 1);
    await sampler.terminate();
    await store.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
