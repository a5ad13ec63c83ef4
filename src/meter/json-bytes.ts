/**
 * Writing JSON text as bytes into a Uint8Array, for flow-json.ts: numbers,
 * IPv4 addresses and MACs go digit by digit into the output buffer, with no
 * intermediate string. Every function writes at `o` and returns the offset
 * after what it wrote; the caller guarantees room (flow-json.ts bounds a line).
 * Numbers are written as JSON.stringify writes them (ECMA-262 Number::toString).
 */

const ZERO = 0x30;
const MINUS = 0x2d;
const DOT = 0x2e;
const COLON = 0x3a;
const encoder = new TextEncoder();
const HEX = new TextEncoder().encode('0123456789abcdef');
/** Beyond this, an integer's digits need more care than this fast path gives (2^53). */
const MAX_FAST = Number.MAX_SAFE_INTEGER;

/** ASCII/UTF-8 bytes of `s`, for text written many times (keys, the exporter). */
export function encodeText(s: string): Uint8Array {
  return encoder.encode(s);
}

/**
 * Copies `src` to `b[o..]`. A plain loop: the keys are 5-25 bytes, for which
 * it beats TypedArray#set's call overhead.
 */
export function putBytes(b: Uint8Array, o: number, src: Uint8Array): number {
  const n = src.length;
  for (let i = 0; i < n; i++) b[o + i] = src[i]!;
  return o + n;
}

/** A string that needs no JSON escaping (addresses, names from a closed list). */
export function putAscii(b: Uint8Array, o: number, s: string): number {
  const n = s.length;
  for (let i = 0; i < n; i++) b[o + i] = s.charCodeAt(i);
  return o + n;
}

/** An unsigned integer below 2^32 in decimal. */
function putUint32(b: Uint8Array, o: number, n: number): number {
  let digits = 1;
  for (let x = n; x >= 10; x = (x / 10) >>> 0) digits++;
  let p = o + digits;
  let x = n;
  do {
    const q = (x / 10) >>> 0;
    b[--p] = ZERO + x - q * 10;
    x = q;
  } while (x > 0);
  return o + digits;
}

/** A number as JSON writes it: integers digit by digit, anything else through Number#toString. */
export function putNumber(b: Uint8Array, o: number, n: number): number {
  if (n >= 0 && n <= 0xffffffff && Number.isInteger(n)) return putUint32(b, o, n);
  if (!Number.isInteger(n) || n > MAX_FAST || n < -MAX_FAST) return putAscii(b, o, JSON.stringify(n));
  if (n < 0) {
    b[o] = MINUS;
    return putNumber(b, o + 1, -n);
  }
  // 2^32 <= n <= 2^53: the high digits, then the low nine zero-padded (times in ms, byte counts).
  const hi = Math.floor(n / 1e9);
  let lo = n - hi * 1e9;
  const p = putUint32(b, o, hi) + 9;
  for (let i = 1; i <= 9; i++) {
    const q = Math.floor(lo / 10);
    b[p - i] = ZERO + lo - q * 10;
    lo = q;
  }
  return p;
}

/** Dotted-quad text of an IPv4 address held as a number. */
export function putIpv4(b: Uint8Array, o: number, a: number): number {
  o = putUint32(b, o, a >>> 24);
  b[o++] = DOT;
  o = putUint32(b, o, (a >>> 16) & 255);
  b[o++] = DOT;
  o = putUint32(b, o, (a >>> 8) & 255);
  b[o++] = DOT;
  return putUint32(b, o, a & 255);
}

/** `aa:bb:cc:dd:ee:ff` of a 48-bit number (as formatMacNumber). */
export function putMac(b: Uint8Array, o: number, mac: number): number {
  const hi = Math.floor(mac / 0x100000000);
  const lo = mac >>> 0;
  o = putHexByte(b, o, hi >>> 8);
  b[o++] = COLON;
  o = putHexByte(b, o, hi & 255);
  for (let shift = 24; shift >= 0; shift -= 8) {
    b[o++] = COLON;
    o = putHexByte(b, o, (lo >>> shift) & 255);
  }
  return o;
}

function putHexByte(b: Uint8Array, o: number, x: number): number {
  b[o] = HEX[x >>> 4]!;
  b[o + 1] = HEX[x & 15]!;
  return o + 2;
}
