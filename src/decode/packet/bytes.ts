/**
 * Big-endian reads from a Uint8Array without a DataView per packet. The
 * caller checks bounds first; a read past the end gives 0 rather than throwing.
 */

/** Unsigned 16-bit big-endian at `o`. */
export function u16(b: Uint8Array, o: number): number {
  return (((b[o] ?? 0) << 8) | (b[o + 1] ?? 0)) >>> 0;
}

/** Unsigned 32-bit big-endian at `o`. */
export function u32(b: Uint8Array, o: number): number {
  return (((b[o] ?? 0) << 24) | ((b[o + 1] ?? 0) << 16) | ((b[o + 2] ?? 0) << 8) | (b[o + 3] ?? 0)) >>> 0;
}

/** One round of a 32-bit multiplicative mix (MurmurHash3's fmix32 constants). */
export function mix32(h: number, k: number): number {
  k = Math.imul(k, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, 0x1b873593);
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

/** MurmurHash3's finaliser: spreads every input bit over the result. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
