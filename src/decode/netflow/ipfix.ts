/**
 * IPFIX messages (RFC 7011): a 16-byte header, then sets: id 2 templates,
 * id 3 options templates, ids >= 256 data.
 */
import { countError, type DecodeOutput } from '../result.ts';
import { handleDataSet, releasePending, type DecoderEnv, type MessageState } from './message.ts';
import { isZeroTail } from './zero-tail.ts';
import { nextSequence, sequenceGap } from './sequence.ts';
import {
  IPFIX_OPTIONS_TEMPLATE_SET_ID,
  IPFIX_TEMPLATE_SET_ID,
  MIN_DATA_SET_ID,
  parseIpfixTemplateSet,
} from './template-parse.ts';
import { domainState, type ExporterState } from './template-registry.ts';

/** RFC 7011 §3.1: version, length, export time, sequence, observation domain. */
const IPFIX_HEADER_LENGTH = 16;
const SET_HEADER_LENGTH = 4;

/** Decodes one IPFIX message (version already checked) into `out`. */
export function decodeIpfix(
  b: Uint8Array,
  v: DataView,
  ex: ExporterState,
  env: DecoderEnv,
  receivedMs: number,
  out: DecodeOutput,
): void {
  if (b.length < IPFIX_HEADER_LENGTH) {
    countError(out.errors, 'truncated');
    return;
  }
  const length = v.getUint16(2);
  if (length < IPFIX_HEADER_LENGTH) {
    countError(out.errors, 'bad_header');
    return;
  }
  let end = length;
  if (length > b.length) {
    countError(out.errors, 'truncated');
    end = b.length;
  }
  const sequence = v.getUint32(8);
  const d = domainState(ex, 10, v.getUint32(12));
  const m: MessageState = {
    env,
    ex,
    d,
    mc: {
      type: 'ipfix',
      version: 10,
      exporter: ex.exporter,
      exportMs: v.getUint32(4) * 1000,
      sysUptimeMs: NaN,
    },
    receivedMs,
    out,
    learnt: new Set(),
    records: 0,
    held: false,
  };
  // RFC 7011 §3.1: the sequence counts data records sent before this message, per domain.
  const lost = sequenceGap(d.nextSequence, sequence);
  if (lost > 0) out.lostRecords = (out.lostRecords ?? 0) + lost;
  walkSets(m, b, v, end);
  d.nextSequence = m.held ? -1 : nextSequence(sequence, m.records);
  releasePending(m);
}

function walkSets(m: MessageState, b: Uint8Array, v: DataView, end: number): void {
  const sink = { reg: m.env.reg, ex: m.ex, d: m.d, learnt: m.learnt, out: m.out };
  let off = IPFIX_HEADER_LENGTH;
  while (end - off >= SET_HEADER_LENGTH) {
    const id = v.getUint16(off);
    const len = v.getUint16(off + 2);
    if (len < SET_HEADER_LENGTH) {
      if (!isZeroTail(b, off, end)) countError(m.out.errors, 'bad_record');
      return;
    }
    if (off + len > end) {
      countError(m.out.errors, 'truncated');
      return;
    }
    const start = off + SET_HEADER_LENGTH;
    const setEnd = off + len;
    if (id === IPFIX_TEMPLATE_SET_ID) parseIpfixTemplateSet(b, v, start, setEnd, false, sink);
    else if (id === IPFIX_OPTIONS_TEMPLATE_SET_ID) parseIpfixTemplateSet(b, v, start, setEnd, true, sink);
    else if (id >= MIN_DATA_SET_ID) handleDataSet(m, id, b, v, start, setEnd);
    off = setEnd;
  }
}
