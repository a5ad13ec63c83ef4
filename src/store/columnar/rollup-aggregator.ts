/**
 * Rollups computed from the columnar batches themselves, before they are
 * stored: the rows of a flush are summed per (time bucket, rollup
 * dimensions) in a hash table of typed arrays, and each coarser rollup is
 * summed from the finer one. The store then appends only the aggregated
 * rows, instead of asking the engine to re-read and group the raw rows
 * (which cost DuckDB as much as storing them, ADR 0006).
 *
 * Same result as `GROUP BY bucket, dims` with `sum(bytes * coalesce(samplingRate, 1))`,
 * `sum(packets * ...)`, `count(*)`: NULL is a key value of its own, sums are
 * exact below 2^53 (doubles).
 */
import { ROLLUP_COLUMNS, ROLLUP_DIMENSIONS, ROLLUPS } from '../tables.ts';
import type { ColumnarBatch, ColumnData } from './batch.ts';
import { STORE_COLUMNS, storageOf, TIME_COLUMN } from './layout.ts';

const TWO32 = 4294967296;
const DIMS = ROLLUP_DIMENSIONS.length;
/** Sums per entry: bytes, packets, flows (scaled by the sampling rate, as the SQL rollups). */
const SUMS = 3;

interface DimSource {
  /** Column index in the raw batch. */
  col: number;
  kind: 'u8' | 'u16' | 'u32' | 'dict';
}

function dimSources(): DimSource[] {
  if (DIMS > 32) throw new Error('rollup null masks hold 32 dimensions');
  return ROLLUP_DIMENSIONS.map((c) => {
    const col = STORE_COLUMNS.findIndex((s) => s.name === c.name);
    const s = storageOf(c.kind);
    if (s.t === 'u8' || s.t === 'u16' || s.t === 'dict') return { col, kind: s.t };
    if (s.t === 'words' && s.n === 1) return { col, kind: 'u32' };
    throw new Error(`rollup dimension ${c.name} is not a 32-bit kind`);
  });
}

const SOURCES = dimSources();
for (let i = 1; i < ROLLUPS.length; i++)
  if (ROLLUPS[i]!.resolutionMs % ROLLUPS[i - 1]!.resolutionMs !== 0)
    throw new Error(`rollup ${ROLLUPS[i]!.name} is not a multiple of ${ROLLUPS[i - 1]!.name}`);
const col = (name: string): number => STORE_COLUMNS.findIndex((c) => c.name === name);
const TIME = col(TIME_COLUMN);
const BYTES = col('bytes');
const PACKETS = col('packets');
const RATE = col('samplingRate');

/** Sums flushes into rollups, reusing its hash tables from one flush to the next. */
export interface RollupAggregator {
  /**
   * Sums the rows of `batches` (raw layout, STORE_COLUMNS) into every rollup:
   * one batch per ROLLUPS entry (ROLLUP_COLUMNS layout), in ROLLUPS order.
   */
  aggregate(batches: readonly ColumnarBatch[]): ColumnarBatch[];
}

/** Creates an aggregator (its tables grow to the largest flush and stay allocated). */
export function createRollupAggregator(): RollupAggregator {
  const tables = ROLLUPS.map(() => createTable());
  return { aggregate: (batches) => aggregateRollups(batches, tables) };
}

function aggregateRollups(batches: readonly ColumnarBatch[], tables: Table[]): ColumnarBatch[] {
  const finestMs = ROLLUPS[0]!.resolutionMs;
  // Key words: bucket number, one per dimension that has a value in this flush, a null mask.
  const active: number[] = [];
  for (let d = 0; d < DIMS; d++)
    if (batches.some((b) => hasValue(b.columns[SOURCES[d]!.col]!.valid, b.rows))) active.push(d);
  const K = active.length + 2;
  const MASK = K - 1;
  const texts: string[][] = SOURCES.map(() => []);
  const codes = SOURCES.map(() => new Map<string, number>());
  const table = tables[0]!;
  table.reset(K);
  const keys = new Uint32Array(8192 * K);
  const hashes = new Uint32Array(8192);
  for (const b of batches) {
    for (let from = 0; from < b.rows; from += 8192) {
      const n = Math.min(8192, b.rows - from);
      keys.fill(0, 0, n * K);
      hashes.fill(0x9747b28c, 0, n);
      const time = b.columns[TIME]!.data as Uint32Array;
      for (let r = 0; r < n; r++) {
        const t = from + r;
        keys[r * K] = Math.floor((time[t * 2]! + time[t * 2 + 1]! * TWO32) / finestMs);
      }
      for (let a = 0; a < active.length; a++) {
        const d = active[a]!;
        const c = b.columns[SOURCES[d]!.col]!;
        const map = SOURCES[d]!.kind === 'dict' ? remap(codes[d]!, texts[d]!, c.dict ?? []) : undefined;
        const valid = c.valid;
        const data = c.data;
        const bit = 1 << a;
        for (let r = 0; r < n; r++) {
          const t = from + r;
          if ((valid[t >>> 3]! & (1 << (t & 7))) === 0) continue;
          keys[r * K + 1 + a] = map ? map[data[t]!]! : data[t]!;
          keys[r * K + MASK]! |= bit;
        }
      }
      // Hash column by column: the loops stay tight and monomorphic.
      for (let w = 0; w < K; w++) for (let r = 0; r < n; r++) hashes[r] = mix(hashes[r]!, keys[r * K + w]!);
      const bytes = b.columns[BYTES]!.data as Uint32Array;
      const packets = b.columns[PACKETS]!.data as Uint32Array;
      const rate = b.columns[RATE]!;
      const rateData = rate.data as Uint32Array;
      for (let r = 0; r < n; r++) {
        const t = from + r;
        const e = table.entry(keys, r * K, finish(hashes[r]!));
        const scale = (rate.valid[t >>> 3]! & (1 << (t & 7))) === 0 ? 1 : rateData[t]!;
        const sums = table.sums;
        sums[e * SUMS]! += (bytes[t * 2]! + bytes[t * 2 + 1]! * TWO32) * scale;
        sums[e * SUMS + 1]! += (packets[t * 2]! + packets[t * 2 + 1]! * TWO32) * scale;
        sums[e * SUMS + 2]! += 1;
      }
    }
  }
  const out: ColumnarBatch[] = [];
  let res = finestMs;
  ROLLUPS.forEach((r, i) => {
    if (i > 0) coarsen(tables[i - 1]!, tables[i]!, r.resolutionMs / res);
    res = r.resolutionMs;
    out.push(toBatch(tables[i]!, res, active, texts));
  });
  return out;
}

function hasValue(valid: Uint8Array, rows: number): boolean {
  for (let i = 0, n = (rows + 7) >>> 3; i < n; i++) if (valid[i] !== 0) return true;
  return false;
}

/** Batch dictionary code -> flush-wide code. */
function remap(codes: Map<string, number>, texts: string[], dict: readonly string[]): Uint32Array {
  const out = new Uint32Array(dict.length);
  for (let i = 0; i < dict.length; i++) {
    let code = codes.get(dict[i]!);
    if (code === undefined) {
      code = codes.size;
      codes.set(dict[i]!, code);
      texts.push(dict[i]!);
    }
    out[i] = code;
  }
  return out;
}

/** Word mixing for the hash (murmur3 constants). */
function mix(h: number, v: number): number {
  h = Math.imul(h ^ v, 0xcc9e2d51);
  return Math.imul((h << 15) | (h >>> 17), 0x1b873593) >>> 0;
}

function finish(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  return (h ^ (h >>> 13)) >>> 0;
}

/** An open-addressing table of keys (K words each), their hashes and sums; grows by doubling. */
interface Table {
  K: number;
  keys: Uint32Array;
  sums: Float64Array;
  size: number;
  /** Empties the table for keys of K words (keeps the memory). */
  reset(K: number): void;
  /** Index of the entry with the key at `key[at..at+K)`, created (zero sums) if missing. */
  entry(key: Uint32Array, at: number, hash: number): number;
}

function createTable(): Table {
  let cap = 4096;
  let hashes = new Uint32Array(cap);
  // At most half full, so probe runs stay short.
  let slots = new Int32Array(cap * 2).fill(-1);
  let mask = slots.length - 1;
  const grow = (): void => {
    cap *= 2;
    const keys = new Uint32Array(cap * t.K);
    keys.set(t.keys.subarray(0, t.size * t.K));
    t.keys = keys;
    const sums = new Float64Array(cap * SUMS);
    sums.set(t.sums.subarray(0, t.size * SUMS));
    t.sums = sums;
    const h = new Uint32Array(cap);
    h.set(hashes.subarray(0, t.size));
    hashes = h;
    slots = new Int32Array(cap * 2).fill(-1);
    mask = slots.length - 1;
    for (let e = 0; e < t.size; e++) {
      let s = hashes[e]! & mask;
      while (slots[s]! >= 0) s = (s + 1) & mask;
      slots[s] = e;
    }
  };
  const t: Table = {
    K: 1,
    keys: new Uint32Array(cap),
    sums: new Float64Array(cap * SUMS),
    size: 0,
    reset(K) {
      if (K !== t.K || t.keys.length < cap * K) t.keys = new Uint32Array(cap * K);
      t.K = K;
      t.size = 0;
      slots.fill(-1);
    },
    entry(key, at, hash) {
      const K = t.K;
      for (let s = hash & mask; ; s = (s + 1) & mask) {
        const e = slots[s]!;
        if (e < 0) {
          if (t.size === cap) {
            grow();
            return t.entry(key, at, hash);
          }
          const n = t.size++;
          const keys = t.keys;
          for (let i = 0; i < K; i++) keys[n * K + i] = key[at + i]!;
          hashes[n] = hash;
          t.sums.fill(0, n * SUMS, n * SUMS + SUMS);
          slots[s] = n;
          return n;
        }
        if (hashes[e] !== hash) continue;
        const keys = t.keys;
        let same = true;
        for (let i = 0; i < K; i++)
          if (keys[e * K + i] !== key[at + i]) {
            same = false;
            break;
          }
        if (same) return e;
      }
    },
  };
  return t;
}

/** Fills `out` from `from`: bucket numbers divided by `factor`, sums added. */
function coarsen(from: Table, out: Table, factor: number): void {
  const K = from.K;
  out.reset(K);
  const key = new Uint32Array(K);
  for (let e = 0; e < from.size; e++) {
    for (let i = 0; i < K; i++) key[i] = from.keys[e * K + i]!;
    key[0] = Math.floor(key[0]! / factor);
    let h = 0x9747b28c;
    for (let i = 0; i < K; i++) h = mix(h, key[i]!);
    const o = out.entry(key, 0, finish(h));
    for (let i = 0; i < SUMS; i++) out.sums[o * SUMS + i]! += from.sums[e * SUMS + i]!;
  }
}

function toBatch(
  tb: Table,
  resolutionMs: number,
  active: readonly number[],
  texts: string[][],
): ColumnarBatch {
  const n = tb.size;
  const K = tb.K;
  const vb = Math.max(8, Math.ceil(n / 64) * 8);
  const columns: ColumnData[] = [];
  /** A u64 column from doubles (exact below 2^53); a Uint32Array store keeps the low 32 bits. */
  const words64 = (values: Float64Array, stride: number, at: number, scale: number): ColumnData => {
    const data = new Uint32Array(n * 2);
    for (let e = 0; e < n; e++) {
      const v = values[e * stride + at]! * scale;
      data[e * 2] = v;
      data[e * 2 + 1] = v / TWO32;
    }
    return { data, valid: new Uint8Array(vb).fill(0xff) };
  };
  const buckets = new Float64Array(n);
  for (let e = 0; e < n; e++) buckets[e] = tb.keys[e * K]!;
  columns.push(words64(buckets, 1, 0, resolutionMs));
  for (let d = 0; d < DIMS; d++) {
    const src = SOURCES[d]!;
    const valid = new Uint8Array(vb);
    const data =
      src.kind === 'u8' ? new Uint8Array(n) : src.kind === 'u16' ? new Uint16Array(n) : new Uint32Array(n);
    const a = active.indexOf(d);
    if (a >= 0) {
      const bit = 1 << a;
      for (let e = 0; e < n; e++) {
        if ((tb.keys[e * K + K - 1]! & bit) === 0) continue;
        data[e] = tb.keys[e * K + 1 + a]!;
        valid[e >>> 3]! |= 1 << (e & 7);
      }
    }
    columns.push(src.kind === 'dict' ? { data, valid, dict: texts[d]! } : { data, valid });
  }
  for (let i = 0; i < SUMS; i++) columns.push(words64(tb.sums, SUMS, i, 1));
  if (columns.length !== ROLLUP_COLUMNS.length) throw new Error('rollup layout mismatch');
  return { rows: n, columns };
}
