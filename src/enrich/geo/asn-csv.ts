/**
 * AS number and organisation by address range, from the CSV files of the
 * `@ip-location-db/asn` package (`start,end,asn,organisation`, inclusive
 * ranges, sorted, non-overlapping). Held as typed arrays searched by
 * bisection: about 410k IPv4 and 100k IPv6 rows in a few tens of MB, with
 * organisation names stored once each.
 */
import { parseIpv4Number } from '../../common/net.ts';

/** An AS lookup answer. */
export interface AsInfo {
  asn: number;
  org: string;
}

/** A loaded range table. */
export interface AsnTable {
  lookup(addr: string): AsInfo | undefined;
  readonly rows: number;
}

/** Splits one CSV line with RFC 4180 quoting into fields. */
function splitCsv(line: string): string[] {
  if (!line.includes('"')) return line.split(',');
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

/** An IPv6 address as a 128-bit bigint. */
export function v6ToBigInt(a: string): bigint {
  let groups: string[];
  const dbl = a.indexOf('::');
  if (dbl >= 0) {
    const head = a.slice(0, dbl).split(':').filter(Boolean);
    const tail = a
      .slice(dbl + 2)
      .split(':')
      .filter(Boolean);
    groups = [...head, ...Array<string>(8 - head.length - tail.length).fill('0'), ...tail];
  } else groups = a.split(':');
  let n = 0n;
  for (const g of groups) n = (n << 16n) | BigInt(parseInt(g || '0', 16));
  return n;
}

/** Builds the table from the text of the IPv4 and IPv6 CSV files (either may be empty). */
export function parseAsnCsv(v4Text: string, v6Text: string): AsnTable {
  const orgs: string[] = [];
  const orgIndex = new Map<string, number>();
  const intern = (s: string): number => {
    let i = orgIndex.get(s);
    if (i === undefined) {
      i = orgs.length;
      orgs.push(s);
      orgIndex.set(s, i);
    }
    return i;
  };
  const l4 = v4Text.split('\n').filter((l) => l !== '');
  const s4 = new Float64Array(l4.length);
  const e4 = new Float64Array(l4.length);
  const a4 = new Uint32Array(l4.length);
  const o4 = new Uint32Array(l4.length);
  l4.forEach((l, i) => {
    const f = splitCsv(l);
    s4[i] = parseIpv4Number(f[0]!);
    e4[i] = parseIpv4Number(f[1]!);
    a4[i] = Number(f[2]);
    o4[i] = intern(f[3] ?? '');
  });
  const l6 = v6Text.split('\n').filter((l) => l !== '');
  const s6 = new BigUint64Array(l6.length * 2);
  const e6 = new BigUint64Array(l6.length * 2);
  const a6 = new Uint32Array(l6.length);
  const o6 = new Uint32Array(l6.length);
  const MASK = (1n << 64n) - 1n;
  l6.forEach((l, i) => {
    const f = splitCsv(l);
    const s = v6ToBigInt(f[0]!);
    const e = v6ToBigInt(f[1]!);
    s6[2 * i] = s >> 64n;
    s6[2 * i + 1] = s & MASK;
    e6[2 * i] = e >> 64n;
    e6[2 * i + 1] = e & MASK;
    a6[i] = Number(f[2]);
    o6[i] = intern(f[3] ?? '');
  });
  const answer = (asn: number, org: number): AsInfo => ({ asn, org: orgs[org] ?? '' });
  return {
    rows: l4.length + l6.length,
    lookup(addr) {
      const v4 = parseIpv4Number(addr);
      if (v4 >= 0) {
        const i = lastAtOrBelow(s4.length, (k) => s4[k]! <= v4);
        return i >= 0 && v4 <= e4[i]! ? answer(a4[i]!, o4[i]!) : undefined;
      }
      const n = v6ToBigInt(addr);
      const hi = n >> 64n;
      const lo = n & MASK;
      const le = (k: number, arr: BigUint64Array): boolean =>
        arr[2 * k]! < hi || (arr[2 * k] === hi && arr[2 * k + 1]! <= lo);
      const i = lastAtOrBelow(a6.length, (k) => le(k, s6));
      if (i < 0) return undefined;
      const endHi = e6[2 * i]!;
      const inside = hi < endHi || (hi === endHi && lo <= e6[2 * i + 1]!);
      return inside ? answer(a6[i]!, o6[i]!) : undefined;
    },
  };
}

/** The last index k in [0, n) with pred(k) true, pred monotone (true then false); -1 if none. */
function lastAtOrBelow(n: number, pred: (k: number) => boolean): number {
  let lo = 0;
  let hi = n - 1;
  let best = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (pred(mid)) {
      best = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return best;
}
