/**
 * IPv4 text for the record loop. Formatting is the dearest step of decoding
 * (half the time of a typical v9 record), and flow exports repeat the same
 * addresses over and over, so a small direct-mapped cache of recent texts
 * sits in front of a table-driven formatter. Same output as formatIpv4.
 */

const DECIMAL = Array.from({ length: 256 }, (_, i) => String(i));
/** Cache slots (power of two); 4096 entries keep ~100 KiB of strings alive at most. */
const CACHE_SIZE = 4096;
const CACHE_MASK = CACHE_SIZE - 1;

/** A per-decoder cache (no module-level state: decoders stay independent). */
export interface Ipv4TextCache {
  keys: Uint32Array;
  texts: (string | undefined)[];
}

/** An empty cache. */
export function createIpv4TextCache(): Ipv4TextCache {
  return {
    keys: new Uint32Array(CACHE_SIZE),
    texts: new Array<string | undefined>(CACHE_SIZE).fill(undefined),
  };
}

/** Dotted-quad text of the 4 bytes at `off` (caller checked they exist). */
export function ipv4Text(cache: Ipv4TextCache, v: DataView, off: number): string {
  const a = v.getUint32(off);
  const slot = (a ^ (a >>> 11) ^ (a >>> 22)) & CACHE_MASK;
  const hit = cache.texts[slot];
  if (hit !== undefined && cache.keys[slot] === a) return hit;
  const text = `${DECIMAL[a >>> 24]}.${DECIMAL[(a >>> 16) & 255]}.${DECIMAL[(a >>> 8) & 255]}.${DECIMAL[a & 255]}`;
  cache.keys[slot] = a;
  cache.texts[slot] = text;
  return text;
}
