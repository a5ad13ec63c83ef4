// node:fs rather than node:fs/promises, which loads readline and more (1.6 ms of the command's start).
import { statSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import type { Writable } from 'node:stream';
import { CaptureFileError, detectCaptureFormat } from '../../ingest/file/index.ts';
import type { FlowMeterConfig, MeterErrorKind, MeterStats } from '../../meter/index.ts';
import { csvHeader, type RecordFormat } from '../../schema/record-format.ts';
import { meterFile, type MeterFileJob } from './meter-file.ts';
import {
  createChunkPool,
  createLineBuffer,
  createStreamWriter,
  writesToDescriptor,
  type ChunkPool,
  type StreamWriter,
} from './meter-output.ts';
import { meterFileSharded } from './meter-shards.ts';
import { UsageError } from './usage.ts';

/** What `flowlens meter` read, for the summary on stderr. */
export interface MeterSummary {
  files: number;
  packets: number;
  flows: number;
  nonIp: number;
  fragments: number;
  evicted: number;
  errors: Partial<Record<MeterErrorKind, number>>;
}

/** How `flowlens meter` spreads a file over threads. */
export interface MeterThreading {
  /** Threads for one large file (default: the idle cores if at least 3, at most MAX_DEFAULT_THREADS); 1 = the main thread only. */
  threads?: number;
  /** Files smaller than this are metered on the main thread (a worker's start-up would cost more). */
  minShardedFileBytes?: number;
}

/**
 * Every shard reads every packet (and decodes those whose shard the bytes do
 * not tell: tunnels, fragments, other link types) and meters 1/N of the
 * flows: each thread has a fixed part (about 0.1 s CPU a million packets),
 * so a few are enough.
 */
const MAX_DEFAULT_THREADS = 4;
/** Fewer idle cores than this: one thread. */
const MIN_DEFAULT_THREADS = 3;
/**
 * The idle cores, at most MAX_DEFAULT_THREADS, when at least
 * MIN_DEFAULT_THREADS of them are idle; else one. Threads only pay where a
 * core is free for each: every thread reads and partly decodes the whole
 * file, compiles the same code and starts 0.1-0.2 s after the main thread,
 * and V8's compiler and GC threads of each want a share of a core too.
 * Measured on 2 idle cores (load 1.0-1.4 of our own runs): two threads took
 * 0.87-1.13 s against one thread's 0.76-0.79 s, for 1.6x the CPU.
 */
function defaultThreads(): number {
  const idle = Math.floor(availableParallelism() - (loadavg()[0] ?? 0) + 0.5);
  return idle < MIN_DEFAULT_THREADS ? 1 : Math.min(MAX_DEFAULT_THREADS, idle);
}

/**
 * V8's budget of bytecode inlined into one optimised function (default 920
 * bytes), raised for this command. The meter's per-packet function calls the
 * flow lookup, key comparison, counters and TCP state update, about 1,300
 * bytes of small functions in all: within the default budget V8 inlined
 * some and called the rest (the key comparison alone about 160 instructions
 * a packet). With 2,000, callgrind counts 7 % fewer instructions on the
 * benchmark file (docs/performance.md, ninth pass). Set once, before the
 * first file: it applies to code compiled afterwards, process-wide.
 */
const INLINE_BUDGET_FLAG = '--max-inlined-bytecode-size-cumulative=2000';

/** About 60,000 packets: below this, worker start-up (~40 ms of CPU each) outweighs the split. */
const MIN_SHARDED_FILE_BYTES = 16 * 1024 * 1024;

/**
 * `flowlens meter FILE...`: raw packets in captures -> the flows the meter
 * builds, on stdout. One meter per file (the exporter is the file path), time
 * from the packets, every flow flushed at the end of its file. A large file
 * is metered by several threads (this one and workers), each holding the
 * flows of one key range (meter-shards.ts); the lines are the same, in
 * another order.
 */
export async function runMeter(
  files: string[],
  format: RecordFormat,
  io: { stdout: Writable; stderr: Writable },
  config: Partial<FlowMeterConfig> = {},
  threading: MeterThreading = {},
): Promise<MeterSummary> {
  if (files.length === 0) throw new UsageError('meter needs at least one capture file');
  // A built-in through getBuiltinModule rather than an import: see cli-main.ts on node:util.
  process.getBuiltinModule('node:v8').setFlagsFromString(INLINE_BUDGET_FLAG);
  const threads = threading.threads ?? defaultThreads();
  const minSharded = threading.minShardedFileBytes ?? MIN_SHARDED_FILE_BYTES;
  // Output buffers are used again once written, where the stream lets go of them.
  const pool = writesToDescriptor(io.stdout) ? createChunkPool() : undefined;
  const out = createStreamWriter(io.stdout, pool);
  const s: MeterSummary = { files: 0, packets: 0, flows: 0, nonIp: 0, fragments: 0, evicted: 0, errors: {} };
  if (format === 'csv') await out.write([Buffer.from(csvHeader())]);
  for (const file of files) {
    const job: MeterFileJob = { file, format, config };
    try {
      await detectCaptureFormat(file); // unreadable or not a capture: a usage error before any thread starts
      const sharded = threads > 1 && statSync(file).size >= minSharded;
      addStats(
        s,
        sharded ? await meterFileSharded(job, threads, out, pool) : await meterInline(job, out, pool),
      );
    } catch (cause) {
      if (cause instanceof CaptureFileError) throw new UsageError(cause.message, { cause });
      throw cause;
    }
    s.files++;
  }
  io.stderr.write(`${formatSummary(s)}\n`);
  return s;
}

/** One file on this thread; its lines are written between chunks of the file. */
function meterInline(job: MeterFileJob, out: StreamWriter, pool?: ChunkPool): Promise<MeterStats> {
  const lines = createLineBuffer(pool);
  return meterFile(job, lines, () => out.write(lines.take()));
}

function addStats(s: MeterSummary, st: MeterStats): void {
  s.packets += st.packets;
  s.flows += st.flowsExported;
  s.nonIp += st.nonIp;
  s.fragments += st.fragments;
  s.evicted += st.evicted;
  for (const [k, n] of Object.entries(st.errors))
    if (n > 0) s.errors[k as MeterErrorKind] = (s.errors[k as MeterErrorKind] ?? 0) + n;
}

function formatSummary(s: MeterSummary): string {
  const errs = Object.entries(s.errors)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
  return [
    `flowlens meter: ${s.files} file(s), ${s.packets} packets, ${s.flows} flows`,
    `${s.nonIp} non-IP frames, ${s.fragments} fragments, ${s.evicted} flows evicted`,
    `errors: ${errs || 'none'}`,
  ].join('; ');
}
