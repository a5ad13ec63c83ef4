/**
 * Addresses as the store keeps them: an IP is a 128-bit unsigned integer
 * (IPv4 as IPv4-mapped IPv6, ::ffff:a.b.c.d) held in four little-endian
 * 32-bit words, word 0 least significant — the in-memory layout of DuckDB's
 * UHUGEINT, so a batch column copies into a vector without conversion. A MAC
 * is a 48-bit integer in two words. Parsing is hand-written because it runs
 * once per address per flow on the ingest path.
 */
import { parseIpv4Number } from '../../common/net.ts';

/** Writes the address into words[at..at+3]; false (words untouched) when it is not an IP. */
export function parseIpWords(s: string, words: Uint32Array, at: number): boolean {
  // IPv4 first: most exported flows are IPv4, and the dotted-quad scan stops at the first ':'.
  return parseIpv4Mapped(s, words, at) || (s.includes(':') && parseIpv6(s, words, at));
}

function parseIpv4Mapped(s: string, words: Uint32Array, at: number): boolean {
  const v = parseIpv4Number(s, 0);
  if (v < 0) return false;
  words[at] = v;
  words[at + 1] = 0xffff;
  words[at + 2] = 0;
  words[at + 3] = 0;
  return true;
}

const groups = new Uint16Array(8);

function parseIpv6(s: string, words: Uint32Array, at: number): boolean {
  const gap = s.indexOf('::');
  if (gap >= 0 && s.indexOf('::', gap + 1) >= 0) return false;
  const head = gap >= 0 ? s.slice(0, gap) : s;
  const tail = gap >= 0 ? s.slice(gap + 2) : '';
  const h = head === '' ? [] : head.split(':');
  const t = tail === '' ? [] : tail.split(':');
  groups.fill(0);
  const fill = (parts: string[], start: number): boolean => {
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i]!;
      const pos = start + i;
      if (p.includes('.')) {
        // An embedded IPv4 takes the last two groups (RFC 4291 §2.2, form 3).
        const v4 = pos === 6 && i === parts.length - 1 ? parseIpv4Number(p, 0) : -1;
        if (v4 < 0) return false;
        groups[6] = v4 >>> 16;
        groups[7] = v4 & 0xffff;
        return true;
      }
      if (!/^[0-9a-fA-F]{1,4}$/.test(p) || pos > 7) return false;
      groups[pos] = parseInt(p, 16);
    }
    return true;
  };
  const count = (parts: string[]): number => parts.reduce((n, p) => n + (p.includes('.') ? 2 : 1), 0);
  const total = count(h) + count(t);
  if (gap < 0 ? total !== 8 : total > 7) return false;
  if (!fill(h, 0) || !fill(t, 8 - count(t))) return false;
  for (let w = 0; w < 4; w++) words[at + w] = ((groups[7 - 2 * w - 1]! << 16) | groups[7 - 2 * w]!) >>> 0;
  return true;
}

/** The address as a bigint (the UHUGEINT / IPv6 integer value), or undefined when not an IP. */
export function ipToBigInt(s: string): bigint | undefined {
  const w = new Uint32Array(4);
  if (!parseIpWords(s, w, 0)) return undefined;
  return (BigInt(w[3]!) << 96n) | (BigInt(w[2]!) << 64n) | (BigInt(w[1]!) << 32n) | BigInt(w[0]!);
}

const MAPPED_PREFIX = 0xffffn << 32n;

/** Text form of a stored address: dotted quad for IPv4-mapped, RFC 5952 otherwise. */
export function formatIpBigInt(v: bigint): string {
  if (v >> 32n === 0xffffn) {
    const n = Number(v & 0xffffffffn);
    return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
  }
  const g: number[] = [];
  for (let i = 7; i >= 0; i--) g.push(Number((v >> BigInt(i * 16)) & 0xffffn));
  // RFC 5952 §4.2: the longest run (first on a tie) of two or more zero groups becomes "::".
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) [best, bestLen] = [i, j - i];
    i = j === i ? i + 1 : j;
  }
  const hex = g.map((x) => x.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}

/** First and last address of a CIDR block, as 128-bit integers; undefined when malformed. */
export function cidrRange(cidr: string): { lo: bigint; hi: bigint } | undefined {
  const slash = cidr.indexOf('/');
  const addr = slash < 0 ? cidr : cidr.slice(0, slash);
  const v = ipToBigInt(addr);
  if (v === undefined) return undefined;
  const v4 = !addr.includes(':');
  const maxLen = v4 ? 32 : 128;
  const lenText = slash < 0 ? String(maxLen) : cidr.slice(slash + 1);
  if (!/^\d{1,3}$/.test(lenText) || Number(lenText) > maxLen) return undefined;
  const hostBits = BigInt(maxLen - Number(lenText));
  const mask = (1n << hostBits) - 1n;
  const lo = v & ~mask;
  return { lo: v4 ? lo | MAPPED_PREFIX : lo, hi: lo | mask };
}

/** Writes a MAC ("aa:bb:cc:dd:ee:ff") into words[at], words[at+1]; false when malformed. */
export function parseMacWords(s: string, words: Uint32Array, at: number): boolean {
  if (s.length !== 17) return false;
  const hi = parseInt(s.slice(0, 2) + s.slice(3, 5), 16);
  const lo = parseInt(s.slice(6, 8) + s.slice(9, 11) + s.slice(12, 14) + s.slice(15, 17), 16);
  if (Number.isNaN(hi) || Number.isNaN(lo)) return false;
  words[at] = lo >>> 0;
  words[at + 1] = hi;
  return true;
}

/** The MAC as a number (48 bits fit a double exactly); undefined when malformed. */
export function macToNumber(s: string): number | undefined {
  const w = new Uint32Array(2);
  return parseMacWords(s, w, 0) ? w[1]! * 2 ** 32 + w[0]! : undefined;
}

/** "aa:bb:cc:dd:ee:ff" of a stored MAC integer. */
export function formatMac(v: number | bigint): string {
  const hex = BigInt(v).toString(16).padStart(12, '0');
  return hex.replace(/(..)(?!$)/g, '$1:');
}
