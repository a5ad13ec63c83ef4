/**
 * The resource records of a DNS message (RFC 1035 §4) that DNS-SD (RFC 6763)
 * uses: PTR, SRV, TXT, A and AAAA, from every section (mDNS responders put
 * the SRV/TXT/A of an answer in "additional"). Names follow compression
 * pointers with a bound on jumps; counts and TXT sizes are bounded; never throws.
 */

/** One record. */
export type DnsRecord =
  | { type: 'PTR'; name: string; target: string }
  | { type: 'SRV'; name: string; target: string; port: number }
  | { type: 'TXT'; name: string; txt: Record<string, string> }
  | { type: 'A' | 'AAAA'; name: string; address: string }
  | { type: 'HINFO'; name: string; cpu: string; os: string };

/** RFC 1035 §3.2.2, RFC 3596, RFC 2782 type codes. */
const TYPE = { A: 1, PTR: 12, HINFO: 13, TXT: 16, AAAA: 28, SRV: 33 } as const;
const MAX_RECORDS = 128;
const MAX_LABELS = 64;
const MAX_TXT_ENTRIES = 32;
const MAX_TXT_VALUE = 256;

const u16 = (p: Uint8Array, o: number): number => ((p[o] ?? 0) << 8) | (p[o + 1] ?? 0);

/** The name at `o` and where the record continues after it. */
function readName(p: Uint8Array, start: number): { name: string; next: number } | undefined {
  const labels: string[] = [];
  let o = start;
  let next = -1;
  for (let jumps = 0; labels.length < MAX_LABELS && o < p.length;) {
    const len = p[o]!;
    if (len === 0) return { name: labels.join('.'), next: next < 0 ? o + 1 : next };
    if ((len & 0xc0) === 0xc0) {
      if (++jumps > MAX_LABELS) return undefined;
      if (next < 0) next = o + 2;
      o = u16(p, o) & 0x3fff;
      continue;
    }
    if (o + 1 + len > p.length) return undefined;
    labels.push(new TextDecoder().decode(p.subarray(o + 1, o + 1 + len)));
    o += 1 + len;
  }
  return undefined;
}

function readTxt(p: Uint8Array, o: number, end: number): Record<string, string> {
  const txt: Record<string, string> = {};
  let n = 0;
  while (o < end && n++ < MAX_TXT_ENTRIES) {
    const len = p[o]!;
    const s = new TextDecoder().decode(p.subarray(o + 1, Math.min(end, o + 1 + len)));
    o += 1 + len;
    const eq = s.indexOf('=');
    const key = (eq < 0 ? s : s.slice(0, eq)).toLowerCase();
    if (key) txt[key] = eq < 0 ? '' : s.slice(eq + 1, eq + 1 + MAX_TXT_VALUE);
  }
  return txt;
}

function ipv6(p: Uint8Array, o: number): string {
  const g: string[] = [];
  for (let i = 0; i < 8; i++) g.push(u16(p, o + 2 * i).toString(16));
  // RFC 5952: the longest run of zero groups (two or more) becomes "::".
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    let j = i;
    while (j < 8 && g[j] === '0') j++;
    if (j - i > bestLen) [best, bestLen] = [i, j - i];
    i = j === i ? i + 1 : j;
  }
  if (best < 0) return g.join(':');
  return `${g.slice(0, best).join(':')}::${g.slice(best + bestLen).join(':')}`;
}

function record(p: Uint8Array, name: string, type: number, o: number, len: number): DnsRecord | undefined {
  switch (type) {
    case TYPE.A:
      return len === 4
        ? { type: 'A', name, address: `${p[o]}.${p[o + 1]}.${p[o + 2]}.${p[o + 3]}` }
        : undefined;
    case TYPE.AAAA:
      return len === 16 ? { type: 'AAAA', name, address: ipv6(p, o) } : undefined;
    case TYPE.PTR: {
      const t = readName(p, o);
      return t ? { type: 'PTR', name, target: t.name } : undefined;
    }
    case TYPE.SRV: {
      const t = readName(p, o + 6);
      return t && len >= 7 ? { type: 'SRV', name, target: t.name, port: u16(p, o + 4) } : undefined;
    }
    case TYPE.TXT:
      return { type: 'TXT', name, txt: readTxt(p, o, o + len) };
    case TYPE.HINFO: {
      // RFC 1035 §3.3.2: two character-strings, CPU and OS (avahi publishes them).
      const cpuLen = p[o] ?? 0;
      const dec = new TextDecoder();
      const cpu = dec.decode(p.subarray(o + 1, Math.min(o + len, o + 1 + cpuLen)));
      const osAt = o + 1 + cpuLen;
      const os = dec.decode(p.subarray(osAt + 1, Math.min(o + len, osAt + 1 + (p[osAt] ?? 0))));
      return { type: 'HINFO', name, cpu, os };
    }
    default:
      return undefined;
  }
}

/** Every PTR/SRV/TXT/A/AAAA record of a DNS message; [] when it is not a response. */
export function parseDnsRecords(p: Uint8Array): DnsRecord[] {
  if (p.length < 12 || (p[2]! & 0x80) === 0) return [];
  let o = 12;
  for (let q = u16(p, 4); q > 0; q--) {
    const n = readName(p, o);
    if (!n) return [];
    o = n.next + 4;
  }
  const total = Math.min(MAX_RECORDS, u16(p, 6) + u16(p, 8) + u16(p, 10));
  const out: DnsRecord[] = [];
  for (let i = 0; i < total && o < p.length; i++) {
    const n = readName(p, o);
    if (!n || n.next + 10 > p.length) break;
    const type = u16(p, n.next);
    const len = u16(p, n.next + 8);
    o = n.next + 10;
    if (o + len > p.length) break;
    const r = record(p, n.name, type, o, len);
    if (r) out.push(r);
    o += len;
  }
  return out;
}
