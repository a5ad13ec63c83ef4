/**
 * Columnar batch -> DuckDB appender, 2048 rows (one vector) at a time. Fixed
 * width columns and validity masks are copied as memory (the batch already
 * has DuckDB's layout); strings are assigned per non-null row from the
 * batch dictionary; lists write their entries and child values. An appender
 * may take a subset of the batch's columns (the narrow raw table).
 */
import { DuckDBDataChunk, type DuckDBAppender, type DuckDBType } from '@duckdb/node-api';
import duckdb from '@duckdb/node-bindings';
import type { ColumnarBatch, ColumnData } from '../columnar/batch.ts';
import { rowBytes, storageOf, type Storage, type StoreColumn } from '../columnar/layout.ts';

/** DuckDB's vector size: rows per data chunk. */
export const CHUNK_ROWS = 2048;

/** Appends rows of batches to one appender. */
export interface ChunkAppender {
  /** Appends every row of the batch. */
  append(batch: ColumnarBatch): void;
  /** Appends rows [off, off + n): off a multiple of 64, n at most CHUNK_ROWS. */
  appendRange(batch: ColumnarBatch, off: number, n: number): void;
}

/**
 * An appender of the columns `columns` (the batch layout the batches have),
 * taking batch column `sources[i]` into the appender's column i (default:
 * all columns, in order).
 */
export function createChunkAppender(
  appender: DuckDBAppender,
  columns: readonly StoreColumn[],
  sources: readonly number[] = columns.map((_, i) => i),
): ChunkAppender {
  const types: DuckDBType[] = [];
  for (let i = 0; i < appender.columnCount; i++) types.push(appender.columnType(i));
  if (types.length !== sources.length)
    throw new Error(`appender has ${types.length} columns, expected ${sources.length}`);
  const storages = sources.map((i) => storageOf(columns[i]!.kind));
  const appendRange = (batch: ColumnarBatch, off: number, n: number): void => {
    // A fresh chunk each time: DuckDB keeps list children and strings per chunk.
    const chunk = DuckDBDataChunk.create(types);
    chunk.rowCount = n;
    for (let c = 0; c < storages.length; c++) {
      const vec = duckdb.data_chunk_get_vector(chunk.chunk, c);
      fillVector(vec, storages[c]!, batch.columns[sources[c]!]!, off, n);
    }
    appender.appendDataChunk(chunk);
  };
  return {
    appendRange,
    append(batch) {
      for (let off = 0; off < batch.rows; off += CHUNK_ROWS)
        appendRange(batch, off, Math.min(CHUNK_ROWS, batch.rows - off));
    },
  };
}

function fillVector(vec: duckdb.Vector, s: Storage, col: ColumnData, off: number, n: number): void {
  const validWords = Math.ceil(n / 64) * 8;
  duckdb.vector_ensure_validity_writable(vec);
  duckdb.copy_data_to_vector_validity(vec, 0, buf(col.valid), col.valid.byteOffset + off / 8, validWords);
  // Most columns of most flows are NULL (a v9 template fills ~20 of 70): their values are never read.
  // (Constant NULL vectors instead measured no cheaper, and a list vector cannot hold one.)
  if (allNull(col.valid, off, n)) {
    if (s.t === 'list') duckdb.list_vector_set_size(vec, 0);
    return;
  }
  switch (s.t) {
    case 'u8':
    case 'u16':
    case 'words':
    case 'f64': {
      const w = rowBytes(s);
      duckdb.copy_data_to_vector(vec, 0, buf(col.data), col.data.byteOffset + off * w, n * w);
      return;
    }
    case 'dict':
      fillStrings(vec, col, off, n);
      return;
    case 'list':
      fillList(vec, col, off, n);
      return;
  }
}

/** DuckDB's string_t: 16 bytes, a string of up to 12 UTF-8 bytes stored inline after its length. */
const STRING_T_WORDS = 4;
const INLINE_BYTES = 12;
/** Per batch dictionary: each entry as an inline string_t, and which entries are too long for one. */
interface InlineDict {
  words: Uint32Array;
  long: Uint8Array;
}
let inlineDicts = new WeakMap<readonly string[], InlineDict>();

/**
 * Forgets the encoded dictionaries. Call before each flush: a batch's
 * dictionary array could be refilled once its batch is written (recycled
 * buffers), and an encoding cached by identity would then be stale.
 */
export function forgetStringDictionaries(): void {
  inlineDicts = new WeakMap();
}
const encoder = new TextEncoder();
let stringScratch = new Uint32Array(2048 * STRING_T_WORDS);

function inlineDict(dict: readonly string[]): InlineDict {
  let d = inlineDicts.get(dict);
  if (d) return d;
  const words = new Uint32Array(dict.length * STRING_T_WORDS);
  const bytes = new Uint8Array(words.buffer);
  const long = new Uint8Array(dict.length);
  dict.forEach((text, i) => {
    const utf8 = encoder.encode(text);
    if (utf8.length > INLINE_BYTES) long[i] = 1;
    else {
      words[i * STRING_T_WORDS] = utf8.length;
      bytes.set(utf8, i * 16 + 4);
    }
  });
  d = { words, long };
  inlineDicts.set(dict, d);
  return d;
}

/**
 * Strings of at most 12 bytes (exporters, countries, scopes, application names)
 * are written as inline string_t values with one copy per vector: assigning them
 * one by one (a native call per row) cost more than the rest of the append.
 * Longer ones are assigned per row, into the vector's own string heap.
 */
function fillStrings(vec: duckdb.Vector, col: ColumnData, off: number, n: number): void {
  const { words, long } = inlineDict(col.dict ?? []);
  if (stringScratch.length < n * STRING_T_WORDS) stringScratch = new Uint32Array(n * STRING_T_WORDS);
  const out = stringScratch;
  let anyLong = false;
  for (let i = 0; i < n; i++) {
    const row = off + i;
    const at = i * STRING_T_WORDS;
    if ((col.valid[row >>> 3]! & (1 << (row & 7))) === 0) {
      out.fill(0, at, at + STRING_T_WORDS);
      continue;
    }
    const code = col.data[row]!;
    if (long[code] === 1) anyLong = true;
    const from = code * STRING_T_WORDS;
    out[at] = words[from]!;
    out[at + 1] = words[from + 1]!;
    out[at + 2] = words[from + 2]!;
    out[at + 3] = words[from + 3]!;
  }
  duckdb.copy_data_to_vector(vec, 0, out.buffer as ArrayBuffer, 0, n * STRING_T_WORDS * 4);
  if (!anyLong) return;
  const dict = col.dict ?? [];
  for (let i = 0; i < n; i++) {
    const row = off + i;
    if ((col.valid[row >>> 3]! & (1 << (row & 7))) === 0) continue;
    const code = col.data[row]!;
    if (long[code] === 1) duckdb.vector_assign_string_element(vec, i, dict[code]!);
  }
}

function fillList(vec: duckdb.Vector, col: ColumnData, off: number, n: number): void {
  const entries = col.entries!;
  // Child values of these rows: from the first row's offset to the last's end.
  let first = -1;
  let end = 0;
  const rebased = new Uint32Array(n * 4);
  for (let i = 0; i < n; i++) {
    const row = off + i;
    if ((col.valid[row >>> 3]! & (1 << (row & 7))) === 0) continue;
    const at = entries[row * 4]!;
    const len = entries[row * 4 + 2]!;
    if (first < 0) first = at;
    rebased[i * 4] = at - first;
    rebased[i * 4 + 2] = len;
    end = at + len;
  }
  duckdb.copy_data_to_vector(vec, 0, rebased.buffer, 0, rebased.byteLength);
  const count = first < 0 ? 0 : end - first;
  duckdb.list_vector_reserve(vec, count);
  duckdb.list_vector_set_size(vec, count);
  if (count === 0) return;
  const child = duckdb.list_vector_get_child(vec);
  duckdb.copy_data_to_vector(child, 0, buf(col.data), col.data.byteOffset + first * 4, count * 4);
}

/** No validity bit set in rows [off, off + n) (off a multiple of 64, the chunk size). */
export function allNull(valid: Uint8Array, off: number, n: number): boolean {
  const end = Math.min(valid.length, (off + n + 7) >>> 3);
  for (let i = off >>> 3; i < end; i++) if (valid[i] !== 0) return false;
  return true;
}

const buf = (a: ArrayBufferView): ArrayBuffer => a.buffer as ArrayBuffer;
