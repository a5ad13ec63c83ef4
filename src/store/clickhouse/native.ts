/**
 * Columnar batch -> ClickHouse Native block (the server's own columnar wire
 * format; ADR 0004). Fixed-width columns are copied as memory: the batch's
 * little-endian words are already UInt8..UInt64 and Float64 as ClickHouse
 * lays them out; enum codes gain one; addresses are byte-reversed (IPv6 / FixedString(16) are
 * big-endian); Nullable columns get a null map from the validity bitmap;
 * strings are length-prefixed from the batch dictionary.
 */
import type { ColumnarBatch, ColumnData } from '../columnar/batch.ts';
import { STORE_COLUMNS, storageOf, type StoreColumn } from '../columnar/layout.ts';

/** Grows as the block is written; `take()` returns the bytes. */
class ByteSink {
  private buf = Buffer.allocUnsafe(1 << 16);
  private n = 0;
  private room(k: number): void {
    if (this.n + k <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.n + k));
    this.buf.copy(next, 0, 0, this.n);
    this.buf = next;
  }
  varint(v: number): void {
    this.room(10);
    while (v >= 0x80) {
      this.buf[this.n++] = (v & 0x7f) | 0x80;
      v = Math.floor(v / 128);
    }
    this.buf[this.n++] = v;
  }
  bytes(b: Uint8Array): void {
    this.room(b.length);
    this.buf.set(b, this.n);
    this.n += b.length;
  }
  string(s: string): void {
    const b = Buffer.from(s, 'utf8');
    this.varint(b.length);
    this.bytes(b);
  }
  /** Reserves k bytes and returns a view to fill. */
  reserve(k: number): Buffer {
    this.room(k);
    const v = this.buf.subarray(this.n, this.n + k);
    this.n += k;
    return v;
  }
  take(): Buffer {
    return Buffer.from(this.buf.subarray(0, this.n));
  }
}

const isValid = (c: ColumnData, row: number): boolean => (c.valid[row >>> 3]! & (1 << (row & 7))) !== 0;
const bytesOf = (a: ArrayBufferView, count: number): Uint8Array =>
  new Uint8Array(a.buffer, a.byteOffset, count);

function writeNullMap(out: ByteSink, c: ColumnData, rows: number): void {
  const map = out.reserve(rows);
  for (let i = 0; i < rows; i++) map[i] = isValid(c, i) ? 0 : 1;
}

function writeValues(out: ByteSink, col: StoreColumn, c: ColumnData, rows: number): void {
  const s = storageOf(col.kind);
  if (col.kind === 'enum') {
    // Enum8 values are 1-based (dialect.ts); the batch holds 0-based indexes.
    const codes = out.reserve(rows);
    for (let i = 0; i < rows; i++) codes[i] = c.data[i]! + 1;
    return;
  }
  switch (s.t) {
    case 'u8':
    case 'u16':
    case 'f64':
      out.bytes(bytesOf(c.data, rows * c.data.BYTES_PER_ELEMENT));
      return;
    case 'words':
      if (col.kind !== 'ip') {
        out.bytes(bytesOf(c.data, rows * 4 * s.n));
        return;
      }
      writeAddresses(out, c, rows);
      return;
    case 'dict':
      writeStrings(out, c, rows);
      return;
    case 'list':
      writeLists(out, c, rows);
      return;
  }
}

/** 128-bit little-endian words -> 16 big-endian bytes per row. */
function writeAddresses(out: ByteSink, c: ColumnData, rows: number): void {
  const src = bytesOf(c.data, rows * 16);
  const dst = out.reserve(rows * 16);
  for (let r = 0; r < rows * 16; r += 16) for (let k = 0; k < 16; k++) dst[r + k] = src[r + 15 - k]!;
}

function writeStrings(out: ByteSink, c: ColumnData, rows: number): void {
  const dict = (c.dict ?? []).map((s) => Buffer.from(s, 'utf8'));
  for (let i = 0; i < rows; i++) {
    const b = isValid(c, i) ? dict[c.data[i]!] : undefined;
    out.varint(b?.length ?? 0);
    if (b) out.bytes(b);
  }
}

/** Array(UInt32): cumulative end offsets (UInt64), then every row's values. */
function writeLists(out: ByteSink, c: ColumnData, rows: number): void {
  const entries = c.entries!;
  const offsets = new BigUint64Array(rows);
  let total = 0;
  for (let i = 0; i < rows; i++) {
    if (isValid(c, i)) total += entries[i * 4 + 2]!;
    offsets[i] = BigInt(total);
  }
  out.bytes(bytesOf(offsets, rows * 8));
  const values = new Uint32Array(total);
  let at = 0;
  for (let i = 0; i < rows; i++) {
    if (!isValid(c, i)) continue;
    const from = entries[i * 4]!;
    const len = entries[i * 4 + 2]!;
    values.set((c.data as Uint32Array).subarray(from, from + len), at);
    at += len;
  }
  out.bytes(bytesOf(values, total * 4));
}

/**
 * Encodes a batch as one Native block. `types` are the wire types of
 * STORE_COLUMNS (LowCardinality sent as its plain type). Arrays are never
 * Nullable in ClickHouse: an absent list is an empty one.
 */
export function encodeNativeBlock(batch: ColumnarBatch, types: readonly string[]): Buffer {
  const out = new ByteSink();
  out.varint(STORE_COLUMNS.length);
  out.varint(batch.rows);
  STORE_COLUMNS.forEach((col, i) => {
    const c = batch.columns[i]!;
    const type = types[i]!;
    out.string(col.name);
    out.string(type);
    if (type.startsWith('Nullable(')) writeNullMap(out, c, batch.rows);
    writeValues(out, col, c, batch.rows);
  });
  return out.take();
}
