/**
 * A bounded cache with approximate least-recently-used eviction, as two
 * generations of Maps: new entries and hits go to the young generation; when
 * it holds half the budget it becomes the old one and the previous old one is
 * dropped. An entry used at least once per half-budget of insertions survives.
 * A hit costs one or two Map lookups (no delete/re-insert as an exact LRU
 * over one Map would), which matters on the per-record path. Hits, misses and
 * evicted entries are counted.
 */
export interface LruCache<K, V> {
  get(key: K): V | undefined;
  set(key: K, value: V): void;
  delete(key: K): void;
  clear(): void;
  readonly size: number;
  readonly stats: CacheStats;
}

/** Counters of one cache (monotonic; the reporter takes deltas). */
export interface CacheStats {
  hits: number;
  misses: number;
  evictions: number;
}

/** A cache holding at most `maxEntries` (at least 2). */
export function createLruCache<K, V>(maxEntries: number): LruCache<K, V> {
  const half = Math.max(1, Math.floor(maxEntries / 2));
  let young = new Map<K, V>();
  let old = new Map<K, V>();
  const stats: CacheStats = { hits: 0, misses: 0, evictions: 0 };

  function insert(key: K, value: V): void {
    if (young.size >= half) {
      stats.evictions += old.size;
      old = young;
      young = new Map();
    }
    young.set(key, value);
  }

  return {
    get(key) {
      let v = young.get(key);
      if (v !== undefined) {
        stats.hits++;
        return v;
      }
      v = old.get(key);
      if (v === undefined) {
        stats.misses++;
        return undefined;
      }
      stats.hits++;
      old.delete(key);
      insert(key, v);
      return v;
    },
    set(key, value) {
      old.delete(key);
      if (young.has(key)) young.set(key, value);
      else insert(key, value);
    },
    delete(key) {
      young.delete(key);
      old.delete(key);
    },
    clear() {
      young.clear();
      old.clear();
    },
    get size() {
      return young.size + old.size;
    },
    stats,
  };
}
