/**
 * Flow samples (sFlow v5 §5, "flow_sample" 0:1 and "flow_sample_expanded"
 * 0:3): one FlowRecord per sample, `packets` 1 and `bytes` the sampled
 * packet's length, NOT scaled by the sampling rate (contracts.md).
 */
import type { FlowRecord } from '../../schema/flow-record.ts';
import { countError } from '../result.ts';
import {
  FLOW_EXPANDED_FIXED_BYTES,
  FLOW_SAMPLE_FIXED_BYTES,
  FORMAT_BITS,
  FORMAT_MASK,
  INTERFACE_FORMAT_IFINDEX,
  INTERFACE_FORMAT_SHIFT,
  INTERFACE_INTERNAL,
  INTERFACE_VALUE_MASK,
  SAMPLE_HEADER_BYTES,
  SOURCE_INDEX_MASK,
  SOURCE_TYPE_SHIFT,
} from './constants.ts';
import { BYTES_FROM_NONE, type DecodeScope } from './decode-scope.ts';
import { decodeFlowRecord } from './flow-records.ts';

/** Source type and index packed in one number (type * 2^32 + index), the same for both sample forms. */
const SOURCE_KEY_TYPE_FACTOR = 0x1_0000_0000;

/** Decodes a (compact or expanded) flow sample spanning [p, end) and appends its record. */
export function decodeFlowSample(sc: DecodeScope, p: number, end: number, expanded: boolean): void {
  if (end - p < (expanded ? FLOW_EXPANDED_FIXED_BYTES : FLOW_SAMPLE_FIXED_BYTES)) {
    countError(sc.errors, 'bad_record');
    return;
  }
  const v = sc.v;
  let sourceKey: number;
  let inIf: number;
  let outIf: number;
  let q: number;
  if (expanded) {
    sourceKey = v.getUint32(p + 4) * SOURCE_KEY_TYPE_FACTOR + v.getUint32(p + 8);
    inIf = expandedIfIndex(v.getUint32(p + 24), v.getUint32(p + 28));
    outIf = expandedIfIndex(v.getUint32(p + 32), v.getUint32(p + 36));
    q = p + 12;
  } else {
    const source = v.getUint32(p + 4);
    sourceKey = (source >>> SOURCE_TYPE_SHIFT) * SOURCE_KEY_TYPE_FACTOR + (source & SOURCE_INDEX_MASK);
    inIf = compactIfIndex(v.getUint32(p + 20));
    outIf = compactIfIndex(v.getUint32(p + 24));
    q = p + 8;
  }
  // Both forms continue with sampling_rate, sample_pool, drops.
  const rate = v.getUint32(q);
  const drops = v.getUint32(q + 8);
  sc.lostRecords += sc.agents.trackFlowSample(sc.agent, sourceKey, v.getUint32(p), drops);
  const rec: FlowRecord = {
    type: 'sflow5',
    exporter: sc.exporter,
    observationDomain: sc.subAgentId,
    start: sc.receivedMs,
    end: sc.receivedMs,
    bytes: 0,
    packets: 1,
  };
  if (rate !== 0) rec.samplingRate = rate;
  if (inIf >= 0) rec.inIf = inIf;
  if (outIf >= 0) rec.outIf = outIf;
  const countAt = p + (expanded ? FLOW_EXPANDED_FIXED_BYTES : FLOW_SAMPLE_FIXED_BYTES) - 4;
  decodeRecords(sc, countAt + 4, end, v.getUint32(countAt), rec);
  sc.records.push(rec);
}

/**
 * Compact interface word: format in the top 2 bits. Only format 0 names an
 * interface, and 0x3FFFFFFF there means internal/unknown; a discard (1) or
 * several outputs (2) leave the interface unknown (-1).
 */
function compactIfIndex(word: number): number {
  if (word >>> INTERFACE_FORMAT_SHIFT !== INTERFACE_FORMAT_IFINDEX) return -1;
  const value = word & INTERFACE_VALUE_MASK;
  return value === INTERFACE_INTERNAL ? -1 : value;
}

/** Expanded interface: the same formats, as a separate format and value word. */
function expandedIfIndex(format: number, value: number): number {
  if (format !== INTERFACE_FORMAT_IFINDEX || value === INTERFACE_INTERNAL) return -1;
  return value;
}

/** The flow records of one sample; a count the bytes cannot hold is malformed but what fits is used. */
function decodeRecords(sc: DecodeScope, p: number, end: number, count: number, rec: FlowRecord): void {
  const v = sc.v;
  if (count > (end - p) / SAMPLE_HEADER_BYTES) countError(sc.errors, 'bad_record');
  sc.bytesSource = BYTES_FROM_NONE;
  sc.nextHopFromGateway = false;
  let q = p;
  for (let i = 0; i < count && q + SAMPLE_HEADER_BYTES <= end; i++) {
    const format = v.getUint32(q);
    const length = v.getUint32(q + 4);
    q += SAMPLE_HEADER_BYTES;
    if (length > end - q) {
      countError(sc.errors, 'bad_record');
      return;
    }
    // Enterprise-specific records (top 20 bits non-zero) are skipped by length.
    if (format >>> FORMAT_BITS === 0) decodeFlowRecord(sc, format & FORMAT_MASK, q, q + length, rec);
    q += length;
  }
}
