/**
 * `flowlens meter` on several threads: each shard reads the whole file and
 * meters the flows of its key-hash range; shard 0 runs on the main thread,
 * which also writes every shard's lines, the others in workers
 * (meter-worker.ts). Output is deterministic: chunk k of every
 * shard, in shard order, before chunk k + 1 (all shards cut their output at
 * the same places of the file). Workers pause when `MAX_AHEAD_CHUNKS` chunks
 * ahead of the writer, so a slow reader bounds memory.
 */
import { on } from 'node:events';
import { getCompileCacheDir } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { MeterErrorKind, MeterStats } from '../../meter/index.ts';
import { meterFile, type MeterFileJob } from './meter-file.ts';
import { createLineBuffer, type StreamWriter } from './meter-output.ts';
import { UsageError } from './usage.ts';

/** Chunks (4 MB of capture each) a worker may post before the main thread has written them. */
const MAX_AHEAD_CHUNKS = 8;
const WORKER_URL = new URL('./meter-worker.ts', import.meta.url).href;

/**
 * A worker does not inherit the compile cache (module.enableCompileCache in
 * bin/flowlens.js): it enables the same directory before importing its
 * TypeScript, which then skips type stripping (measured: 0.12 -> 0.08 s of
 * CPU to start a worker).
 */
function startWorker(workerData: ShardWorkerData): Worker {
  const cache = getCompileCacheDir();
  if (cache === undefined) return new Worker(new URL(WORKER_URL), { workerData });
  const boot = `require('node:module').enableCompileCache(${JSON.stringify(cache)}); import(${JSON.stringify(WORKER_URL)});`;
  return new Worker(boot, { eval: true, workerData });
}

/** What a worker is given. */
export interface ShardWorkerData {
  job: MeterFileJob;
  /** Int32 [0]: chunks written by the main thread (shared). */
  written: SharedArrayBuffer;
  maxAhead: number;
}

/** What a worker posts. */
export type ShardMessage =
  | { kind: 'lines'; seq: number; chunks: Uint8Array[] }
  | { kind: 'done'; stats: MeterStats }
  | { kind: 'error'; message: string; usage: boolean };

/**
 * Meters `job.file` in `count` shards into `out`: shard 0 on this thread,
 * the others on worker threads. Resolves with the merged statistics.
 */
export async function meterFileSharded(
  job: Omit<MeterFileJob, 'shard'>,
  count: number,
  out: StreamWriter,
): Promise<MeterStats> {
  const written = new SharedArrayBuffer(4);
  const progress = new Int32Array(written);
  const workers: Worker[] = [];
  const ac = new AbortController();
  try {
    for (let index = 1; index < count; index++)
      workers.push(
        startWorker({ job: { ...job, shard: { index, count } }, written, maxAhead: MAX_AHEAD_CHUNKS }),
      );
    // Messages queue up in each iterator until read; a worker's 'error' event rejects its iterator.
    const inbox = workers.map((w) => on(w, 'message', { signal: ac.signal })[Symbol.asyncIterator]());
    const stats: (MeterStats | undefined)[] = workers.map(() => undefined);
    /** Writes chunk `seq` of every worker that has not finished (in shard order). */
    const writeWorkers = async (): Promise<void> => {
      for (let i = 0; i < workers.length; i++) {
        if (stats[i]) continue;
        const m = ((await inbox[i]!.next()).value as [ShardMessage])[0];
        if (m.kind === 'error') throw m.usage ? new UsageError(m.message) : new Error(m.message);
        if (m.kind === 'done') stats[i] = m.stats;
        else await out.write(m.chunks);
      }
    };
    let seq = 0;
    const lines = createLineBuffer();
    // After each chunk of the file: this thread's lines, then the workers' for the same chunk.
    const own = await meterFile({ ...job, shard: { index: 0, count } }, lines, async () => {
      await out.write(lines.take());
      await writeWorkers();
      Atomics.store(progress, 0, ++seq);
      Atomics.notify(progress, 0);
    });
    while (stats.some((st) => st === undefined)) await writeWorkers();
    return mergeShardStats([own, ...(stats as MeterStats[])]);
  } finally {
    ac.abort();
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

/**
 * Statistics of the whole file from its shards'. Every shard sees every
 * packet: packet, non-IP and decode-error counts are any one shard's; flows
 * and fragments add up; orphan fragments as MeterStats.fragmentLookups says.
 */
export function mergeShardStats(shards: readonly MeterStats[]): MeterStats {
  const first = shards[0]!;
  const sum = (f: (s: MeterStats) => number): number => shards.reduce((n, s) => n + f(s), 0);
  const errors: Record<MeterErrorKind, number> = { ...first.errors };
  errors.orphan_fragment = sum((s) => s.errors.orphan_fragment) - (shards.length - 1) * first.fragmentLookups;
  return {
    packets: first.packets,
    metered: sum((s) => s.metered),
    nonIp: first.nonIp,
    fragments: sum((s) => s.fragments),
    fragmentLookups: first.fragmentLookups,
    flowsCreated: sum((s) => s.flowsCreated),
    flowsExported: sum((s) => s.flowsExported),
    evicted: sum((s) => s.evicted),
    activeFlows: sum((s) => s.activeFlows),
    errors,
  };
}
