/**
 * Address formatting shared by every decoder. Inputs are bounds-checked by
 * the caller; these functions read exactly 4, 16 or 6 bytes at `offset`.
 */

/** Dotted-quad text of the IPv4 address at `offset`. */
export function formatIpv4(b: Uint8Array, offset: number): string {
  return `${b[offset]}.${b[offset + 1]}.${b[offset + 2]}.${b[offset + 3]}`;
}

/** Dotted-quad text of a 32-bit unsigned address. */
export function formatIpv4Number(n: number): string {
  return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

/**
 * RFC 5952 text of the IPv6 address at `offset`: lowercase hex, leading zeros
 * dropped, the longest run (>= 2) of zero groups shortened to `::` (first such
 * run on ties), IPv4-mapped addresses (::ffff:a.b.c.d) in dotted form.
 */
export function formatIpv6(b: Uint8Array, offset: number): string {
  const g = new Array<number>(8);
  for (let i = 0; i < 8; i++) g[i] = ((b[offset + 2 * i] ?? 0) << 8) | (b[offset + 2 * i + 1] ?? 0);
  if (g[0] === 0 && g[1] === 0 && g[2] === 0 && g[3] === 0 && g[4] === 0 && g[5] === 0xffff) {
    return `::ffff:${formatIpv4(b, offset + 12)}`;
  }
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) (bestStart = i), (bestLen = j - i);
    i = j;
  }
  const hex = (i: number): string => (g[i] ?? 0).toString(16);
  if (bestStart < 0) return g.map((_, i) => hex(i)).join(':');
  const head = g.slice(0, bestStart).map((_, i) => hex(i));
  const tail = g.slice(bestStart + bestLen).map((_, i) => hex(bestStart + bestLen + i));
  return `${head.join(':')}::${tail.join(':')}`;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** `aa:bb:cc:dd:ee:ff` text of the MAC address at `offset`. */
export function formatMac(b: Uint8Array, offset: number): string {
  return `${HEX[b[offset] ?? 0]}:${HEX[b[offset + 1] ?? 0]}:${HEX[b[offset + 2] ?? 0]}:${HEX[b[offset + 3] ?? 0]}:${HEX[b[offset + 4] ?? 0]}:${HEX[b[offset + 5] ?? 0]}`;
}

/** Lowercase hex of `len` bytes at `offset`. */
export function formatHex(b: Uint8Array, offset: number, len: number): string {
  let s = '';
  for (let i = 0; i < len; i++) s += HEX[b[offset + i] ?? 0];
  return s;
}
