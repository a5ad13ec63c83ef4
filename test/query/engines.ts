/**
 * The engines the query suite runs against. Each loads the fixed dataset
 * and hands back its QueryRunner; an engine that needs a server it cannot
 * find returns undefined (the suite skips it, with the reason). The
 * ClickHouse backend adds itself here.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFakeClock } from '../../src/common/clock.ts';
import { createSilentLogger } from '../../src/common/logger.ts';
import type { FlowRecord } from '../../src/schema/flow-record.ts';
import { createBatchBuilder, createDuckDbStore, type QueryRunner } from '../../src/store/index.ts';

/** A loaded engine. */
export interface LoadedEngine {
  readonly runner: QueryRunner;
  close(): Promise<void>;
}

/** An engine under test. */
export interface EngineUnderTest {
  readonly name: string;
  /** Loads the records; undefined (with `skipReason`) when the engine is not available here. */
  load(records: readonly FlowRecord[], nowMs: number): Promise<LoadedEngine | undefined>;
  readonly skipReason?: string;
}

const DAY = 86_400_000;

const duckdb: EngineUnderTest = {
  name: 'duckdb',
  async load(records, nowMs) {
    const dir = mkdtempSync(join(tmpdir(), 'flowlens-query-'));
    const store = createDuckDbStore({
      config: {
        dir,
        flushIntervalMs: 1000,
        flushRows: 1_000_000,
        maxQueuedRows: 10_000_000,
        retention: { maxAgeMs: 30 * DAY, maxDiskBytes: 1 << 30, maxAge1mMs: 60 * DAY, maxAge1hMs: 400 * DAY },
      },
      clock: createFakeClock(nowMs),
      log: createSilentLogger(),
    });
    await store.start();
    // Two batches, so rollups hold partial buckets that queries must add up.
    const half = Math.floor(records.length / 2);
    for (const part of [records.slice(0, half), records.slice(half)]) {
      const b = createBatchBuilder(part.length);
      for (const r of part) b.add(r, nowMs);
      store.write(b.take());
      await store.flush();
    }
    return {
      runner: store.runner,
      async close() {
        await store.stop();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
};

/** Every engine the query suite runs against. */
export const ENGINES: readonly EngineUnderTest[] = [duckdb];
