/**
 * Template and options template sets: NetFlow v9 (RFC 3954 §5.2, §6.1) and
 * IPFIX (RFC 7011 §3.4.1-3.4.2, withdrawals §8.1). Every count is checked
 * against the bytes of the set before anything is allocated.
 */
import { countError, type DecodeOutput } from '../result.ts';
import {
  storeTemplate,
  withdrawAll,
  withdrawTemplate,
  type DomainState,
  type ExporterState,
  type TemplateRegistry,
} from './template-registry.ts';
import { buildTemplate, sameLayout, type TemplateField } from './template.ts';
import { isZeroTail } from './zero-tail.ts';

/** Where parsed templates go. `learnt` collects the ids stored by this message. */
export interface TemplateSink {
  reg: TemplateRegistry;
  ex: ExporterState;
  d: DomainState;
  learnt: Set<number>;
  out: DecodeOutput;
}

/** RFC 7011 §3.3.2 / RFC 3954 §5.1: data set ids (and template ids) start at 256. */
export const MIN_DATA_SET_ID = 256;
/** IPFIX set ids 2 and 3 (RFC 7011 §3.3.2); as template ids they mean "withdraw all". */
export const IPFIX_TEMPLATE_SET_ID = 2;
export const IPFIX_OPTIONS_TEMPLATE_SET_ID = 3;
/** The enterprise bit of an IPFIX field specifier (RFC 7011 §3.2). */
const ENTERPRISE_BIT = 0x8000;

function store(
  sink: TemplateSink,
  id: number,
  version: number,
  isOptions: boolean,
  scope: number,
  fields: TemplateField[],
): void {
  const t = buildTemplate(id, version, isOptions, scope, fields);
  if (t.plan.minRecordLength === 0) {
    // A record of zero bytes cannot be framed (and would never advance).
    countError(sink.out.errors, 'bad_template');
    return;
  }
  const res = storeTemplate(
    sink.reg,
    sink.ex,
    sink.d,
    t,
    (a, b) => sameLayout(a.fields, b.fields) && a.scopeCount === b.scopeCount,
  );
  if (res === 'limit') {
    countError(sink.out.errors, 'limit_exceeded');
    return;
  }
  sink.learnt.add(id);
  sink.out.templates = (sink.out.templates ?? 0) + 1;
}

/**
 * Reads `count` IPFIX field specifiers at `off`; returns them and the offset
 * after, or undefined when they do not fit before `end`.
 */
function readIpfixFields(
  v: DataView,
  off: number,
  end: number,
  count: number,
): [TemplateField[], number] | undefined {
  // Each specifier takes at least 4 bytes: reject impossible counts before allocating.
  if (count * 4 > end - off) return undefined;
  const fields: TemplateField[] = [];
  for (let i = 0; i < count; i++) {
    if (off + 4 > end) return undefined;
    const raw = v.getUint16(off);
    const length = v.getUint16(off + 2);
    off += 4;
    let pen = 0;
    if ((raw & ENTERPRISE_BIT) !== 0) {
      if (off + 4 > end) return undefined;
      pen = v.getUint32(off);
      off += 4;
    }
    fields.push({ ie: raw & ~ENTERPRISE_BIT, length, pen });
  }
  return [fields, off];
}

/** An IPFIX template (set id 2) or options template (set id 3) set. */
export function parseIpfixTemplateSet(
  b: Uint8Array,
  v: DataView,
  start: number,
  end: number,
  isOptions: boolean,
  sink: TemplateSink,
): void {
  let off = start;
  while (end - off >= 4) {
    const id = v.getUint16(off);
    const fieldCount = v.getUint16(off + 2);
    if (fieldCount === 0) {
      // RFC 7011 §8.1: a withdrawal; the set id itself as template id withdraws all.
      if (id === (isOptions ? IPFIX_OPTIONS_TEMPLATE_SET_ID : IPFIX_TEMPLATE_SET_ID))
        withdrawAll(sink.ex, sink.d, isOptions);
      else if (id >= MIN_DATA_SET_ID) withdrawTemplate(sink.ex, sink.d, id);
      else if (!isZeroTail(b, off, end)) countError(sink.out.errors, 'bad_template');
      else return; // padding
      off += 4;
      continue;
    }
    if (id < MIN_DATA_SET_ID) {
      countError(sink.out.errors, 'bad_template');
      return;
    }
    let scopeCount = 0;
    off += 4;
    if (isOptions) {
      if (end - off < 2) break;
      scopeCount = v.getUint16(off);
      off += 2;
      if (scopeCount === 0 || scopeCount > fieldCount) {
        countError(sink.out.errors, 'bad_template');
        return;
      }
    }
    const parsed = readIpfixFields(v, off, end, fieldCount);
    if (parsed === undefined) {
      countError(sink.out.errors, 'bad_template');
      return;
    }
    off = parsed[1];
    store(sink, id, 10, isOptions, scopeCount, parsed[0]);
  }
}

/** Reads `count` v9 (type, length) pairs at `off` (caller checked they fit). */
function readV9Fields(v: DataView, off: number, count: number): TemplateField[] {
  const fields: TemplateField[] = [];
  for (let i = 0; i < count; i++)
    fields.push({ ie: v.getUint16(off + 4 * i), length: v.getUint16(off + 4 * i + 2), pen: 0 });
  return fields;
}

/** A NetFlow v9 template flowset (id 0): template id, field count, (type, length) pairs. */
export function parseV9TemplateFlowset(
  b: Uint8Array,
  v: DataView,
  start: number,
  end: number,
  sink: TemplateSink,
): void {
  let off = start;
  while (end - off >= 4) {
    const id = v.getUint16(off);
    const count = v.getUint16(off + 2);
    if (id < MIN_DATA_SET_ID || count === 0) {
      if (!isZeroTail(b, off, end)) countError(sink.out.errors, 'bad_template');
      return;
    }
    off += 4;
    if (count * 4 > end - off) {
      countError(sink.out.errors, 'bad_template');
      return;
    }
    store(sink, id, 9, false, 0, readV9Fields(v, off, count));
    off += count * 4;
  }
}

/** A NetFlow v9 options template flowset (id 1): lengths in bytes, then padding. */
export function parseV9OptionsFlowset(
  b: Uint8Array,
  v: DataView,
  start: number,
  end: number,
  sink: TemplateSink,
): void {
  let off = start;
  while (end - off >= 6) {
    const id = v.getUint16(off);
    const scopeLen = v.getUint16(off + 2);
    const optionLen = v.getUint16(off + 4);
    if (id < MIN_DATA_SET_ID) {
      if (!isZeroTail(b, off, end)) countError(sink.out.errors, 'bad_template');
      return;
    }
    off += 6;
    if (
      scopeLen % 4 !== 0 ||
      optionLen % 4 !== 0 ||
      scopeLen + optionLen === 0 ||
      scopeLen + optionLen > end - off
    ) {
      countError(sink.out.errors, 'bad_template');
      return;
    }
    const fields = readV9Fields(v, off, (scopeLen + optionLen) / 4);
    store(sink, id, 9, true, scopeLen / 4, fields);
    off += scopeLen + optionLen;
  }
}
