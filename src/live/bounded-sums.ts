/**
 * Per-key sums with a hard bound on the number of keys. When the bound is
 * reached, roughly the lighter half is dropped (threshold: the median weight
 * of a sample), so heavy keys survive a flood of one-off keys. This is the
 * "prune on overflow" family of heavy-hitter summaries (Misra–Gries): the
 * counts kept are exact from the moment a key was (re)admitted, and a key
 * dropped and re-admitted under-counts; the totals are kept apart, exactly.
 */
import type { KeyedSums } from './delta.ts';

/** Sums of one key. */
export interface Acc {
  b: number;
  p: number;
  f: number;
  label: string | undefined;
}

/** Entries looked at to pick the pruning threshold. */
const PRUNE_SAMPLE = 257;

/** The stride that picks about PRUNE_SAMPLE of `size` entries. */
export function sampleStride(size: number): number {
  return Math.max(1, Math.floor(size / PRUNE_SAMPLE));
}

/** The median of `sample` (sorted in place); 0 when empty. */
export function sampleMedian(sample: number[]): number {
  sample.sort((a, b) => a - b);
  return sample[Math.floor(sample.length / 2)] ?? 0;
}

/**
 * Deletes the entries of `map` weighing at most the median of a sample;
 * returns how many were deleted. O(size).
 */
export function pruneLighterHalf<V>(map: Map<string, V>, weight: (v: V) => number): number {
  // A plain loop: a generator of the weights cost ~40 ns an entry on this hot path.
  const step = sampleStride(map.size);
  const sample: number[] = [];
  let i = 0;
  for (const v of map.values()) if (i++ % step === 0) sample.push(weight(v));
  const threshold = sampleMedian(sample);
  let deleted = 0;
  for (const [k, v] of map) {
    if (weight(v) <= threshold) {
      map.delete(k);
      deleted++;
    }
  }
  return deleted;
}

/** Bounded per-key sums (bytes, packets, flows and an optional display label). */
export class BoundedSums {
  readonly map = new Map<string, Acc>();
  /** Keys dropped by pruning since the last drain. */
  pruned = 0;
  readonly maxKeys: number;

  constructor(maxKeys: number) {
    this.maxKeys = maxKeys;
  }

  add(key: string, b: number, p: number, f: number, label?: string): void {
    let a = this.map.get(key);
    if (a === undefined) {
      if (this.map.size >= this.maxKeys) this.pruned += pruneLighterHalf(this.map, (v) => v.b);
      a = { b: 0, p: 0, f: 0, label: undefined };
      this.map.set(key, a);
    }
    a.b += b;
    a.p += p;
    a.f += f;
    if (label !== undefined) a.label = label;
  }

  /** Everything summed since the last drain, then empties. */
  drain(): KeyedSums[] {
    const out: KeyedSums[] = [];
    for (const [k, a] of this.map)
      out.push(a.label === undefined ? [k, a.b, a.p, a.f] : [k, a.b, a.p, a.f, a.label]);
    this.map.clear();
    this.pruned = 0;
    return out;
  }
}
