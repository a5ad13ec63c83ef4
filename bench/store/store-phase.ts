/**
 * Sustained writes through the store worker, as in `flowlens serve`: the
 * main thread plays the decode workers, posting columnar batches on a
 * producer port (buffers transferred); the store worker appends, rolls up
 * and commits durably on its flush interval. Batches are built once and
 * cloned per send (a memcpy), with `time` set to the send instant, so the
 * feeding costs little and the rollups see time advance as in production.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Registry } from 'prom-client';
import { createSilentLogger } from '../../src/common/logger.ts';
import {
  STORE_COLUMNS,
  batchTransferList,
  createStoreHost,
  type ColumnarBatch,
  type FromProducer,
  type StoreStats,
} from '../../src/store/index.ts';
import { processCpuS, threadCpuS, type PhaseResult } from './measure.ts';

export interface StorePhaseOptions {
  batches: readonly ColumnarBatch[];
  seconds: number;
  warmupSeconds: number;
  flushIntervalMs: number;
  flushRows: number;
  /** Rows posted but not yet written (or dropped) at most: the producers' back-pressure. */
  maxInFlightRows: number;
  /**
   * 0: the stream's own rollup keys (nearly one per flow, the worst case). N > 0: the
   * rollup dimensions (source AS, interfaces) are rewritten so each minute has at most
   * N distinct keys, as on a network whose flows share a few routes.
   */
  rollupKeys: number;
}

const col = (name: string): number => STORE_COLUMNS.findIndex((c) => c.name === name);
const SRC_AS = col('srcAs');
const DST_AS = col('dstAs');
const IN_IF = col('inIf');
const OUT_IF = col('outIf');

/** Rewrites the rollup dimensions of `b` onto `keys` distinct values (set in every v9 row). */
function limitRollupKeys(b: ColumnarBatch, keys: number): void {
  const [src, dst, inIf, outIf] = [SRC_AS, DST_AS, IN_IF, OUT_IF].map(
    (i) => b.columns[i]!.data as Uint32Array,
  );
  for (let i = 0; i < b.rows; i++) {
    const k = Math.imul(i, 2654435761) >>> 0;
    src![i] = 64_512 + (k % keys);
    dst![i] = 15_169;
    inIf![i] = 1;
    outIf![i] = 2;
  }
}

/** A copy of `b` on fresh buffers (the original stays usable), every row timed `timeMs`. */
function cloneBatch(b: ColumnarBatch, timeMs: number): ColumnarBatch {
  const copies = new Map<ArrayBufferLike, ArrayBuffer>();
  const copy = <T extends Uint8Array | Uint16Array | Uint32Array | Float64Array>(a: T): T => {
    let buf = copies.get(a.buffer);
    if (!buf) copies.set(a.buffer, (buf = (a.buffer as ArrayBuffer).slice(0)));
    const Ctor = a.constructor as new (b: ArrayBuffer, off: number, len: number) => T;
    return new Ctor(buf, a.byteOffset, a.length);
  };
  const columns = b.columns.map((c) => ({
    ...c,
    data: copy(c.data),
    valid: copy(c.valid),
    ...(c.entries ? { entries: copy(c.entries) } : {}),
  }));
  const time = columns[0]!.data as Uint32Array;
  for (let i = 0; i < b.rows; i++) {
    time[i * 2] = timeMs % 2 ** 32;
    time[i * 2 + 1] = Math.floor(timeMs / 2 ** 32);
  }
  return { rows: b.rows, columns };
}

/** Runs the sustained write phase; resolves with its measurements. */
export async function runStorePhase(o: StorePhaseOptions): Promise<PhaseResult> {
  const dir = mkdtempSync(join(tmpdir(), 'flowlens-bench-store-'));
  const host = createStoreHost({
    config: {
      dir,
      flushIntervalMs: o.flushIntervalMs,
      flushRows: o.flushRows,
      maxQueuedRows: 5_000_000,
      retention: { maxAgeMs: 1e12, maxDiskBytes: 1e12, maxAge1mMs: 1e12, maxAge1hMs: 1e12 },
    },
    log: createSilentLogger(),
    registry: new Registry(),
  });
  await host.start();
  const port = host.connectProducer();
  let sent = 0;
  let next = 0;
  const done = (s: StoreStats | undefined): number => (s ? s.rowsWritten + s.rowsDropped : 0);
  const feed = (): void => {
    while (sent - done(host.stats()) < o.maxInFlightRows) {
      const batch = cloneBatch(o.batches[next++ % o.batches.length]!, Date.now());
      if (o.rollupKeys > 0) limitRollupKeys(batch, o.rollupKeys);
      port.postMessage({ t: 'batch', batch } satisfies FromProducer, batchTransferList(batch));
      sent += batch.rows;
    }
  };
  const until = async (endMs: number): Promise<void> => {
    while (Date.now() < endMs) {
      feed();
      await sleep(5);
    }
  };
  try {
    await until(Date.now() + o.warmupSeconds * 1000);
    const [w0, c0, m0, s0] = [performance.now(), processCpuS(), threadCpuS(), host.stats()];
    await until(Date.now() + o.seconds * 1000);
    const [w1, c1, m1, s1] = [performance.now(), processCpuS(), threadCpuS(), host.stats()];
    const rows = (s1?.rowsWritten ?? 0) - (s0?.rowsWritten ?? 0);
    const flushes = (s1?.flushes ?? 0) - (s0?.flushes ?? 0);
    const dropped = (s1?.rowsDropped ?? 0) - (s0?.rowsDropped ?? 0);
    return {
      name:
        'store worker: batches -> DuckDB (raw + 1m + 1h, durable commits)' +
        (o.rollupKeys > 0 ? `, ≤ ${o.rollupKeys} rollup keys` : ''),
      rows,
      wallS: (w1 - w0) / 1000,
      // Everything but the feeding main thread: the store worker, DuckDB's threads, GC helpers.
      cpuS: c1 - c0 - (m1 - m0),
      note: `${flushes} flushes, ${dropped} dropped, ${((s1?.diskBytes ?? 0) / 2 ** 20) | 0} MiB on disk`,
    };
  } finally {
    port.postMessage({ t: 'end' } satisfies FromProducer);
    port.close();
    await host.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
