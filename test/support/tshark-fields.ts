import { runToExit } from './child-process.ts';

/** Options of a tshark read. */
export interface TsharkReadOptions {
  /** "Decode as" rules, e.g. `udp.port==2055,cflow`. */
  decodeAs?: readonly string[];
  /** Display filter (`-Y`). */
  filter?: string;
}

/**
 * The values of `fields` in every packet of `pcap` (`tshark -T fields`), one
 * row per packet and one list per field: a field that occurs several times
 * in a packet (NetFlow records in one datagram) gives several values.
 */
export async function readTsharkFields(
  tshark: string,
  pcap: string,
  fields: readonly string[],
  opts: TsharkReadOptions = {},
): Promise<string[][][]> {
  const args = [
    '-n',
    '-r',
    pcap,
    '-T',
    'fields',
    '-E',
    'separator=/t',
    '-E',
    'occurrence=a',
    '-E',
    'aggregator=,',
  ];
  for (const d of opts.decodeAs ?? []) args.push('-d', d);
  if (opts.filter) args.push('-Y', opts.filter);
  for (const f of fields) args.push('-e', f);
  const r = await runToExit(tshark, args, { timeoutMs: 120_000 });
  if (r.code !== 0) throw new Error(`tshark exited ${r.code}: ${r.stderr}`);
  return r.stdout
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => l.split('\t').map((v) => (v === '' ? [] : v.split(','))));
}

/** Count and sum of a numeric field's occurrences. */
export interface FieldTotal {
  count: number;
  sum: number;
}

/**
 * Count and sum of every occurrence of each of `fields` over `pcap`, e.g.
 * `cflow.octets` and `cflow.packets` over an export capture, or `frame.len`
 * over the input of an exporter. Non-numeric values throw.
 */
export async function sumTsharkFields(
  tshark: string,
  pcap: string,
  fields: readonly string[],
  opts: TsharkReadOptions = {},
): Promise<Record<string, FieldTotal>> {
  const rows = await readTsharkFields(tshark, pcap, fields, opts);
  const totals: Record<string, FieldTotal> = {};
  fields.forEach((f, i) => {
    const t: FieldTotal = { count: 0, sum: 0 };
    for (const row of rows) {
      for (const v of row[i] ?? []) {
        const n = Number(v);
        if (!Number.isFinite(n)) throw new Error(`tshark field ${f} is not numeric: "${v}"`);
        t.count++;
        t.sum += n;
      }
    }
    totals[f] = t;
  });
  return totals;
}
