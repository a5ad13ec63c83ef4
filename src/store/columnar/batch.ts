/**
 * Columnar flow batches: the form in which flows cross thread boundaries
 * (decode worker -> store worker) and enter the engines. One typed array per
 * column plus a validity bitmap, strings dictionary-coded per batch, so a
 * batch moves by transferring its ArrayBuffers and appends to DuckDB by
 * copying memory, with no per-record objects.
 */
import type { FlowRecord } from '../../schema/flow-record.ts';
import { rowBytes, STORE_COLUMNS, storageOf } from './layout.ts';
import { createRecordWriter, type RecordWriter } from './record-writer.ts';

/** One column of a batch. */
export interface ColumnData {
  /** Values (fixed width) or dictionary codes; list columns: the flattened values. */
  data: Uint8Array | Uint16Array | Uint32Array | Float64Array;
  /** Bit i set when row i has a value (the layout of DuckDB's validity mask). */
  valid: Uint8Array;
  /** Dictionary of a string column (codes index it). */
  dict?: string[];
  /** List columns: DuckDB list entries (offset, length as u64 pairs: 4 words per row). */
  entries?: Uint32Array;
}

/** Flows, column by column in STORE_COLUMNS order. */
export interface ColumnarBatch {
  rows: number;
  columns: ColumnData[];
}

/** Buffers to pass as postMessage's transfer list (no copy); columns may share one. */
export function batchTransferList(b: ColumnarBatch): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  for (const c of b.columns) {
    out.add(c.data.buffer as ArrayBuffer);
    out.add(c.valid.buffer as ArrayBuffer);
    if (c.entries) out.add(c.entries.buffer as ArrayBuffer);
  }
  return [...out];
}

/** Fills columnar batches from flow records. */
export interface BatchBuilder {
  /** Adds one record; `nowMs` stands in for `time` when the record has no start or end. */
  add(r: FlowRecord, nowMs: number): void;
  readonly count: number;
  readonly full: boolean;
  /** The batch so far (possibly empty); the builder starts a new one. */
  take(): ColumnarBatch;
}

const validBytes = (rows: number): number => Math.ceil(rows / 64) * 8;
const align8 = (n: number): number => (n + 7) & ~7;

/**
 * Every fixed part of a batch (values, validity, list entries) as views on ONE
 * ArrayBuffer: 140 separate buffers per batch made the producer spend about
 * half its time in the garbage collector (external memory pressure), and one
 * buffer is also one transfer. Sections are 8-byte aligned for Float64Array.
 */
function allocateBatch(capacity: number): ColumnData[] {
  const vb = validBytes(capacity);
  let total = 0;
  for (const c of STORE_COLUMNS) {
    const s = storageOf(c.kind);
    total += vb + align8(s.t === 'list' ? capacity * 4 + capacity * 16 : capacity * rowBytes(s));
  }
  const buf = new ArrayBuffer(total);
  let at = 0;
  const take = (bytes: number): number => {
    const from = at;
    at += align8(bytes);
    return from;
  };
  return STORE_COLUMNS.map((c) => {
    const s = storageOf(c.kind);
    const valid = new Uint8Array(buf, take(vb), vb);
    switch (s.t) {
      case 'u8':
        return { data: new Uint8Array(buf, take(capacity), capacity), valid };
      case 'u16':
        return { data: new Uint16Array(buf, take(capacity * 2), capacity), valid };
      case 'words':
        return { data: new Uint32Array(buf, take(capacity * 4 * s.n), capacity * s.n), valid };
      case 'f64':
        return { data: new Float64Array(buf, take(capacity * 8), capacity), valid };
      case 'dict':
        return { data: new Uint32Array(buf, take(capacity * 4), capacity), valid, dict: [] };
      case 'list': {
        const entries = new Uint32Array(buf, take(capacity * 16), capacity * 4);
        return { data: new Uint32Array(buf, take(capacity * 4), capacity), valid, entries };
      }
    }
  });
}

/** Creates a builder of batches of up to `capacity` rows. */
export function createBatchBuilder(capacity: number): BatchBuilder {
  let cols: ColumnData[] = [];
  let rows = 0;
  let listFill: number[] = [];
  let write: RecordWriter = () => undefined;
  const list = (i: number, v: readonly number[], row: number): void => {
    const c = cols[i]!;
    const at = listFill[i]!;
    if (at + v.length > c.data.length) {
      const grown = new Uint32Array(Math.max(c.data.length * 2, at + v.length));
      grown.set(c.data);
      c.data = grown;
    }
    (c.data as Uint32Array).set(v, at);
    c.entries![row * 4] = at;
    c.entries![row * 4 + 2] = v.length;
    listFill[i] = at + v.length;
    c.valid[row >>> 3]! |= 1 << (row & 7);
  };
  const reset = (): void => {
    cols = allocateBatch(capacity);
    listFill = STORE_COLUMNS.map(() => 0);
    rows = 0;
    // The writer binds this batch's arrays as constants (see record-writer.ts).
    write = createRecordWriter({
      data: cols.map((c) => c.data),
      valid: cols.map((c) => c.valid),
      maps: cols.map((c) => (c.dict ? new Map<string, number>() : undefined)),
      dicts: cols.map((c) => c.dict),
      list,
    });
  };
  reset();

  return {
    add(r, nowMs) {
      write(r, rows++, nowMs);
    },
    get count() {
      return rows;
    },
    get full() {
      return rows >= capacity;
    },
    take() {
      const out: ColumnarBatch = { rows, columns: cols };
      reset();
      return out;
    },
  };
}

/** Bytes a batch of `rows` rows takes (for size-based flushing and budgets). */
export function batchBytes(b: ColumnarBatch): number {
  let n = 0;
  STORE_COLUMNS.forEach((c, i) => {
    n += rowBytes(storageOf(c.kind)) * b.rows;
    for (const s of b.columns[i]?.dict ?? []) n += s.length;
  });
  return n;
}
