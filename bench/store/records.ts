/**
 * Flow records exactly as the collector produces them: NetFlow v9 datagrams
 * from the ingest bench's stream builder (the 18-field Cisco-style template,
 * varied addresses, ports and AS numbers) run through the real decoder, so
 * the records have the decoder's single hidden class with every key present.
 */
import { createFlowDecoder } from '../../src/decode/index.ts';
import type { FlowRecord } from '../../src/schema/flow-record.ts';
import { buildExportStream } from '../ingest/export-stream.ts';

/** About `count` decoded v9 records (whole datagrams), all from one exporter. */
export function decodedV9Records(count: number, nowMs: number): FlowRecord[] {
  const perDatagram = 25;
  const stream = buildExportStream({
    protocol: 'v9',
    domain: 100,
    seed: 1,
    ringDatagrams: Math.max(1, Math.ceil(count / perDatagram)),
    maxDatagramBytes: 1400,
    nowMs,
  });
  const decoder = createFlowDecoder();
  const ctx = { exporter: '192.0.2.1', receivedMs: nowMs };
  stream.stampTemplate(stream.template);
  decoder.decode(stream.template, ctx);
  const out: FlowRecord[] = [];
  for (const d of stream.data) {
    stream.stampData(d);
    for (const r of decoder.decode(d, ctx).records) out.push(r);
  }
  if (out.length === 0) throw new Error('the decoder produced no records');
  return out;
}
