/**
 * The engines the query suite runs against. Each loads the fixed dataset
 * and hands back its QueryRunner; an engine that needs a server it cannot
 * find is skipped with the reason (and fails instead under
 * FLOWLENS_REQUIRE_SYSTEM_TESTS=1). ClickHouse runs in a private
 * clickhouse-server the test starts (Debian's 18.16 in CI).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFakeClock } from '../../src/common/clock.ts';
import { createSilentLogger } from '../../src/common/logger.ts';
import type { FlowRecord } from '../../src/schema/flow-record.ts';
import {
  createBatchBuilder,
  createClickhouseStore,
  createDuckDbStore,
  type FlowStore,
  type QueryRunner,
} from '../../src/store/index.ts';
import { startClickhouseServer } from '../support/clickhouse-server.ts';
import { findTool } from '../support/system-tool.ts';

/** A loaded engine. */
export interface LoadedEngine {
  readonly runner: QueryRunner;
  close(): Promise<void>;
}

/** An engine under test. */
export interface EngineUnderTest {
  readonly name: string;
  /**
   * Loads the records; undefined (with `skipReason`) when the engine is not
   * available here. `flushes` (their concatenation is `records`) says which
   * records are written in one flush; two halves when absent.
   */
  load(
    records: readonly FlowRecord[],
    nowMs: number,
    flushes?: readonly (readonly FlowRecord[])[],
  ): Promise<LoadedEngine | undefined>;
  readonly skipReason?: string;
}

const DAY = 86_400_000;
const RETENTION = { maxAgeMs: 30 * DAY, maxDiskBytes: 1 << 30, maxAge1mMs: 60 * DAY, maxAge1hMs: 400 * DAY };

/** Two batches by default, so rollups hold partial buckets that queries must add up. */
async function loadInFlushes(
  store: FlowStore,
  records: readonly FlowRecord[],
  nowMs: number,
  flushes?: readonly (readonly FlowRecord[])[],
): Promise<void> {
  const half = Math.floor(records.length / 2);
  for (const part of flushes ?? [records.slice(0, half), records.slice(half)]) {
    const b = createBatchBuilder(part.length);
    for (const r of part) b.add(r, nowMs);
    store.write(b.take());
    await store.flush();
  }
}

const duckdb: EngineUnderTest = {
  name: 'duckdb',
  async load(records, nowMs, flushes) {
    const dir = mkdtempSync(join(tmpdir(), 'flowlens-query-'));
    const store = createDuckDbStore({
      config: {
        dir,
        flushIntervalMs: 1000,
        flushRows: 1_000_000,
        maxQueuedRows: 10_000_000,
        retention: RETENTION,
      },
      clock: createFakeClock(nowMs),
      log: createSilentLogger(),
    });
    await store.start();
    await loadInFlushes(store, records, nowMs, flushes);
    return {
      runner: store.runner,
      async close() {
        await store.stop();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
};

const clickhouseBinary = findTool('clickhouse-server');

const clickhouse: EngineUnderTest = {
  name: 'clickhouse',
  async load(records, nowMs, flushes) {
    if (!clickhouseBinary)
      throw new Error('clickhouse-server is required but missing: apt-get install -y clickhouse-server');
    const server = await startClickhouseServer(clickhouseBinary);
    const store = createClickhouseStore({
      config: {
        endpoint: {
          url: server.url,
          database: 'flowlens_test',
          user: 'default',
          password: '',
          requestTimeoutMs: 60_000,
        },
        flushIntervalMs: 1000,
        flushRows: 1_000_000,
        maxQueuedRows: 10_000_000,
        retention: RETENTION,
      },
      clock: createFakeClock(nowMs),
      log: createSilentLogger(),
    });
    try {
      await store.start();
      await loadInFlushes(store, records, nowMs, flushes);
      if (store.stats().rowsWritten !== records.length)
        throw new Error('ClickHouse did not store every flow');
    } catch (err) {
      await server.stop();
      throw err;
    }
    return {
      runner: store.runner,
      async close() {
        await store.stop();
        await server.stop();
      },
    };
  },
  ...(clickhouseBinary || process.env['FLOWLENS_REQUIRE_SYSTEM_TESTS'] === '1'
    ? {}
    : { skipReason: 'clickhouse-server not installed (apt-get install -y clickhouse-server)' }),
};

/** Every engine the query suite runs against. */
export const ENGINES: readonly EngineUnderTest[] = [duckdb, clickhouse];
