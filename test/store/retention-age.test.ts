/**
 * Retention by age on DuckDB: raw flows (in either raw table) older than
 * `maxAge` go, each rollup keeps its own age.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFakeClock } from '../../src/common/clock.ts';
import { createSilentLogger } from '../../src/common/logger.ts';
import type { FlowRecord } from '../../src/schema/flow-record.ts';
import { createBatchBuilder, createDuckDbStore } from '../../src/store/index.ts';

const HOUR = 3_600_000;
const NOW = Date.UTC(2024, 0, 10);

test('age retention deletes old raw flows from both raw tables and old rollup buckets by their own age', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'flowlens-age-'));
  const store = createDuckDbStore({
    config: {
      dir,
      flushIntervalMs: 60_000,
      flushRows: 1_000_000,
      maxQueuedRows: 1_000_000,
      // Raw 2 h, 1 m rollup 10 h, 1 h rollup 100 h.
      retention: { maxAgeMs: 2 * HOUR, maxDiskBytes: 1e12, maxAge1mMs: 10 * HOUR, maxAge1hMs: 100 * HOUR },
    },
    clock: createFakeClock(NOW),
    log: createSilentLogger(),
  });
  await store.start();
  try {
    const flow = (ageH: number, wide: boolean): FlowRecord => ({
      type: 'ipfix',
      exporter: '192.0.2.1',
      end: NOW - ageH * HOUR,
      srcAddr: '10.0.0.1',
      dstAddr: '10.0.0.2',
      bytes: 100,
      packets: 1,
      ...(wide ? { srcMac: '00:11:22:33:44:55' } : {}),
    });
    // Separate batches, so core-only and wide flows land in their own tables.
    for (const wide of [false, true]) {
      const b = createBatchBuilder(16);
      for (const age of [1, 5, 50, 500]) b.add(flow(age, wide), NOW);
      store.write(b.take());
    }
    await store.flush();
    const ages = async (table: string, measure = 'count(*)'): Promise<number[]> => {
      const rows = await store.runner.all(
        `SELECT (${NOW} - epoch_ms("time")) // ${HOUR} AS h, ${measure} AS n FROM ${table} GROUP BY 1 ORDER BY 1`,
        [
          { name: 'h', kind: 'number' },
          { name: 'n', kind: 'number' },
        ],
      );
      return rows.flatMap((r) => Array.from({ length: Number(r['n']) }, () => Number(r['h'])));
    };
    await store.enforceRetention();
    assert.deepEqual(await ages('flows_core'), [1]);
    assert.deepEqual(await ages('flows_wide'), [1]);
    assert.deepEqual(await ages('flows'), [1, 1]);
    // Rollups count the flows they hold (the two flows of an age share one rollup row).
    assert.deepEqual(await ages('flows_1m', 'sum("flows")'), [1, 1, 5, 5]);
    assert.deepEqual(await ages('flows_1h', 'sum("flows")'), [1, 1, 5, 5, 50, 50]);
    assert.equal(store.stats().rowsDeletedByAge, 6);
  } finally {
    await store.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
