/**
 * `flowlens meter` on several threads: each shard reads the whole file and
 * meters the flows of its key-hash range; shard 0 runs on the main thread,
 * which also writes every shard's lines, the others in workers
 * (meter-worker.ts). Output is deterministic: chunk k of every
 * shard, in shard order, before chunk k + 1 (all shards cut their output at
 * the same places of the file). A shard pauses when `MAX_AHEAD_BYTES` of its
 * lines wait for the writer, so a slow reader bounds memory.
 */
import { getCompileCacheDir } from 'node:module';
import type { Worker } from 'node:worker_threads';
import type { MeterErrorKind, MeterStats } from '../../meter/index.ts';
import { meterFile, type MeterFileJob } from './meter-file.ts';
import { byteLength, createLineBuffer, type ChunkPool, type StreamWriter } from './meter-output.ts';
import { UsageError } from './usage.ts';

/**
 * Bytes of lines a shard may hold (main thread) or post (worker) before the
 * main thread has written them. Counted in bytes, not chunks of the file: a
 * worker starts 0.1-0.2 s after this thread, and while the chunks carry few
 * lines (flows still open) this thread must not wait for it.
 */
const MAX_AHEAD_BYTES = 32 << 20;
const WORKER_URL = new URL('./meter-worker.ts', import.meta.url).href;

/**
 * A worker does not inherit the compile cache (module.enableCompileCache in
 * bin/flowlens.js): it enables the same directory before importing its
 * TypeScript, which then skips type stripping (measured: 0.12 -> 0.08 s of
 * CPU to start a worker).
 */
function startWorker(Thread: typeof Worker, workerData: ShardWorkerData): Worker {
  const cache = getCompileCacheDir();
  if (cache === undefined) return new Thread(new URL(WORKER_URL), { workerData });
  const boot = `require('node:module').enableCompileCache(${JSON.stringify(cache)}); import(${JSON.stringify(WORKER_URL)});`;
  return new Thread(boot, { eval: true, workerData });
}

/** What a worker is given. */
export interface ShardWorkerData {
  job: MeterFileJob;
  /** Int32 [0]: chunks written by the main thread (shared). */
  written: SharedArrayBuffer;
  maxAheadBytes: number;
}

/** What a worker posts. */
export type ShardMessage =
  | { kind: 'lines'; seq: number; chunks: Uint8Array[] }
  | { kind: 'done'; stats: MeterStats }
  | { kind: 'error'; message: string; usage: boolean };

/**
 * This thread's extra share of the flows: it starts metering while the
 * workers are still starting (about 0.1 s), so with an even split it would
 * finish first and wait.
 */
const MAIN_EXTRA_SHARE = 0.2;

/** Shard i's range [bounds[i], bounds[i + 1]) of the key-hash space; shard 0 is this thread's. */
export function shardBounds(count: number): number[] {
  const total = count + MAIN_EXTRA_SHARE;
  const bounds = [0];
  for (let i = 0; i < count; i++) bounds.push(i === count - 1 ? 1 : (i + 1 + MAIN_EXTRA_SHARE) / total);
  return bounds;
}

/**
 * Meters `job.file` in `count` shards into `out`: shard 0 on this thread,
 * the others on worker threads. Resolves with the merged statistics.
 * Buffers `out` has written come back through `pool` (this thread's lines
 * use them again).
 */
export async function meterFileSharded(
  job: Omit<MeterFileJob, 'shard'>,
  count: number,
  out: StreamWriter,
  pool?: ChunkPool,
): Promise<MeterStats> {
  // Loaded here, not at start: one thread (the usual case) never needs it.
  const { Worker: Thread } = await import('node:worker_threads');
  const written = new SharedArrayBuffer(4);
  const progress = new Int32Array(written);
  const bounds = shardBounds(count);
  const workers: Worker[] = [];
  /** Per shard (0 = this thread): its chunks of lines not yet written, in order. */
  const queues: Uint8Array[][][] = Array.from({ length: count }, () => []);
  const stats: (MeterStats | undefined)[] = Array.from({ length: count }, () => undefined);
  let failure: Error | undefined;
  // A message since the last wait wakes the next one at once (none is lost while writing).
  let signalled = false;
  let wake: (() => void) | undefined;
  const notify = (): void => {
    signalled = true;
    const w = wake;
    wake = undefined;
    w?.();
  };
  const nextMessage = async (): Promise<void> => {
    if (!signalled) await new Promise<void>((resolve) => (wake = resolve));
    signalled = false;
  };
  let seq = 0;
  /** Bytes of this thread's lines queued and not yet written. */
  let held = 0;
  /** Writes every chunk all shards have delivered (a finished shard delivers no more). */
  const writeReady = async (): Promise<void> => {
    for (;;) {
      if (failure) throw failure;
      if (!queues.every((q, i) => q.length > 0 || stats[i] !== undefined)) return;
      if (queues.every((q) => q.length === 0)) return;
      for (const q of queues) {
        const chunk = q.shift();
        if (!chunk) continue;
        if (q === queues[0]) held -= byteLength(chunk);
        await out.write(chunk);
      }
      Atomics.store(progress, 0, ++seq);
      Atomics.notify(progress, 0);
    }
  };
  try {
    for (let i = 1; i < count; i++) {
      const shard = { from: bounds[i]!, to: bounds[i + 1]! };
      const w = startWorker(Thread, { job: { ...job, shard }, written, maxAheadBytes: MAX_AHEAD_BYTES });
      w.on('message', (m: ShardMessage) => {
        if (m.kind === 'lines') queues[i]!.push(m.chunks);
        else if (m.kind === 'done') stats[i] = m.stats;
        else failure ??= m.usage ? new UsageError(m.message) : new Error(m.message);
        notify();
      });
      w.on('error', (err) => {
        failure ??= err;
        notify();
      });
      w.on('exit', (code) => {
        if (stats[i] === undefined) failure ??= new Error(`meter worker ${i} exited (${code})`);
        notify();
      });
      workers.push(w);
    }
    const lines = createLineBuffer(pool);
    // After each chunk of the file: its lines are queued, and what every shard has is written; this
    // thread holds MAX_AHEAD_BYTES of lines the workers have not caught up with at most.
    stats[0] = await meterFile({ ...job, shard: { from: 0, to: bounds[1]! } }, lines, async () => {
      const chunk = lines.take();
      queues[0]!.push(chunk);
      held += byteLength(chunk);
      await writeReady();
      while (held > MAX_AHEAD_BYTES) {
        await nextMessage();
        await writeReady();
      }
    });
    for (;;) {
      await writeReady();
      if (stats.every((st) => st !== undefined) && queues.every((q) => q.length === 0)) break;
      await nextMessage();
    }
    return mergeShardStats(stats as MeterStats[]);
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

/**
 * Statistics of the whole file from its shards'. Every shard sees every
 * packet: the packet count is any one shard's; a packet that does not
 * decode is counted by one shard only, so non-IP and error counts add up,
 * as do flows and fragments; orphan fragments as MeterStats.fragmentLookups
 * says.
 */
export function mergeShardStats(shards: readonly MeterStats[]): MeterStats {
  const first = shards[0]!;
  const sum = (f: (s: MeterStats) => number): number => shards.reduce((n, s) => n + f(s), 0);
  const errors = {} as Record<MeterErrorKind, number>;
  for (const k of Object.keys(first.errors) as MeterErrorKind[]) errors[k] = sum((s) => s.errors[k]);
  errors.orphan_fragment = sum((s) => s.errors.orphan_fragment) - (shards.length - 1) * first.fragmentLookups;
  return {
    packets: first.packets,
    metered: sum((s) => s.metered),
    nonIp: sum((s) => s.nonIp),
    fragments: sum((s) => s.fragments),
    fragmentLookups: first.fragmentLookups,
    flowsCreated: sum((s) => s.flowsCreated),
    flowsExported: sum((s) => s.flowsExported),
    evicted: sum((s) => s.evicted),
    activeFlows: sum((s) => s.activeFlows),
    errors,
  };
}
