import type { Writable } from 'node:stream';
import { CaptureFileError } from '../../ingest/file/index.ts';
import {
  createFlowMeter,
  meterCaptureFile,
  type FlowMeterConfig,
  type MeterErrorKind,
} from '../../meter/index.ts';
import type { FlowRecord } from '../../schema/flow-record.ts';
import { csvHeader, formatRecordLine, type RecordFormat } from '../../schema/record-format.ts';
import { createLineWriter } from './output.ts';
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
  const out = createLineWriter(io.stdout);
  const s: MeterSummary = { files: 0, packets: 0, flows: 0, nonIp: 0, fragments: 0, evicted: 0, errors: {} };
  if (format === 'csv') await out.write(csvHeader());
  for (const file of files) {
    const meter = createFlowMeter({ exporter: file, config });
    // Records queue up between pushes (the feed is synchronous per chunk); written after each file.
    let pending: FlowRecord[] = [];
    meter.onFlow((r) => pending.push(r));
    const drain = async (): Promise<void> => {
      const batch = pending;
      pending = [];
      for (const r of batch) {
        const p = out.write(formatRecordLine(r, format));
        if (p) await p;
      }
    };
    try {
      await meterCaptureFile(file, meter);
    } catch (cause) {
      if (cause instanceof CaptureFileError) throw new UsageError(cause.message, { cause });
      throw cause;
    }
    meter.flushAll();
    await drain();
    addStats(s, meter.stats());
    s.files++;
  }
  await out.end();
  io.stderr.write(`${formatSummary(s)}\n`);
  return s;
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
