/**
 * Compaction in place (src/store/duckdb/compact.ts): after the oldest flows
 * are deleted, DuckDB reuses the freed blocks but keeps the file long, since
 * the newest rows sit at its end; rewriting the tables moves them to the
 * front and the file shrinks, with every row still there.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFakeClock } from '../../src/common/clock.ts';
import { createSilentLogger } from '../../src/common/logger.ts';
import { createDuckDbStore, DUCKDB_FILE, loadSyntheticFlows } from '../../src/store/index.ts';
import { openDuckDb } from '../../src/store/duckdb/open.ts';
import { compactTables } from '../../src/store/duckdb/compact.ts';

const T0 = Date.UTC(2024, 0, 1);
const MINUTE = 60_000;

test('compaction gives back the space the oldest flows left inside the file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'flowlens-compact-'));
  const file = join(dir, DUCKDB_FILE);
  try {
    const store = createDuckDbStore({
      config: {
        dir,
        flushIntervalMs: 60_000,
        flushRows: 1_000_000,
        maxQueuedRows: 10_000_000,
        retention: { maxAgeMs: 1e12, maxDiskBytes: 1e12, maxAge1mMs: 1e12, maxAge1hMs: 1e12 },
      },
      clock: createFakeClock(T0 + 3_600_000),
      log: createSilentLogger(),
    });
    await store.start();
    for (let m = 0; m < 10; m++)
      await loadSyntheticFlows(store, {
        fromMs: T0 + m * MINUTE,
        toMs: T0 + (m + 1) * MINUTE,
        count: 20_000,
        seed: m,
      });
    await store.stop();

    const db = await openDuckDb(file);
    const c = await db.connect();
    try {
      const count = async (sql: string): Promise<number> =>
        Number((await c.runAndReadAll(sql)).getRows()[0]?.[0]);
      const full = statSync(file).size;
      // The oldest nine minutes go, from every table.
      const cutoff = `CAST(epoch_ms(${T0 + 9 * MINUTE}) AS TIMESTAMP_MS)`;
      for (const t of ['flows_core', 'flows_wide', 'flows_1m', 'flows_1h'])
        await c.run(`DELETE FROM ${t} WHERE "time" < ${cutoff}`);
      await c.run('CHECKPOINT');
      const afterDelete = statSync(file).size;
      const rows = await count('SELECT count(*) FROM flows');
      const sums = await count('SELECT sum("bytes") FROM flows_1m');
      assert.equal(rows, 20_000);
      // The problem: a tenth of the rows are left, the file barely shrank.
      assert.ok(afterDelete > full * 0.6, `after delete ${afterDelete} of ${full}`);

      await compactTables(c);
      const compacted = statSync(file).size;
      assert.ok(compacted < full * 0.3, `compacted ${compacted} of ${full}`);
      assert.equal(await count('SELECT count(*) FROM flows'), rows);
      assert.equal(await count('SELECT sum("bytes") FROM flows_1m'), sums);
      assert.equal(await count(`SELECT count(*) FROM duckdb_tables() WHERE table_name LIKE '%compact%'`), 0);
      // Addresses stay uncompressed through the rewrite (fast to read); other integers may be bit-packed (small).
      const storage = async (column: string): Promise<string[]> =>
        (
          await c.runAndReadAll(
            `SELECT DISTINCT compression FROM pragma_storage_info('flows_core') WHERE column_name = '${column}' AND segment_type <> 'VALIDITY'`,
          )
        )
          .getRows()
          .map((r) => String(r[0]));
      assert.deepEqual(await storage('srcAddr'), ['Uncompressed']);
      assert.deepEqual(await storage('dstAddr'), ['Uncompressed']);
      const all = (
        await c.runAndReadAll(
          `SELECT DISTINCT compression FROM pragma_storage_info('flows_core') WHERE segment_type <> 'VALIDITY'`,
        )
      )
        .getRows()
        .map((r) => String(r[0]));
      assert.ok(all.includes('BitPacking'), `some columns are bit-packed: ${all.join()}`);
    } finally {
      c.closeSync();
      db.closeSync();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
