/**
 * One capture file through one flow meter (or one shard of it) with the
 * built-in application detector, its lines into a LineBuffer: the part of `flowlens meter` that runs on the main
 * thread for small files and in each worker for large ones.
 */
import { createDefaultInspector } from '../../enrich/app/index.ts';
import {
  createFlowMeter,
  meterCaptureFile,
  type FlowMeterConfig,
  type MeterStats,
} from '../../meter/index.ts';
import { formatRecordLine, type RecordFormat } from '../../schema/record-format.ts';
import type { LineBuffer } from './meter-output.ts';

/** Flows flushed between two writes at the end of a file: about 1 MB of JSON Lines. */
const FLUSH_STEP_FLOWS = 2048;

/** What to meter and how. */
export interface MeterFileJob {
  file: string;
  format: RecordFormat;
  config: Partial<FlowMeterConfig>;
  /** The flows this thread meters: a range of the key-hash space (FlowMeterDeps.shard). */
  shard?: { from: number; to: number };
}

/**
 * Meters `job.file` into `lines`; `chunkDone` runs between chunks of the file
 * (and once after the final flush) to pass the lines on. Throws
 * CaptureFileError for a corrupt file.
 */
export async function meterFile(
  job: MeterFileJob,
  lines: LineBuffer,
  chunkDone: () => Promise<void> | undefined,
): Promise<MeterStats> {
  const meter = createFlowMeter({
    exporter: job.file,
    config: job.config,
    inspector: createDefaultInspector(),
    ...(job.shard ? { shard: job.shard } : {}),
  });
  // JSON Lines come straight from the meter's columns (no record objects); CSV goes through records.
  if (job.format === 'jsonl') meter.appendFlowJson(lines);
  else meter.onFlow((r) => lines.addText(formatRecordLine(r, job.format)));
  // Flows exported while a chunk of the file is metered are passed on before the next chunk is read.
  await meterCaptureFile(job.file, { pushFrame: meter.pushFrame, chunkDone });
  // The flows left at the end are flushed in steps, each step's lines written before the next (whose
  // buffers can then be the ones just written: LineBuffer's pool), rather than all held at once.
  while (!meter.flushSome(FLUSH_STEP_FLOWS)) {
    await chunkDone();
    await new Promise((resolve) => setImmediate(resolve)); // the writes' callbacks return their buffers
  }
  await chunkDone();
  return meter.stats();
}
