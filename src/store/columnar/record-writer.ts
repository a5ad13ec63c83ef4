/**
 * The per-record step of the batch builder, generated once from the column
 * list. It runs for every flow on the decode workers, so it must cost well
 * under a microsecond: a loop over 70 column closures with `r[name]` keyed
 * loads measured ~5 µs a record. The generated function instead reads each
 * field as a named property (`r.srcAddr`, one inline cache per site, so V8
 * sees the decoders' single record shape), writes into typed arrays held in
 * local constants, and inlines the cheap kinds.
 *
 * `new Function` is used on purpose: its source is built only from the static
 * field table (src/schema/fields.ts), never from input, and every name is
 * checked to be a plain identifier before it is pasted in.
 */
import type { FlowRecord } from '../../schema/flow-record.ts';
import { parseIpWords, parseMacWords } from './addr-words.ts';
import { STORE_COLUMNS, storageOf, TIME_COLUMN, type StoreColumn } from './layout.ts';

/** The columns of the batch being filled, as the writer sees them. */
export interface WriterTarget {
  data: readonly ArrayBufferView[];
  valid: readonly Uint8Array[];
  /** Per dictionary column: text -> code, and the dictionary (codes index it). */
  maps: readonly (Map<string, number> | undefined)[];
  dicts: readonly (string[] | undefined)[];
  /** Appends a list value for column `i` at `row` (lists grow their buffer, so not inlined). */
  list: (i: number, v: readonly number[], row: number) => void;
}

/** Writes record `r` into row `row`; `nowMs` stands in for `time` when the record has none. */
export type RecordWriter = (r: FlowRecord, row: number, nowMs: number) => void;

type WriterFactory = (t: WriterTarget, helpers: Helpers) => RecordWriter;

interface Helpers {
  ip: (s: unknown, words: Uint32Array, at: number) => boolean;
  mac: (s: unknown, words: Uint32Array, at: number) => boolean;
  enums: readonly (ReadonlyMap<string, number> | undefined)[];
  json: (v: unknown) => string;
}

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

const HELPERS: Helpers = {
  ip: (s, w, at) => typeof s === 'string' && parseIpWords(s, w, at),
  mac: (s, w, at) => typeof s === 'string' && parseMacWords(s, w, at),
  enums: STORE_COLUMNS.map((c) =>
    c.field?.values ? new Map(c.field.values.map((v, i) => [v, i])) : undefined,
  ),
  json: (v) => (typeof v === 'string' ? v : JSON.stringify(v)),
};

/** Source of one column's step; `v` holds the field's value, `B`/`K` the validity byte and bit. */
function columnSource(c: StoreColumn, i: number): string {
  const mark = `v${i}[B] |= K;`;
  if (c.name === TIME_COLUMN) {
    // The time a flow is accounted at: end, else start, else when it was stored.
    return (
      `v = r.end; if (v === undefined) v = r.start; if (v === undefined) v = nowMs;` +
      `d${i}[row * 2] = v % 4294967296; d${i}[row * 2 + 1] = Math.floor(v / 4294967296); ${mark}`
    );
  }
  if (!IDENT.test(c.name)) throw new Error(`field name ${c.name} is not an identifier`);
  const read = `v = r.${c.name}; if (v !== undefined) `;
  const s = storageOf(c.kind);
  switch (s.t) {
    case 'u8':
      if (c.field?.values)
        return `${read}{ const n = E${i}.get(v); if (n !== undefined) { d${i}[row] = n; ${mark} } }`;
      return `${read}{ d${i}[row] = v; ${mark} }`;
    case 'u16':
    case 'f64':
      return `${read}{ d${i}[row] = v; ${mark} }`;
    case 'words':
      if (c.kind === 'ip') return `${read}{ if (H.ip(v, d${i}, row * 4)) ${mark} }`;
      if (c.kind === 'mac') return `${read}{ if (H.mac(v, d${i}, row * 2)) ${mark} }`;
      if (s.n === 1) return `${read}{ d${i}[row] = v; ${mark} }`;
      // 64-bit little endian from a double: exact below 2^53.
      return `${read}{ d${i}[row * 2] = v % 4294967296; d${i}[row * 2 + 1] = Math.floor(v / 4294967296); ${mark} }`;
    case 'dict':
      return (
        `${read}{ const x = typeof v === 'string' ? v : H.json(v); let n = m${i}.get(x);` +
        ` if (n === undefined) { n = m${i}.size; m${i}.set(x, n); D${i}.push(x); } d${i}[row] = n; ${mark} }`
      );
    case 'list':
      return `${read}{ t.list(${i}, v, row); }`;
  }
}

/** Source of the factory: binds every column's arrays to constants, returns the writer. */
function factorySource(): string {
  const binds = STORE_COLUMNS.map((c, i) => {
    const base = `const d${i} = t.data[${i}], v${i} = t.valid[${i}];`;
    const s = storageOf(c.kind);
    if (s.t === 'dict') return `${base} const m${i} = t.maps[${i}], D${i} = t.dicts[${i}];`;
    if (c.field?.values) return `${base} const E${i} = H.enums[${i}];`;
    return base;
  });
  const steps = STORE_COLUMNS.map((c, i) => columnSource(c, i));
  return (
    `'use strict';\n${binds.join('\n')}\n` +
    `return function writeRecord(r, row, nowMs) {\n` +
    `const B = row >>> 3, K = 1 << (row & 7); let v;\n${steps.join('\n')}\n};`
  );
}

// Generated from the field table only (see the header comment).
const factory = new Function('t', 'H', factorySource()) as WriterFactory;

/** A writer filling `target` (one per batch: it binds the batch's arrays). */
export function createRecordWriter(target: WriterTarget): RecordWriter {
  return factory(target, HELPERS);
}
