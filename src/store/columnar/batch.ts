/**
 * Columnar flow batches: the form in which flows cross thread boundaries
 * (decode worker -> store worker) and enter the engines. One typed array per
 * column plus a validity bitmap, strings dictionary-coded per batch, so a
 * batch moves by transferring its ArrayBuffers and appends to DuckDB by
 * copying memory, with no per-record objects.
 */
import type { FlowRecord } from '../../schema/flow-record.ts';
import { parseIpWords, parseMacWords } from './addr-words.ts';
import { rowBytes, STORE_COLUMNS, storageOf, type StoreColumn } from './layout.ts';

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

/** Buffers to pass as postMessage's transfer list (no copy). */
export function batchTransferList(b: ColumnarBatch): ArrayBuffer[] {
  const out: ArrayBuffer[] = [];
  for (const c of b.columns) {
    out.push(c.data.buffer as ArrayBuffer, c.valid.buffer as ArrayBuffer);
    if (c.entries) out.push(c.entries.buffer as ArrayBuffer);
  }
  return out;
}

type Writer = (r: FlowRecord, row: number) => void;

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

function allocate(col: StoreColumn, capacity: number): ColumnData {
  const s = storageOf(col.kind);
  const valid = new Uint8Array(validBytes(capacity));
  switch (s.t) {
    case 'u8':
      return { data: new Uint8Array(capacity), valid };
    case 'u16':
      return { data: new Uint16Array(capacity), valid };
    case 'words':
      return { data: new Uint32Array(capacity * s.n), valid };
    case 'f64':
      return { data: new Float64Array(capacity), valid };
    case 'dict':
      return { data: new Uint32Array(capacity), valid, dict: [] };
    case 'list':
      return { data: new Uint32Array(capacity), valid, entries: new Uint32Array(capacity * 4) };
  }
}

/** Creates a builder of batches of up to `capacity` rows. */
export function createBatchBuilder(capacity: number): BatchBuilder {
  let cols: ColumnData[] = [];
  let dicts: Map<string, number>[] = [];
  let rows = 0;
  let listFill: number[] = [];
  const reset = (): void => {
    cols = STORE_COLUMNS.map((c) => allocate(c, capacity));
    dicts = STORE_COLUMNS.map(() => new Map());
    listFill = STORE_COLUMNS.map(() => 0);
    rows = 0;
  };
  reset();
  const writers = STORE_COLUMNS.map((c, i) => makeWriter(c, i));

  function makeWriter(col: StoreColumn, i: number): Writer {
    const s = storageOf(col.kind);
    const name = col.name as keyof FlowRecord;
    const mark = (row: number): void => {
      cols[i]!.valid[row >>> 3]! |= 1 << (row & 7);
    };
    switch (s.t) {
      case 'u8':
      case 'u16':
      case 'f64': {
        const values = col.field?.values;
        return (r, row) => {
          const v = r[name];
          if (v === undefined) return;
          const n = values ? values.indexOf(v as string) : (v as number);
          if (n < 0) return;
          cols[i]!.data[row] = n;
          mark(row);
        };
      }
      case 'words':
        return wordsWriter(col, s.n, i, mark);
      case 'dict':
        return (r, row) => {
          const v = r[name];
          if (v === undefined) return;
          const text = typeof v === 'string' ? v : JSON.stringify(v);
          const d = dicts[i]!;
          let code = d.get(text);
          if (code === undefined) {
            code = d.size;
            d.set(text, code);
            cols[i]!.dict!.push(text);
          }
          cols[i]!.data[row] = code;
          mark(row);
        };
      case 'list':
        return (r, row) => {
          const v = r[name] as number[] | undefined;
          if (v === undefined) return;
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
          mark(row);
        };
    }
  }

  function wordsWriter(col: StoreColumn, n: number, i: number, mark: (row: number) => void): Writer {
    const name = col.name as keyof FlowRecord;
    if (col.kind === 'ip')
      return (r, row) => {
        const v = r[name];
        if (typeof v === 'string' && parseIpWords(v, cols[i]!.data as Uint32Array, row * 4)) mark(row);
      };
    if (col.kind === 'mac')
      return (r, row) => {
        const v = r[name];
        if (typeof v === 'string' && parseMacWords(v, cols[i]!.data as Uint32Array, row * 2)) mark(row);
      };
    const get: (r: FlowRecord) => unknown = col.name === 'time' ? (r) => r.end ?? r.start : (r) => r[name];
    return (r, row) => {
      const v = get(r) as number | undefined;
      if (v === undefined) return;
      const d = cols[i]!.data as Uint32Array;
      if (n === 1) d[row] = v;
      else {
        // 64-bit little endian from a double: exact below 2^53.
        d[row * 2] = v % 4294967296;
        d[row * 2 + 1] = Math.floor(v / 4294967296);
      }
      mark(row);
    };
  }

  const timeIdx = 0;
  return {
    add(r, nowMs) {
      const row = rows++;
      for (let i = 0; i < writers.length; i++) writers[i]!(r, row);
      const c = cols[timeIdx]!;
      if ((c.valid[row >>> 3]! & (1 << (row & 7))) === 0) {
        const d = c.data as Uint32Array;
        d[row * 2] = nowMs % 4294967296;
        d[row * 2 + 1] = Math.floor(nowMs / 4294967296);
        c.valid[row >>> 3]! |= 1 << (row & 7);
      }
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
