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

let viewed: Uint8Array | undefined;
let viewedLength = 0;
let viewOfViewed: DataView = new DataView(new ArrayBuffer(0));

/**
 * A DataView of exactly `b`'s bytes, for reading 16/32-bit fields with one
 * load each. The last one made is reused: capture feeds pass one buffer for
 * many frames, and the shard hash and the decoder read the same frame. A
 * DataView throws out of bounds where an array read gives undefined: the
 * caller checks that what it reads is within `b` (and `b` is not empty, as a
 * detached buffer is).
 */
export function dataViewOf(b: Uint8Array): DataView {
  // The length too: a view of a resizable buffer may have grown since.
  if (b !== viewed || b.length !== viewedLength) {
    viewed = b;
    viewedLength = b.length;
    viewOfViewed = new DataView(b.buffer, b.byteOffset, b.length);
  }
  return viewOfViewed;
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

/** `mix32(h, 0)`: with a zero word only the rotate and multiply-add of `h` remain (IPv4 keys' zero words). */
export function mixZero(h: number): number {
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
