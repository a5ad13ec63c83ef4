/**
 * The answers both tools give, in one shape, and how they are compared: a
 * benchmark of two tools that answer differently measures nothing, so every
 * figure in the report comes with "same answer: yes/no" and what differed.
 */

/** One row of a top-N: the key (an address as text) and its sums. */
export interface TopEntry {
  key: string;
  bytes: number;
  packets: number;
  flows: number;
}

/** One bucket of a series, `t` = bucket start (epoch ms). */
export interface SeriesPoint {
  t: number;
  bytes: number;
  packets: number;
  flows: number;
}

/** The fields of a found flow that both tools store. */
export interface FoundFlow {
  endMs: number;
  srcAddr: string;
  dstAddr: string;
  srcPort: number;
  dstPort: number;
  proto: number;
  packets: number;
  bytes: number;
}

/** The outcome of a comparison. */
export interface Verdict {
  same: boolean;
  detail: string;
}

const ipOrder = (a: string, b: string): number => {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 4; i++) if (pa[i] !== pb[i]) return (pa[i] ?? 0) - (pb[i] ?? 0);
  return 0;
};

/** Same keys with the same sums in the same order (ties on bytes ordered by address, as FlowLens does). */
export function compareTop(a: TopEntry[], b: TopEntry[]): Verdict {
  const norm = (x: TopEntry[]): TopEntry[] =>
    [...x].sort((p, q) => q.bytes - p.bytes || ipOrder(p.key, q.key));
  const [na, nb] = [norm(a), norm(b)];
  if (na.length !== nb.length) return { same: false, detail: `${na.length} rows vs ${nb.length}` };
  for (let i = 0; i < na.length; i++) {
    const [p, q] = [na[i]!, nb[i]!];
    if (p.key !== q.key || p.bytes !== q.bytes || p.packets !== q.packets || p.flows !== q.flows)
      return { same: false, detail: `rank ${i + 1}: ${JSON.stringify(p)} vs ${JSON.stringify(q)}` };
  }
  const bytes = na.reduce((n, r) => n + r.bytes, 0);
  return { same: true, detail: `${na.length} keys, ${bytes.toLocaleString('en')} bytes` };
}

/** Every bucket with the same bytes, packets and flows. */
export function compareSeries(a: SeriesPoint[], b: SeriesPoint[]): Verdict {
  if (a.length !== b.length) return { same: false, detail: `${a.length} buckets vs ${b.length}` };
  let flows = 0;
  for (let i = 0; i < a.length; i++) {
    const [p, q] = [a[i]!, b[i]!];
    if (p.t !== q.t || p.bytes !== q.bytes || p.packets !== q.packets || p.flows !== q.flows)
      return { same: false, detail: `bucket ${i}: ${JSON.stringify(p)} vs ${JSON.stringify(q)}` };
    flows += p.flows;
  }
  return { same: true, detail: `${a.length} buckets, ${flows.toLocaleString('en')} flows` };
}

/** The same flows, field by field, in the same order. */
export function compareFlows(a: FoundFlow[], b: FoundFlow[]): Verdict {
  if (a.length !== b.length) return { same: false, detail: `${a.length} flows vs ${b.length}` };
  for (let i = 0; i < a.length; i++) {
    if (JSON.stringify(a[i]) !== JSON.stringify(b[i]))
      return { same: false, detail: `flow ${i}: ${JSON.stringify(a[i])} vs ${JSON.stringify(b[i])}` };
  }
  return { same: true, detail: `${a.length} flows identical` };
}

/** Equal totals. */
export function compareTotals(
  a: { flows: number; bytes: number },
  b: { flows: number; bytes: number },
): Verdict {
  const same = a.flows === b.flows && a.bytes === b.bytes;
  const fmt = (x: { flows: number; bytes: number }): string =>
    `${x.flows.toLocaleString('en')} flows, ${x.bytes.toLocaleString('en')} bytes`;
  return { same, detail: same ? fmt(a) : `${fmt(a)} vs ${fmt(b)}` };
}

/** True when a found flow satisfies `src 10.0.0.0/8 and dport 443 and not proto udp`. */
export function matchesSearch(f: FoundFlow): boolean {
  return f.srcAddr.startsWith('10.') && f.dstPort === 443 && f.proto !== 17;
}
