/**
 * NetFlow v9 export packets (RFC 3954): a 20-byte header, then flowsets:
 * id 0 templates, id 1 options templates, ids >= 256 data.
 */
import { countError, type DecodeOutput } from '../result.ts';
import { releasePending, handleDataSet, type DecoderEnv, type MessageState } from './message.ts';
import { isZeroTail } from './zero-tail.ts';
import { nextSequence, sequenceGap } from './sequence.ts';
import { parseV9OptionsFlowset, parseV9TemplateFlowset, MIN_DATA_SET_ID } from './template-parse.ts';
import { domainState, type ExporterState } from './template-registry.ts';

/** RFC 3954 §5.1: version, count, sysUptime, unix_secs, sequence, source id. */
const V9_HEADER_LENGTH = 20;
const FLOWSET_HEADER_LENGTH = 4;
const V9_TEMPLATE_FLOWSET_ID = 0;
const V9_OPTIONS_TEMPLATE_FLOWSET_ID = 1;

/** Decodes one v9 datagram (version already checked) into `out`. */
export function decodeV9(
  b: Uint8Array,
  v: DataView,
  ex: ExporterState,
  env: DecoderEnv,
  receivedMs: number,
  out: DecodeOutput,
): void {
  if (b.length < V9_HEADER_LENGTH) {
    countError(out.errors, 'truncated');
    return;
  }
  const sysUptimeMs = v.getUint32(4);
  const unixSecs = v.getUint32(8);
  const sequence = v.getUint32(12);
  const d = domainState(ex, 9, v.getUint32(16));
  // RFC 3954 §5.1: the sequence counts export packets, per source id.
  const lost = sequenceGap(d.nextSequence, sequence);
  if (lost > 0) out.lostDatagrams = (out.lostDatagrams ?? 0) + lost;
  d.nextSequence = nextSequence(sequence, 1);
  const m: MessageState = {
    env,
    ex,
    d,
    mc: { type: 'netflow9', version: 9, exporter: ex.exporter, exportMs: unixSecs * 1000, sysUptimeMs },
    receivedMs,
    out,
    learnt: new Set(),
    records: 0,
    held: false,
  };
  walkFlowsets(m, b, v);
  releasePending(m);
}

function walkFlowsets(m: MessageState, b: Uint8Array, v: DataView): void {
  const sink = { reg: m.env.reg, ex: m.ex, d: m.d, learnt: m.learnt, out: m.out };
  let off = V9_HEADER_LENGTH;
  while (b.length - off >= FLOWSET_HEADER_LENGTH) {
    const id = v.getUint16(off);
    const len = v.getUint16(off + 2);
    if (len < FLOWSET_HEADER_LENGTH) {
      // Some exporters zero-fill datagrams after the last flowset: not an error.
      if (!isZeroTail(b, off, b.length)) countError(m.out.errors, 'bad_record');
      return;
    }
    if (off + len > b.length) {
      countError(m.out.errors, 'truncated');
      return;
    }
    const start = off + FLOWSET_HEADER_LENGTH;
    const end = off + len;
    if (id === V9_TEMPLATE_FLOWSET_ID) parseV9TemplateFlowset(b, v, start, end, sink);
    else if (id === V9_OPTIONS_TEMPLATE_FLOWSET_ID) parseV9OptionsFlowset(b, v, start, end, sink);
    else if (id >= MIN_DATA_SET_ID) handleDataSet(m, id, b, v, start, end);
    off = end;
  }
}
