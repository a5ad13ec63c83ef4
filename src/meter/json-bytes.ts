/**
 * Writing JSON text as bytes into a buffer through a DataView, for
 * flow-json.ts: numbers, addresses and MACs go into the output buffer with no
 * intermediate string, several bytes a store from tables (a store costs about
 * what a byte does, and a line is mostly short runs). Every function writes
 * at `o` and returns the offset after its text; it may also write up to
 * SCRATCH_BYTES of padding past that offset, which the caller's next write
 * overwrites. The caller guarantees room (flow-json.ts bounds a line).
 * Numbers are written as JSON.stringify writes them (ECMA-262 Number::toString).
 */

import { MAPPED_RUN, zeroRunToShorten } from '../common/net.ts';

const MINUS = 0x2d;
const COLON = 0x3a;
const QUOTE = 0x22;
const encoder = new TextEncoder();
/** Beyond this, an integer's digits need more care than this fast path gives (2^53). */
const MAX_FAST = Number.MAX_SAFE_INTEGER;
/** Bytes a writer may write past the offset it returns (putKey's and putRun's three words). */
export const SCRATCH_BYTES = 24;

/** ASCII/UTF-8 bytes of `s`, for text written many times (keys, the exporter). */
export function encodeText(s: string): Uint8Array {
  return encoder.encode(s);
}

/** Little-endian 32-bit word of the (up to 4) character codes of `s`, zero-padded. */
function word(s: string): number {
  let w = 0;
  for (let i = s.length - 1; i >= 0; i--) w = (w << 8) | s.charCodeAt(i);
  return w;
}

/**
 * Fixed text as little-endian 64-bit words stored as doubles, zero-padded,
 * written eight bytes a store. Valid UTF-8 never holds the bit pattern of a
 * NaN (that needs a byte >= 0xF0, a 4-byte sequence's lead, followed by 0x7F
 * or 0xFF, which UTF-8 never follows a lead byte with), so every word is an
 * ordinary double and is stored bit for bit.
 */
export interface Run {
  words: Float64Array;
  length: number;
}

/** The Run of `bytes` (valid UTF-8: see Run); at least three words, for putRun. */
export function runOf(bytes: Uint8Array): Run {
  const words = new Float64Array(Math.max(3, Math.ceil(bytes.length / 8)));
  new Uint8Array(words.buffer).set(bytes);
  return { words, length: bytes.length };
}

/**
 * Writes `r` at `o` (and up to 23 bytes of padding after it); returns the
 * offset after the text. Three stores whatever the length, then a loop for
 * longer runs: most runs are 8-24 bytes, and the branchless stores beat a
 * loop by about 10 ms over the benchmark's 200,000 lines.
 */
export function putRun(d: DataView, o: number, r: Run): number {
  const w = r.words;
  d.setFloat64(o, w[0]!, true);
  d.setFloat64(o + 8, w[1]!, true);
  d.setFloat64(o + 16, w[2]!, true);
  for (let i = 3; i < w.length; i++) d.setFloat64(o + 8 * i, w[i]!, true);
  return o + r.length;
}

/** Words of the keys (keyOf), three per key. */
const KEY_WORDS = new Float64Array(3 * 64);
const MAX_KEY_BYTES = 24;
let keyCount = 0;

/**
 * A key (`,"name":` and the like, at most 24 bytes) for putKey: its index
 * in KEY_WORDS times 32, plus its length. Keys as numbers into one table
 * rather than Runs: no object and array loads per key, about 7 ms of the
 * benchmark's 200,000 lines (26 keys each).
 */
export function keyOf(s: string): number {
  const bytes = encodeText(s);
  if (bytes.length > MAX_KEY_BYTES || keyCount * 3 >= KEY_WORDS.length) throw new Error(`key ${s}: no room`);
  new Uint8Array(KEY_WORDS.buffer).set(bytes, keyCount * MAX_KEY_BYTES);
  return (keyCount++ << 5) | bytes.length;
}

/** Writes key `k` (keyOf) at `o` and up to 23 bytes of padding; returns the offset after the key. */
export function putKey(d: DataView, o: number, k: number): number {
  const i = (k >>> 5) * 3;
  d.setFloat64(o, KEY_WORDS[i]!, true);
  d.setFloat64(o + 8, KEY_WORDS[i + 1]!, true);
  d.setFloat64(o + 16, KEY_WORDS[i + 2]!, true);
  return o + (k & 31);
}

/** Copies `src` to `b[o..]` (text built per line, rare: a flow's server name). */
export function putBytes(b: Uint8Array, o: number, src: Uint8Array): number {
  b.set(src, o);
  return o + src.length;
}

/** ASCII text that needs no JSON escaping (a number's JSON.stringify, rare: see putNumber). */
function putAscii(d: DataView, o: number, s: string): number {
  const n = s.length;
  for (let i = 0; i < n; i++) d.setUint8(o + i, s.charCodeAt(i));
  return o + n;
}

/**
 * Decimal text of 0-9999 as one 32-bit word each: DIGITS without leading
 * zeros (and DIGIT_COUNT of them), DIGITS4 zero-padded to four. A number
 * below 2^32 is then one to three stores and at most two divisions, where
 * digit pairs took a division and two byte stores per two digits.
 */
const DIGITS = new Int32Array(10_000);
const DIGIT_COUNT = new Uint8Array(10_000);
const DIGITS4 = new Int32Array(10_000);
const ZERO = 0x30;
// By arithmetic rather than through strings: this runs at every start of the command, before V8
// has optimised anything (10,000 strings built and padded cost 3 ms of it).
for (let i = 0; i < 10_000; i++) {
  const padded =
    (ZERO + Math.floor(i / 1000)) |
    ((ZERO + (Math.floor(i / 100) % 10)) << 8) |
    ((ZERO + (Math.floor(i / 10) % 10)) << 16) |
    ((ZERO + (i % 10)) << 24);
  const count = i < 10 ? 1 : i < 100 ? 2 : i < 1000 ? 3 : 4;
  DIGITS4[i] = padded;
  DIGIT_COUNT[i] = count;
  DIGITS[i] = padded >>> (8 * (4 - count)); // little-endian: the leading zeros are the low bytes
}

/** An unsigned integer below 2^32 in decimal. */
export function putUint32(d: DataView, o: number, n: number): number {
  if (n < 10_000) {
    d.setInt32(o, DIGITS[n]!, true);
    return o + DIGIT_COUNT[n]!;
  }
  if (n < 100_000_000) {
    const hi = (n / 10_000) >>> 0;
    d.setInt32(o, DIGITS[hi]!, true);
    o += DIGIT_COUNT[hi]!;
    d.setInt32(o, DIGITS4[n - hi * 10_000]!, true);
    return o + 4;
  }
  const hi = (n / 100_000_000) >>> 0; // 1-42
  const lo = n - hi * 100_000_000;
  const mid = (lo / 10_000) >>> 0;
  d.setInt32(o, DIGITS[hi]!, true);
  o += DIGIT_COUNT[hi]!;
  d.setInt32(o, DIGITS4[mid]!, true);
  d.setInt32(o + 4, DIGITS4[lo - mid * 10_000]!, true);
  return o + 8;
}

/** A number as JSON writes it: integers from the digit tables, anything else through Number#toString. */
export function putNumber(d: DataView, o: number, n: number): number {
  if (n >>> 0 === n) return putUint32(d, o, n);
  if (!Number.isInteger(n) || n > MAX_FAST || n < -MAX_FAST) return putAscii(d, o, JSON.stringify(n));
  if (n < 0) {
    d.setUint8(o, MINUS);
    return putNumber(d, o + 1, -n);
  }
  // 2^32 <= n <= 2^53 (times in ms, byte counts): the high digits, then the low eight zero-padded.
  let hi = Math.floor(n / 100_000_000);
  let lo = n - hi * 100_000_000; // exact: both below 2^53
  if (lo < 0) {
    // The quotient rounded up to the next integer (n just below a multiple of 10^8, near 2^53).
    hi--;
    lo += 100_000_000;
  }
  o = putUint32(d, o, hi);
  const mid = (lo / 10_000) >>> 0;
  d.setInt32(o, DIGITS4[mid]!, true);
  d.setInt32(o + 4, DIGITS4[lo - mid * 10_000]!, true);
  return o + 8;
}

/**
 * `Math.floor(ms)` as putNumber writes it, faster for the usual 13 digits
 * (times from 2001 to 2286): one float division splits off the low four
 * digits, 32-bit arithmetic the rest, four stores. Through putNumber's
 * general path a time took about 25 ns, a tenth of a line.
 */
export function putFloorMs(d: DataView, o: number, ms: number): number {
  const t = Math.floor(ms);
  if (!(t >= 1e12 && t < 1e13)) return putNumber(d, o, t);
  const q1 = Math.floor(t / 10_000); // below 10^9, and exact: t / 10^4 is an integer or 10^-4 or more from one
  const q2 = (q1 / 10_000) >>> 0; // 10000-99999
  const q3 = (q2 / 10_000) >>> 0; // 1-9
  d.setInt32(o, DIGITS[q3]!, true);
  d.setInt32(o + 1, DIGITS4[q2 - q3 * 10_000]!, true);
  d.setInt32(o + 5, DIGITS4[q1 - q2 * 10_000]!, true);
  d.setInt32(o + 9, DIGITS4[t - q1 * 10_000]!, true);
  return o + 13;
}

/** An octet's digits and a dot ("7.", "42.", "255.") as one 32-bit word, and the length with the dot. */
const OCTET_DOT = new Int32Array(256);
const OCTET_DOT_LENGTH = new Uint8Array(256);
for (let i = 0; i < 256; i++) {
  OCTET_DOT[i] = word(`${i}.`);
  OCTET_DOT_LENGTH[i] = String(i).length + 1;
}

/**
 * Dotted-quad text of an IPv4 address held as a number, and a closing quote
 * (in place of the fourth octet's dot: four stores and one byte for the lot).
 */
export function putIpv4Quoted(d: DataView, o: number, a: number): number {
  let x = a >>> 24;
  d.setInt32(o, OCTET_DOT[x]!, true);
  o += OCTET_DOT_LENGTH[x]!;
  x = (a >>> 16) & 255;
  d.setInt32(o, OCTET_DOT[x]!, true);
  o += OCTET_DOT_LENGTH[x]!;
  x = (a >>> 8) & 255;
  d.setInt32(o, OCTET_DOT[x]!, true);
  o += OCTET_DOT_LENGTH[x]!;
  x = a & 255;
  d.setInt32(o, OCTET_DOT[x]!, true);
  o += OCTET_DOT_LENGTH[x]!;
  d.setUint8(o - 1, QUOTE);
  return o;
}

/** Dotted-quad text of an IPv4 address held as a number. */
export function putIpv4(d: DataView, o: number, a: number): number {
  return putIpv4Quoted(d, o, a) - 1;
}

/**
 * Hex of a byte without leading zeros ("a", "ff") as a 32-bit word, and its
 * length; HEX_PAIR zero-padded ("0a") as a 16-bit one: an IPv6 group is
 * one or two stores.
 */
const HEX_BYTE = new Int32Array(256);
const HEX_BYTE_LENGTH = new Uint8Array(256);
const HEX_PAIR = new Uint16Array(256);
for (let i = 0; i < 256; i++) {
  HEX_BYTE[i] = word(i.toString(16));
  HEX_BYTE_LENGTH[i] = i < 16 ? 1 : 2;
  HEX_PAIR[i] = word(i.toString(16).padStart(2, '0'));
}
const DOUBLE_COLON = word('::');
const MAPPED_1 = word('::ff');
/** The groups of the address being written (writing is synchronous). */
const v6Groups = new Uint16Array(8);
const MAPPED_2 = word('ff:');

/**
 * RFC 5952 text of the IPv6 address in words `w[at..at+3]` (as formatIpv6 of
 * common/net.ts writes it: lowercase hex without leading zeros, the longest
 * run of two or more zero groups as `::`, the first on ties, IPv4-mapped
 * addresses as ::ffff:a.b.c.d) and a closing quote.
 */
export function putIpv6Quoted(d: DataView, o: number, w: Uint32Array, at: number): number {
  const g = v6Groups;
  for (let i = 0; i < 8; i++) {
    const x = w[at + (i >> 1)]!;
    g[i] = i & 1 ? x & 0xffff : x >>> 16;
  }
  const run = zeroRunToShorten(g);
  if (run === MAPPED_RUN && g[5] === 0xffff) {
    d.setInt32(o, MAPPED_1, true);
    d.setInt32(o + 4, MAPPED_2, true);
    return putIpv4Quoted(d, o + 7, w[at + 3]!);
  }
  const bestStart = run < 0 ? -1 : run >> 4;
  const bestLen = run & 15;
  let separate = false;
  for (let i = 0; i < 8; i++) {
    if (i === bestStart) {
      d.setUint16(o, DOUBLE_COLON, true);
      o += 2;
      i += bestLen - 1;
      separate = false;
      continue;
    }
    if (separate) d.setUint8(o++, COLON);
    o = putHex16(d, o, g[i]!);
    separate = true;
  }
  d.setUint8(o, QUOTE);
  return o + 1;
}

/** A 16-bit group in hex without leading zeros. */
function putHex16(d: DataView, o: number, g: number): number {
  if (g < 0x100) {
    d.setInt32(o, HEX_BYTE[g]!, true);
    return o + HEX_BYTE_LENGTH[g]!;
  }
  const hi = g >>> 8;
  d.setInt32(o, HEX_BYTE[hi]!, true);
  o += HEX_BYTE_LENGTH[hi]!;
  d.setUint16(o, HEX_PAIR[g & 255]!, true);
  return o + 2;
}

/** A byte's two hex digits and a colon ("0a:") as one 32-bit word. */
const HEX_COLON = new Int32Array(256);
for (let i = 0; i < 256; i++) HEX_COLON[i] = word(`${i.toString(16).padStart(2, '0')}:`);

/**
 * `aa:bb:cc:dd:ee:ff` of a 48-bit number (as formatMacNumber) and a closing
 * quote in place of the last colon: six stores and one byte.
 */
export function putMacQuoted(d: DataView, o: number, mac: number): number {
  const hi = Math.floor(mac / 0x100000000);
  const lo = mac >>> 0;
  d.setInt32(o, HEX_COLON[hi >>> 8]!, true);
  d.setInt32(o + 3, HEX_COLON[hi & 255]!, true);
  d.setInt32(o + 6, HEX_COLON[lo >>> 24]!, true);
  d.setInt32(o + 9, HEX_COLON[(lo >>> 16) & 255]!, true);
  d.setInt32(o + 12, HEX_COLON[(lo >>> 8) & 255]!, true);
  d.setInt32(o + 15, HEX_COLON[lo & 255]!, true);
  d.setUint8(o + 17, QUOTE);
  return o + 18;
}

/** `aa:bb:cc:dd:ee:ff` of a 48-bit number (as formatMacNumber). */
export function putMac(d: DataView, o: number, mac: number): number {
  return putMacQuoted(d, o, mac) - 1;
}

/*
 * Fields: key `k` (keyOf) and its value in one call. Written as a call for
 * the key and one for the value, a line took two calls a field, and V8
 * inlines only the first few of a line's ~26 fields into the functions
 * that write them (its inlining budget); in one call a field, with the
 * key's stores and the value's usual case inlined into it, formatting the
 * benchmark's 200,000 lines took about 67 -> 56 ms.
 */

/** An unsigned integer below 2^32. */
export function putUintField(d: DataView, o: number, k: number, n: number): number {
  o = putKey(d, o, k);
  if (n >= 10_000) return putUint32(d, o, n);
  d.setInt32(o, DIGITS[n]!, true);
  return o + DIGIT_COUNT[n]!;
}

/** Any number. */
export function putNumberField(d: DataView, o: number, k: number, n: number): number {
  o = putKey(d, o, k);
  if (!(n < 10_000 && n >>> 0 === n)) return putNumber(d, o, n);
  d.setInt32(o, DIGITS[n]!, true);
  return o + DIGIT_COUNT[n]!;
}

/** An IPv4 address and its closing quote (the key holds the opening one). */
export function putIpv4Field(d: DataView, o: number, k: number, a: number): number {
  return putIpv4Quoted(d, putKey(d, o, k), a);
}

/**
 * Numeric fields `keys[0..n)` (keyOf) with `values[0..n)` (any numbers), as
 * putNumberField writes each: one loop for a line's run of them. Integers
 * below 10^8, nearly all of a flow's, are written here; others by putNumber.
 */
export function putNumberFields(
  d: DataView,
  o: number,
  keys: Int32Array,
  values: Float64Array,
  n: number,
): number {
  for (let i = 0; i < n; i++) {
    o = putKey(d, o, keys[i]!);
    const x = values[i]!;
    if (x < 10_000 && x >>> 0 === x) {
      d.setInt32(o, DIGITS[x]!, true);
      o += DIGIT_COUNT[x]!;
    } else if (x < 100_000_000 && x >>> 0 === x) {
      const hi = (x / 10_000) >>> 0;
      d.setInt32(o, DIGITS[hi]!, true);
      o += DIGIT_COUNT[hi]!;
      d.setInt32(o, DIGITS4[x - hi * 10_000]!, true);
      o += 4;
    } else o = putNumber(d, o, x);
  }
  return o;
}
