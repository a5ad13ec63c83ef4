import type { Writable } from 'node:stream';
import {
  createFlowDecoder,
  sniffFormat,
  type DecodeErrorKind,
  type ExportFormat,
} from '../../decode/index.ts';
import { CaptureFileError, readUdpDatagrams } from '../../ingest/file/index.ts';
import { csvHeader, formatRecordLine, type RecordFormat } from '../../schema/record-format.ts';
import { createLineWriter } from './output.ts';
import { UsageError } from './usage.ts';

/** What `flowlens decode` read, for the summary on stderr. */
export interface DecodeSummary {
  files: number;
  datagrams: Record<ExportFormat, number>;
  skippedDatagrams: number;
  records: number;
  errors: Partial<Record<DecodeErrorKind, number>>;
  lostRecords: number;
  lostDatagrams: number;
}

/**
 * `flowlens decode FILE...`: flow-export datagrams in captures -> flow records
 * on stdout. One decoder serves all files, so templates learnt in one file
 * apply to the next.
 */
export async function runDecode(
  files: string[],
  format: RecordFormat,
  io: { stdout: Writable; stderr: Writable },
): Promise<DecodeSummary> {
  if (files.length === 0) throw new UsageError('decode needs at least one capture file');
  const decoder = createFlowDecoder();
  const out = createLineWriter(io.stdout);
  const s: DecodeSummary = {
    files: 0,
    datagrams: { netflow5: 0, netflow9: 0, ipfix: 0, sflow5: 0 },
    skippedDatagrams: 0,
    records: 0,
    errors: {},
    lostRecords: 0,
    lostDatagrams: 0,
  };
  const addErrors = (errors: Partial<Record<DecodeErrorKind, number>>): void => {
    for (const [k, n] of Object.entries(errors))
      s.errors[k as DecodeErrorKind] = (s.errors[k as DecodeErrorKind] ?? 0) + n;
  };
  if (format === 'csv') await out.write(csvHeader());
  let lastMs = 0;
  for (const file of files) {
    try {
      for await (const d of readUdpDatagrams(file)) {
        const kind = sniffFormat(d.payload, true);
        if (!kind) {
          s.skippedDatagrams++;
          continue;
        }
        lastMs = d.tsMs;
        s.datagrams[kind]++;
        const res = decoder.decode(d.payload, { exporter: d.srcAddr, receivedMs: Math.floor(d.tsMs) }, kind);
        addErrors(res.errors);
        s.lostRecords += res.lostRecords ?? 0;
        s.lostDatagrams += res.lostDatagrams ?? 0;
        for (const r of res.records) {
          s.records++;
          const p = out.write(formatRecordLine(r, format));
          if (p) await p;
        }
      }
    } catch (cause) {
      if (cause instanceof CaptureFileError) throw new UsageError(cause.message, { cause });
      throw cause;
    }
    s.files++;
  }
  // Whatever still waits for a template at the end never gets one.
  addErrors(decoder.expire(lastMs + Number.MAX_SAFE_INTEGER / 2).errors);
  await out.end();
  io.stderr.write(`${formatSummary(s)}\n`);
  return s;
}

function formatSummary(s: DecodeSummary): string {
  const dg = Object.entries(s.datagrams)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
  const errs = Object.entries(s.errors)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
  return [
    `flowlens decode: ${s.files} file(s), ${Object.values(s.datagrams).reduce((a, b) => a + b, 0)} datagrams (${dg || 'none'})`,
    `${s.skippedDatagrams} other UDP datagrams skipped, ${s.records} records`,
    `errors: ${errs || 'none'}`,
    `sequence gaps: ${s.lostRecords} records, ${s.lostDatagrams} datagrams`,
  ].join('; ');
}
