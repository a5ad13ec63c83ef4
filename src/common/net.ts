/**
 * Address formatting shared by every decoder. Inputs are bounds-checked by
 * the caller; these functions read exactly 4, 16 or 6 bytes at `offset`.
 */

/** Dotted-quad text of the IPv4 address at `offset`. */
export function formatIpv4(b: Uint8Array, offset: number): string {
  return `${b[offset]}.${b[offset + 1]}.${b[offset + 2]}.${b[offset + 3]}`;
}

/**
 * The 32-bit value of dotted-quad text (from `from` to the end), or -1 when it
 * is not exactly four decimal octets. A char-code scan with no allocation, for
 * hot paths that get addresses as text (enrichment, live sums, the store).
 */
export function parseIpv4Number(s: string, from = 0): number {
  let v = 0;
  let part = 0;
  let digits = 0;
  let dots = 0;
  for (let i = from; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 46) {
      if (digits === 0 || ++dots > 3) return -1;
      v = v * 256 + part;
      part = 0;
      digits = 0;
    } else if (c >= 48 && c <= 57 && digits < 3) {
      part = part * 10 + (c - 48);
      if (part > 255) return -1;
      digits++;
    } else return -1;
  }
  if (dots !== 3 || digits === 0) return -1;
  return v * 256 + part;
}

/** Dotted-quad text of a 32-bit unsigned address. */
export function formatIpv4Number(n: number): string {
  return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

const HEX_BYTE = Array.from({ length: 256 }, (_, i) => i.toString(16));
const HEX_BYTE_PADDED = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** Hex of a 16-bit group without leading zeros, from tables rather than toString. */
function hex16(g: number): string {
  return g < 256 ? (HEX_BYTE[g] ?? '') : (HEX_BYTE[g >> 8] ?? '') + (HEX_BYTE_PADDED[g & 255] ?? '');
}

/**
 * The run of zero groups RFC 5952 shortens to `::` among the 8 groups in
 * `g`: the longest (the first on ties, §4.2.3) of two or more (a single zero
 * group stays, §4.2.2), as start * 16 + length; -1 when there is none.
 * `MAPPED_RUN` (groups 0-4) with 0xffff in group 5 is an IPv4-mapped address.
 */
export function zeroRunToShorten(g: ArrayLike<number>): number {
  let bestStart = -1;
  let bestLen = 0;
  let runStart = -1;
  for (let i = 0; i < 8; i++) {
    if (g[i] !== 0) {
      runStart = -1;
      continue;
    }
    if (runStart < 0) runStart = i;
    if (i - runStart + 1 > bestLen) {
      bestLen = i - runStart + 1;
      bestStart = runStart;
    }
  }
  return bestLen < 2 ? -1 : bestStart * 16 + bestLen;
}

/** zeroRunToShorten of ::ffff:a.b.c.d: groups 0-4. */
export const MAPPED_RUN = 5;

/** Reused between calls: formatting is synchronous, so no call sees another's groups. */
const groups = new Uint16Array(8);

/**
 * RFC 5952 text of the IPv6 address at `offset`: lowercase hex, leading zeros
 * dropped, the longest run (>= 2) of zero groups shortened to `::` (the first
 * on ties, §4.2.3), IPv4-mapped addresses (::ffff:a.b.c.d) in dotted form.
 * Written for decoders' hot paths: no arrays or closures per call.
 */
export function formatIpv6(b: Uint8Array, offset: number): string {
  for (let i = 0; i < 8; i++) groups[i] = ((b[offset + 2 * i] ?? 0) << 8) | (b[offset + 2 * i + 1] ?? 0);
  const run = zeroRunToShorten(groups);
  if (run === MAPPED_RUN && groups[5] === 0xffff) return `::ffff:${formatIpv4(b, offset + 12)}`;
  const bestStart = run < 0 ? -1 : run >> 4;
  const bestLen = run & 15;
  let s = '';
  let separate = false;
  for (let i = 0; i < 8; i++) {
    if (i === bestStart) {
      s += '::';
      i += bestLen - 1;
      separate = false;
      continue;
    }
    s += separate ? `:${hex16(groups[i] ?? 0)}` : hex16(groups[i] ?? 0);
    separate = true;
  }
  return s;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** `aa:bb:cc:dd:ee:ff` text of the MAC address at `offset`. */
export function formatMac(b: Uint8Array, offset: number): string {
  const h = (i: number): string => HEX[b[offset + i] ?? 0] ?? '00';
  return `${h(0)}:${h(1)}:${h(2)}:${h(3)}:${h(4)}:${h(5)}`;
}

/** Lowercase hex of `len` bytes at `offset`. */
export function formatHex(b: Uint8Array, offset: number, len: number): string {
  let s = '';
  for (let i = 0; i < len; i++) s += HEX[b[offset + i] ?? 0];
  return s;
}
