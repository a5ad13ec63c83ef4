/**
 * Data sets: runs the template's plan over each record, resolves times and
 * sampling, and either emits flow records or (options templates) updates the
 * domain's sampler tables. Padding after the last record is ignored.
 */
import type { FlowType } from '../../schema/flow-record.ts';
import { countError, type DecodeOutput } from '../result.ts';
import { decodeRecordFields } from './data-plan.ts';
import {
  asFlowRecord,
  collectMplsLabels,
  newRecord,
  ownSamplingRate,
  resetScratch,
  type FullRecord,
  type RecordScratch,
} from './record.ts';
import type { DomainState } from './template-registry.ts';
import type { Template } from './template.ts';

/** What the message header says, needed to finish each record. */
export interface MessageContext {
  type: FlowType;
  version: number;
  exporter: string;
  /** Header export time, epoch ms (v9: unix_secs; IPFIX: Export Time). */
  exportMs: number;
  /** v9 header sysUptime (ms); NaN for IPFIX. */
  sysUptimeMs: number;
}

/** Bound on sampler table entries per domain (options data may name many). */
const MAX_SAMPLERS_PER_DOMAIN = 4096;

/**
 * Decodes the records of one data set (bytes `start`..`end` of `b`); returns
 * how many records it held (data and options alike, for IPFIX sequence numbers).
 */
export function decodeDataSet(
  t: Template,
  d: DomainState,
  b: Uint8Array,
  v: DataView,
  start: number,
  end: number,
  mc: MessageContext,
  s: RecordScratch,
  out: DecodeOutput,
): number {
  const plan = t.plan;
  const min = plan.minRecordLength;
  if (min <= 0) return 0;
  let off = start;
  let count = 0;
  while (end - off >= min) {
    const r = newRecord(mc.type, mc.exporter, d.domain);
    resetScratch(s);
    const next = decodeRecordFields(plan, b, v, off, end, r, s);
    if (next < 0) {
      // A variable-length field ran past the set: the rest cannot be framed.
      countError(out.errors, 'bad_record');
      break;
    }
    off = next;
    count++;
    if (t.isOptions) applyOptionsRecord(s, d, out);
    else {
      finishRecord(r, s, mc, d);
      out.records.push(asFlowRecord(r));
    }
  }
  return count;
}

/** Options data: sampler tables, the domain's sampling rate, its system init time. */
function applyOptionsRecord(s: RecordScratch, d: DomainState, out: DecodeOutput): void {
  const rate = ownSamplingRate(s);
  if (rate > 0) {
    if (Number.isNaN(s.samplerId)) d.defaultRate = rate;
    else if (d.samplers.has(s.samplerId) || d.samplers.size < MAX_SAMPLERS_PER_DOMAIN) {
      d.samplers.set(s.samplerId, rate);
    } else countError(out.errors, 'limit_exceeded');
  }
  if (!Number.isNaN(s.sysInitMs)) d.sysInitMs = s.sysInitMs;
}

/** Resolves times, sampling rate and MPLS stack of a decoded record. */
export function finishRecord(r: FullRecord, s: RecordScratch, mc: MessageContext, d: DomainState): void {
  resolveTimes(r, s, mc, d);
  if (r.outerSrcAddr !== undefined || r.outerDstAddr !== undefined) settleOuterAddresses(r);
  let rate = ownSamplingRate(s);
  if (Number.isNaN(rate) && !Number.isNaN(s.samplerId)) rate = d.samplers.get(s.samplerId) ?? NaN;
  if (Number.isNaN(rate) && d.defaultRate > 0) rate = d.defaultRate;
  if (rate > 0) r.samplingRate = rate;
  if (s.mplsSeen) r.mplsLabels = collectMplsLabels(s);
}

const UNSPECIFIED = new Set(['0.0.0.0', '::']);

/**
 * A template with two address blocks: a tunnel (outer, inner both set) keeps
 * the inner 5-tuple and the outer addresses apart; a dual-stack template (one
 * family zero) just has the one real address.
 */
function settleOuterAddresses(r: FullRecord): void {
  if (r.outerSrcAddr === '::') r.outerSrcAddr = undefined;
  if (r.outerDstAddr === '::') r.outerDstAddr = undefined;
  if (r.outerSrcAddr !== undefined && (r.srcAddr === undefined || UNSPECIFIED.has(r.srcAddr))) {
    r.srcAddr = r.outerSrcAddr;
    r.outerSrcAddr = undefined;
  }
  if (r.outerDstAddr !== undefined && (r.dstAddr === undefined || UNSPECIFIED.has(r.dstAddr))) {
    r.dstAddr = r.outerDstAddr;
    r.outerDstAddr = undefined;
  }
}

function resolveTimes(r: FullRecord, s: RecordScratch, mc: MessageContext, d: DomainState): void {
  let start = s.absStart;
  let end = s.absEnd;
  const hasUp = !Number.isNaN(s.upStart) || !Number.isNaN(s.upEnd);
  if (hasUp && (Number.isNaN(start) || Number.isNaN(end))) {
    if (mc.version === 9) {
      // RFC 3954 §8: FIRST/LAST_SWITCHED are the exporter's sysUptime (ms); the
      // header pairs sysUptime with unix_secs. `| 0` keeps uptime wrap-around right.
      if (Number.isNaN(start) && !Number.isNaN(s.upStart))
        start = mc.exportMs - ((mc.sysUptimeMs - s.upStart) | 0);
      if (Number.isNaN(end) && !Number.isNaN(s.upEnd)) end = mc.exportMs - ((mc.sysUptimeMs - s.upEnd) | 0);
    } else {
      const init = Number.isNaN(s.sysInitMs) ? d.sysInitMs : s.sysInitMs;
      if (!Number.isNaN(init)) {
        // IANA IE 22/21 are relative to systemInitTimeMilliseconds (IE 160).
        if (Number.isNaN(start) && !Number.isNaN(s.upStart)) start = init + s.upStart;
        if (Number.isNaN(end) && !Number.isNaN(s.upEnd)) end = init + s.upEnd;
      } else {
        // No init time known: anchor the flow's end at the export time and keep
        // its duration (the best guess the message allows).
        const ref = Number.isNaN(s.upEnd) ? s.upStart : s.upEnd;
        if (Number.isNaN(start) && !Number.isNaN(s.upStart)) start = mc.exportMs - (ref - s.upStart);
        if (Number.isNaN(end) && !Number.isNaN(s.upEnd)) end = mc.exportMs - (ref - s.upEnd);
      }
    }
  }
  if (!Number.isNaN(s.durationMs)) {
    if (!Number.isNaN(start) && Number.isNaN(end)) end = start + s.durationMs;
    else if (Number.isNaN(start) && !Number.isNaN(end)) start = end - s.durationMs;
  }
  if (!Number.isNaN(start)) r.start = Math.round(start);
  if (!Number.isNaN(end)) r.end = Math.round(end);
}
