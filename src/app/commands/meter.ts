import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { CaptureFileError } from '../../ingest/file/index.ts';
import {
  createFlowMeter,
  meterCaptureFile,
  type FlowMeterConfig,
  type MeterErrorKind,
} from '../../meter/index.ts';
import { csvHeader, formatRecordLine, type RecordFormat } from '../../schema/record-format.ts';
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

/**
 * `flowlens meter FILE...`: raw packets in captures -> the flows the meter
 * builds, on stdout. One meter per file (the exporter is the file path), time
 * from the packets, every flow flushed at the end of its file.
 */
export async function runMeter(
  files: string[],
  format: RecordFormat,
  io: { stdout: Writable; stderr: Writable },
  config: Partial<FlowMeterConfig> = {},
): Promise<MeterSummary> {
  if (files.length === 0) throw new UsageError('meter needs at least one capture file');
  const out = createChunkWriter(io.stdout);
  const s: MeterSummary = { files: 0, packets: 0, flows: 0, nonIp: 0, fragments: 0, evicted: 0, errors: {} };
  if (format === 'csv') out.addText(csvHeader());
  for (const file of files) {
    const meter = createFlowMeter({ exporter: file, config });
    // JSON Lines come straight from the meter's columns (no record objects); CSV goes through records.
    if (format === 'jsonl') meter.onFlowJson(out.add);
    else meter.onFlow((r) => out.addText(formatRecordLine(r, format)));
    try {
      // Flows exported while a chunk of the file is metered are written before the next chunk is read.
      await meterCaptureFile(file, { pushFrame: meter.pushFrame, chunkDone: out.drain });
    } catch (cause) {
      if (cause instanceof CaptureFileError) throw new UsageError(cause.message, { cause });
      throw cause;
    }
    meter.flushAll();
    await out.drain();
    addStats(s, meter.stats());
    s.files++;
  }
  await out.end();
  io.stderr.write(`${formatSummary(s)}\n`);
  return s;
}

/** Output collected into large chunks: one `write` per megabyte rather than one per line. */
interface ChunkWriter {
  add(line: Uint8Array): void;
  addText(text: string): void;
  /** Writes the full chunks, waiting for the stream to drain (back-pressure). */
  drain(): Promise<void> | undefined;
  /** Writes everything left. */
  end(): Promise<void>;
}

const CHUNK_BYTES = 1 << 20;

function createChunkWriter(out: Writable): ChunkWriter {
  let chunk = Buffer.allocUnsafe(CHUNK_BYTES);
  let used = 0;
  let full: Buffer[] = [];
  let closed = false; // a reader that went away (EPIPE) ends the output, not the metering
  out.on('error', () => (closed = true));
  const write = async (chunks: Buffer[]): Promise<void> => {
    for (const c of chunks) {
      if (closed) return;
      if (!out.write(c)) await once(out, 'drain').catch(() => (closed = true));
    }
  };
  const cut = (): void => {
    if (used > 0) full.push(chunk.subarray(0, used));
    chunk = Buffer.allocUnsafe(CHUNK_BYTES);
    used = 0;
  };
  const add = (line: Uint8Array): void => {
    if (used + line.length > chunk.length) {
      cut();
      if (line.length > chunk.length) return void full.push(Buffer.from(line));
    }
    chunk.set(line, used);
    used += line.length;
  };
  return {
    add,
    addText: (text) => add(Buffer.from(text)),
    drain() {
      if (full.length === 0) return undefined;
      const chunks = full;
      full = [];
      return write(chunks);
    },
    end() {
      cut();
      const chunks = full;
      full = [];
      return write(chunks);
    },
  };
}

function addStats(s: MeterSummary, st: ReturnType<ReturnType<typeof createFlowMeter>['stats']>): void {
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
