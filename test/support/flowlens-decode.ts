import { fileURLToPath } from 'node:url';
import type { FlowRecord } from '../../src/schema/flow-record.ts';
import { runToExit } from './child-process.ts';

/** The `flowlens` entry point of this checkout. */
export const FLOWLENS_BIN = fileURLToPath(new URL('../../bin/flowlens.js', import.meta.url));

/** What `flowlens decode` printed. */
export interface DecodeRun {
  code: number | null;
  records: FlowRecord[];
  /** The one-line summary on stderr. */
  summary: string;
  /** Errors by kind, from the summary ("errors: none" gives {}). */
  errors: Record<string, number>;
}

/** Runs `flowlens decode FILE...` (on this Node) and parses its JSON Lines. */
export async function runFlowlensDecode(files: readonly string[]): Promise<DecodeRun> {
  const r = await runToExit(process.execPath, [FLOWLENS_BIN, 'decode', ...files], { timeoutMs: 120_000 });
  const records = r.stdout
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as FlowRecord);
  const summary = r.stderr.trim().split('\n').at(-1) ?? '';
  const errors: Record<string, number> = {};
  const list = /errors: ([^;]*)/.exec(summary)?.[1] ?? 'unparsed';
  if (list !== 'none') {
    for (const item of list.split(', ')) {
      const m = /^(\S+) (\d+)$/.exec(item);
      errors[m?.[1] ?? item] = Number(m?.[2] ?? NaN);
    }
  }
  return { code: r.code, records, summary, errors };
}

/** Record count and sums of `bytes` and `packets`. */
export interface FlowTotals {
  records: number;
  bytes: number;
  packets: number;
}

/** Totals of a list of flow records (not scaled by sampling). */
export function totalsOf(records: readonly Pick<FlowRecord, 'bytes' | 'packets'>[]): FlowTotals {
  let bytes = 0;
  let packets = 0;
  for (const r of records) {
    bytes += r.bytes;
    packets += r.packets;
  }
  return { records: records.length, bytes, packets };
}
