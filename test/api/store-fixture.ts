/**
 * A real store for the API tests: the store worker (as `flowlens serve` runs
 * it) in a temporary folder, loaded with a fixed dataset through a producer
 * port, queried through the query channel.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSilentLogger } from '../../src/common/logger.ts';
import type { FlowRecord } from '../../src/schema/flow-record.ts';
import { createStoreHost, createStoreProducer, type StoreHost } from '../../src/store/index.ts';
import { Registry } from 'prom-client';
import { pollUntil } from '../support/poll-until.ts';

const YEAR = 365 * 86_400_000;

/** A running store worker holding `records`. */
export interface StoreFixture {
  readonly host: StoreHost;
  readonly dir: string;
  close(): Promise<void>;
}

/** Starts a store worker in a temporary folder and writes `records` (times relative to `nowMs`). */
export async function startStore(records: readonly FlowRecord[], nowMs: number): Promise<StoreFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'flowlens-api-'));
  const host = createStoreHost({
    config: {
      dir,
      flushIntervalMs: 50,
      flushRows: 1_000_000,
      maxQueuedRows: 10_000_000,
      // The store worker ages flows by the real clock: keep the fixed (past) dataset.
      retention: {
        maxAgeMs: 100 * YEAR,
        maxDiskBytes: 1 << 30,
        maxAge1mMs: 100 * YEAR,
        maxAge1hMs: 100 * YEAR,
      },
    },
    log: createSilentLogger(),
    registry: new Registry(),
  });
  await host.start();
  const producer = createStoreProducer(host.connectProducer(), {
    batchRows: 4096,
    maxDelayMs: 0,
    now: () => nowMs,
  });
  for (const r of records) producer.add(r);
  producer.end();
  await pollUntil(
    async () => {
      await host.flush();
      const rows = await host.runner.all('SELECT count(*) AS n FROM flows', [{ name: 'n', kind: 'number' }]);
      return rows[0]?.['n'] === records.length;
    },
    { timeoutMs: 30_000, intervalMs: 50, what: `${records.length} flows stored` },
  );
  return {
    host,
    dir,
    async close() {
      await host.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
