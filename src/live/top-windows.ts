/**
 * Top lists over the last 1, 5 and 15 minutes: 10-second buckets, each
 * holding per-dimension sums; a closed bucket keeps only its heaviest keys,
 * so memory is bounded by buckets × dimensions × keysPerBucket. A window is
 * the buckets that started within it (the filling one included).
 */
import { pruneLighterHalf, type Acc } from './bounded-sums.ts';
import type { KeyedSums, TopDimension } from './delta.ts';

/** Top dimensions plus talkers (hosts by bytes sent and received). */
export type TopList = TopDimension | 'talkers';

/** Every top list, in display order. */
export const TOP_LISTS: readonly TopList[] = [
  'talkers',
  'protocols',
  'applications',
  'categories',
  'as',
  'countries',
];

/** The windows top lists are offered over. */
export type TopWindow = '1m' | '5m' | '15m';

/** Seconds of each window. */
export const WINDOW_SECONDS: Record<TopWindow, number> = { '1m': 60, '5m': 300, '15m': 900 };

const BUCKET_SECONDS = 10;
const BUCKETS = WINDOW_SECONDS['15m'] / BUCKET_SECONDS;
/** The filling bucket may hold this many times keysPerBucket before it is pruned. */
const OPEN_BUCKET_FACTOR = 4;

interface Bucket {
  startSec: number;
  lists: Map<TopList, Map<string, Acc>>;
}

/** One entry of a top list. */
export interface TopEntry {
  key: string;
  label?: string;
  bytes: number;
  packets: number;
  flows: number;
  /** Average bits per second over the window. */
  bps: number;
}

/** The 10-second buckets. */
export class TopWindows {
  private buckets: Bucket[] = [];
  readonly keysPerBucket: number;

  constructor(keysPerBucket: number) {
    this.keysPerBucket = keysPerBucket;
  }

  /** Adds sums to `list` at `nowMs`. */
  add(list: TopList, sums: readonly KeyedSums[], nowMs: number): void {
    if (sums.length === 0) return;
    const m = this.bucketAt(nowMs).lists.get(list)!;
    for (const [key, b, p, f, label] of sums) {
      let a = m.get(key);
      if (a === undefined) {
        // The filling bucket is bounded too (a flood of one-off keys must not grow it).
        if (m.size >= OPEN_BUCKET_FACTOR * this.keysPerBucket) pruneLighterHalf(m, (v) => v.b);
        a = { b: 0, p: 0, f: 0, label: undefined };
        m.set(key, a);
      }
      a.b += b;
      a.p += p;
      a.f += f;
      if (label !== undefined) a.label = label;
    }
  }

  /**
   * The `limit` heaviest keys of `list` over `window` ending at `nowMs`;
   * `spanSeconds` (the service's age) shortens the rate divisor at start.
   */
  top(list: TopList, window: TopWindow, limit: number, nowMs: number, spanSeconds: number): TopEntry[] {
    const sinceSec = Math.floor(nowMs / 1000) - WINDOW_SECONDS[window];
    const sum = new Map<string, Acc>();
    for (const bucket of this.buckets) {
      if (bucket.startSec + BUCKET_SECONDS <= sinceSec) continue;
      for (const [key, a] of bucket.lists.get(list)!) {
        const s = sum.get(key);
        if (s === undefined) sum.set(key, { ...a });
        else {
          s.b += a.b;
          s.p += a.p;
          s.f += a.f;
          if (a.label !== undefined) s.label = a.label;
        }
      }
    }
    const seconds = Math.max(1, Math.min(WINDOW_SECONDS[window], spanSeconds));
    return heaviest(sum, limit).map(([key, a]) => {
      const e: TopEntry = { key, bytes: a.b, packets: a.p, flows: a.f, bps: (a.b * 8) / seconds };
      if (a.label !== undefined) e.label = a.label;
      return e;
    });
  }

  private bucketAt(nowMs: number): Bucket {
    const startSec = Math.floor(nowMs / 1000 / BUCKET_SECONDS) * BUCKET_SECONDS;
    const head = this.buckets.at(-1);
    if (head && head.startSec >= startSec) return head; // a late delta joins the newest bucket
    if (head) this.close(head);
    const b: Bucket = { startSec, lists: new Map(TOP_LISTS.map((l) => [l, new Map<string, Acc>()])) };
    this.buckets.push(b);
    while (this.buckets.length > 0 && this.buckets[0]!.startSec <= startSec - BUCKETS * BUCKET_SECONDS)
      this.buckets.shift();
    return b;
  }

  /** A bucket that stops filling keeps only its heaviest keys. */
  private close(b: Bucket): void {
    for (const [list, m] of b.lists) {
      if (m.size > this.keysPerBucket) b.lists.set(list, new Map(heaviest(m, this.keysPerBucket)));
    }
  }
}

/** The `limit` entries with the most bytes, heaviest first. */
function heaviest(m: Map<string, Acc>, limit: number): [string, Acc][] {
  return [...m].sort((x, y) => y[1].b - x[1].b).slice(0, limit);
}
