/**
 * Options of `npm run bench:query`, from `--name=value` arguments.
 * `npm run bench:query -- --help` lists them.
 */
import { parseRate } from '../ingest/options.ts';

/** Everything a run is configured by. */
export interface QueryBenchOptions {
  flows: number;
  hours: number;
  /** Timed rounds per query (after one untimed warm-up). */
  rounds: number;
  /** NetFlow v9 send rate to nfcapd, flows/s (lossless on this machine: see docs/performance.md). */
  sendRate: number;
  senders: number;
  /** The collector's lossless rate the store's write rate is held against, flows/s. */
  collectorRate: number;
  /** Write the report's Markdown here too. */
  markdownFile: string | undefined;
  /** Keep the temporary folder (nfcapd files, DuckDB store) and print its path. */
  keep: boolean;
  /**
   * Work in this folder (kept): a load already there for the same flows is
   * re-used, so experiments skip the minutes of loading.
   */
  dir: string | undefined;
  /** Load, then stop (no queries). */
  loadOnly: boolean;
  /** With `--dir`: keep the nfcapd files but write the FlowLens store again. */
  reloadFlowLens: boolean;
  /** Only these cases (top, series, search); all when empty. */
  only: string[];
}

/** The cases `--only` selects from. */
export const CASES = ['top', 'series', 'search'] as const;

export const USAGE = `npm run bench:query -- [--name=value ...]
  --flows=10M            flows generated (k and M suffixes)
  --hours=24             they end evenly spread over this many hours from 2026-01-01T00:00Z
  --rounds=5             timed runs of every query (after one untimed warm-up)
  --send-rate=500k       NetFlow v9 flows/s sent to nfcapd (must be lossless: checked)
  --senders=1            sender threads sharing the flows
  --collector-rate=250k  FlowLens's lossless v9 rate (docs/performance.md, Ingest) for the write check
  --markdown=FILE        also write the report as Markdown
  --keep                 keep the temporary folder
  --dir=DIR              work in DIR (kept); re-use the loads already there for the same flows
  --load-only            load both stores, run no query (with --dir: load once, query later)
  --reload-flowlens      with --dir: keep the nfcapd files, write the FlowLens store again
  --only=top,series,search  run only these queries`;

/** Parses argv; throws on an unknown option. */
export function parseOptions(argv: string[]): QueryBenchOptions | 'help' {
  const o: QueryBenchOptions = {
    flows: 10_000_000,
    hours: 24,
    rounds: 5,
    sendRate: 500_000,
    senders: 1,
    collectorRate: 250_000,
    markdownFile: undefined,
    keep: false,
    dir: undefined,
    loadOnly: false,
    reloadFlowLens: false,
    only: [],
  };
  for (const a of argv) {
    if (a === '--help' || a === '-h') return 'help';
    if (a === '--keep' || a === '--load-only' || a === '--reload-flowlens') {
      if (a === '--keep') o.keep = true;
      else if (a === '--load-only') o.loadOnly = true;
      else o.reloadFlowLens = true;
      continue;
    }
    const m = /^--([a-z-]+)=(.*)$/.exec(a);
    const value = m?.[2] ?? '';
    switch (m?.[1]) {
      case 'flows':
        o.flows = parseRate(value);
        break;
      case 'hours':
        o.hours = Number(value);
        break;
      case 'rounds':
        o.rounds = Number(value);
        break;
      case 'send-rate':
        o.sendRate = parseRate(value);
        break;
      case 'senders':
        o.senders = Number(value);
        break;
      case 'collector-rate':
        o.collectorRate = parseRate(value);
        break;
      case 'markdown':
        o.markdownFile = value;
        break;
      case 'dir':
        o.dir = value;
        o.keep = true;
        break;
      case 'only':
        o.only = value.split(',').filter((x) => x !== '');
        if (!o.only.every((x) => (CASES as readonly string[]).includes(x)))
          throw new Error(`--only takes ${CASES.join(', ')}\n${USAGE}`);
        break;
      case undefined:
      default:
        throw new Error(`unknown option "${a}"\n${USAGE}`);
    }
  }
  const ints = [o.flows, o.rounds, o.senders, o.sendRate];
  if (!ints.every((n) => Number.isSafeInteger(n) && n > 0) || !(o.hours > 0))
    throw new Error(`--flows, --rounds, --senders, --send-rate and --hours must be positive\n${USAGE}`);
  return o;
}
