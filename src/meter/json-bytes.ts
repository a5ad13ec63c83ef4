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

/** "00" to "99": two digits a step (half the divisions of one digit a step). */
const PAIRS = new TextEncoder().encode(
  Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0')).join(''),
);
/** Decimal text of 0-255, three bytes each (unused ones zero), for IPv4 addresses. */
const OCTETS = new Uint8Array(256 * 3);
const OCTET_DIGITS = new Uint8Array(256);
for (let i = 0; i < 256; i++) {
  const t = String(i);
  OCTET_DIGITS[i] = t.length;
  for (let j = 0; j < t.length; j++) OCTETS[i * 3 + j] = t.charCodeAt(j);
}

/** Decimal digits of an integer in [0, 2^32). */
function digitCount(n: number): number {
  if (n < 100_000) return n < 10 ? 1 : n < 100 ? 2 : n < 1000 ? 3 : n < 10_000 ? 4 : 5;
  return n < 1_000_000 ? 6 : n < 10_000_000 ? 7 : n < 100_000_000 ? 8 : n < 1_000_000_000 ? 9 : 10;
}

/** The last `digits` digits of `n` (an integer in [0, 2^32)), zero-padded, ending at `end`. */
function putDigits(b: Uint8Array, end: number, n: number, digits: number): void {
  let p = end;
  let x = n;
  const stop = end - digits;
  while (p - stop >= 2) {
    const q = (x / 100) >>> 0;
    const r = (x - q * 100) * 2;
    b[p - 1] = PAIRS[r + 1]!;
    b[p - 2] = PAIRS[r]!;
    p -= 2;
    x = q;
  }
  if (p > stop) b[p - 1] = ZERO + (x % 10);
}

/** An unsigned integer below 2^32 in decimal. */
function putUint32(b: Uint8Array, o: number, n: number): number {
  if (n < 10) {
    b[o] = ZERO + n;
    return o + 1;
  }
  const digits = digitCount(n);
  putDigits(b, o + digits, n, digits);
  return o + digits;
}

/** A number as JSON writes it: integers digit by digit, anything else through Number#toString. */
export function putNumber(b: Uint8Array, o: number, n: number): number {
  if (n >>> 0 === n) return putUint32(b, o, n);
  if (!Number.isInteger(n) || n > MAX_FAST || n < -MAX_FAST) return putAscii(b, o, JSON.stringify(n));
  if (n < 0) {
    b[o] = MINUS;
    return putNumber(b, o + 1, -n);
  }
  // 2^32 <= n <= 2^53: the high digits, then the low nine zero-padded (times in ms, byte counts).
  const hi = Math.floor(n / 1e9);
  const p = putUint32(b, o, hi) + 9;
  putDigits(b, p, n - hi * 1e9, 9);
  return p;
}

/** Dotted-quad text of an IPv4 address held as a number. */
export function putIpv4(b: Uint8Array, o: number, a: number): number {
  o = putOctet(b, o, a >>> 24);
  b[o++] = DOT;
  o = putOctet(b, o, (a >>> 16) & 255);
  b[o++] = DOT;
  o = putOctet(b, o, (a >>> 8) & 255);
  b[o++] = DOT;
  return putOctet(b, o, a & 255);
}

function putOctet(b: Uint8Array, o: number, x: number): number {
  const n = OCTET_DIGITS[x]!;
  const i = x * 3;
  b[o] = OCTETS[i]!;
  if (n > 1) b[o + 1] = OCTETS[i + 1]!;
  if (n > 2) b[o + 2] = OCTETS[i + 2]!;
  return o + n;
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
