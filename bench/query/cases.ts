/**
 * The three queries of issue 3, each asked of nfdump and of FlowLens (in
 * process and through the CLI) over the same flows, timed in interleaved
 * rounds, with the answers compared.
 */
import type { QueryEngine } from '../../src/query/index.ts';
import {
  compareFlows,
  compareSeries,
  compareTop,
  compareTotals,
  matchesSearch,
  type FoundFlow,
  type SeriesPoint,
  type TopEntry,
  type Verdict,
} from './answers.ts';
import {
  cliRange,
  engineSearch,
  engineSearchTotals,
  engineSeries,
  engineTop,
  parseCliFlows,
  parseCliSeries,
  parseCliTop,
  runFlowLensCli,
  type Range,
} from './flowlens-query.ts';
import { timeRounds, type Timing } from './measure.ts';
import {
  createSeriesFold,
  nfdumpText,
  parseNfdumpTime,
  parseSummary,
  parseTopCsv,
  runNfdump,
} from './nfdump-query.ts';

/** What every case needs. */
export interface CaseContext {
  nfdumpDir: string;
  cliConfig: string;
  engine: QueryEngine;
  range: Range;
  rounds: number;
  timeoutMs: number;
}

/** One line of the report. */
export interface CaseResult {
  query: string;
  nfdumpCommand: string;
  flowlensCommand: string;
  nfdump: Timing;
  engine?: Timing | undefined;
  cli?: Timing | undefined;
  verdict: Verdict;
  note: string;
}

const STEP_MS = 300_000;
const NFDUMP_FILTER = 'src net 10.0.0.0/8 and dst port 443 and not proto udp';
const FLOWLENS_FILTER = 'src 10.0.0.0/8 and dport 443 and not proto udp';
const FLOW_FORMAT = 'fmt:%te %sa %da %sp %dp %pr %pkt %byt';
const SEARCH_LIMIT = 100;

const both = (a: Verdict, b: Verdict, labels: [string, string]): Verdict => ({
  same: a.same && b.same,
  detail: a.same && b.same ? a.detail : `${labels[0]}: ${a.detail}; ${labels[1]}: ${b.detail}`,
});
const shell = (args: string[]): string => args.map((a) => (/[\s']/.test(a) ? `'${a}'` : a)).join(' ');

/** Top-10 source addresses by bytes over the whole range. */
export async function topCase(c: CaseContext): Promise<CaseResult> {
  const nfArgs = ['-R', c.nfdumpDir, '-s', 'srcip/bytes', '-n', '10', '-N', '-q', '-o', 'csv'];
  const cliArgs = ['top', 'srcAddr', '--limit', '10', ...cliRange(c.range)];
  let nf: TopEntry[] = [];
  let eng: TopEntry[] = [];
  let cli: TopEntry[] = [];
  const t = await timeRounds(
    [
      { label: 'nfdump', run: async () => void (nf = parseTopCsv(await nfdumpText(nfArgs, c.timeoutMs))) },
      { label: 'engine', run: async () => void (eng = await engineTop(c.engine, c.range, 10)) },
      {
        label: 'cli',
        run: async () => void (cli = parseCliTop(await runFlowLensCli(cliArgs, c.cliConfig, c.timeoutMs))),
      },
    ],
    c.rounds,
  );
  return {
    query: 'top-10 sources by bytes',
    nfdumpCommand: `nfdump ${shell(nfArgs)}`,
    flowlensCommand: `flowlens query ${shell(cliArgs)}`,
    nfdump: t.get('nfdump')!,
    engine: t.get('engine'),
    cli: t.get('cli'),
    verdict: both(compareTop(nf, eng), compareTop(nf, cli), ['engine', 'cli']),
    note: 'raw table (srcAddr is not a rollup dimension)',
  };
}

/**
 * A 5-minute series of the whole range. nfdump cannot bucket by time: its
 * fastest single pass prints each flow's end time and counters, folded into
 * buckets as they stream (timed together). Print-only, output dropped, is
 * timed too, as the floor of any nfdump method.
 */
export async function seriesCases(c: CaseContext): Promise<CaseResult[]> {
  const nfArgs = ['-R', c.nfdumpDir, '-q', '-N', '-o', 'fmt:%te %byt %pkt'];
  const cliArgs = ['series', '--step', '5m', ...cliRange(c.range)];
  let nf: SeriesPoint[] = [];
  let eng: SeriesPoint[] = [];
  let cli: SeriesPoint[] = [];
  let table = '';
  const t = await timeRounds(
    [
      {
        label: 'nfdump',
        run: async () => {
          const fold = createSeriesFold(c.range.fromMs, c.range.toMs, STEP_MS);
          await runNfdump(nfArgs, (chunk) => fold.feed(chunk), c.timeoutMs);
          nf = fold.points();
        },
      },
      { label: 'nfdump-print', run: () => runNfdump(nfArgs, () => undefined, c.timeoutMs) },
      {
        label: 'engine',
        run: async () => void ({ points: eng, table } = await engineSeries(c.engine, c.range, STEP_MS)),
      },
      {
        label: 'cli',
        run: async () => void (cli = parseCliSeries(await runFlowLensCli(cliArgs, c.cliConfig, c.timeoutMs))),
      },
    ],
    c.rounds,
  );
  const verdict = both(compareSeries(nf, eng), compareSeries(nf, cli), ['engine', 'cli']);
  const base = {
    flowlensCommand: `flowlens query ${shell(cliArgs)}`,
    verdict,
    note: `FlowLens read ${table}`,
  };
  return [
    {
      ...base,
      query: '5-minute series, whole range',
      nfdumpCommand: `nfdump ${shell(nfArgs)} | fold into 5-min buckets`,
      nfdump: t.get('nfdump')!,
      engine: t.get('engine'),
      cli: t.get('cli'),
    },
    {
      ...base,
      query: '5-minute series (nfdump floor: print only)',
      nfdumpCommand: `nfdump ${shell(nfArgs)} > /dev/null`,
      nfdump: t.get('nfdump-print')!,
      engine: t.get('engine'),
      cli: t.get('cli'),
      note: 'no bucketing done by nfdump: a lower bound',
    },
  ];
}

const parseFlowLines = (text: string): FoundFlow[] =>
  text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => {
      const [date = '', clock = '', sa = '', da = '', sp, dp, pr, pkt, byt] = l.trim().split(/\s+/);
      return {
        endMs: parseNfdumpTime(date, clock),
        srcAddr: sa,
        dstAddr: da,
        srcPort: Number(sp),
        dstPort: Number(dp),
        proto: Number(pr),
        packets: Number(pkt),
        bytes: Number(byt),
      };
    });

/** nfdump's newest matching flows, newest first (verification only: sorts every match). */
async function nfdumpNewest(c: CaseContext, n: number): Promise<FoundFlow[]> {
  let tail = '';
  let lines: string[] = [];
  await runNfdump(
    ['-R', c.nfdumpDir, '-q', '-N', '-O', 'tend', '-o', FLOW_FORMAT, NFDUMP_FILTER],
    (chunk) => {
      const parts = (tail + chunk.toString('utf8')).split('\n');
      tail = parts.pop() ?? '';
      lines = lines.concat(parts).slice(-n);
    },
    c.timeoutMs,
  );
  return parseFlowLines([...lines, tail].join('\n'))
    .slice(-n)
    .reverse();
}

/** The filtered search: every match counted plus the newest 100, and nfdump's cheaper "first 100". */
export async function searchCases(c: CaseContext): Promise<CaseResult[]> {
  const countArgs = ['-R', c.nfdumpDir, '-N', '-o', 'null', NFDUMP_FILTER];
  const firstArgs = [
    '-R',
    c.nfdumpDir,
    '-q',
    '-N',
    '-c',
    String(SEARCH_LIMIT),
    '-o',
    FLOW_FORMAT,
    NFDUMP_FILTER,
  ];
  const cliArgs = [
    'flows',
    '--filter',
    FLOWLENS_FILTER,
    '--limit',
    String(SEARCH_LIMIT),
    ...cliRange(c.range),
  ];
  let nfTotal = { flows: 0, bytes: 0 };
  let nfFirst: FoundFlow[] = [];
  let eng: { total: number; flows: FoundFlow[] } = { total: 0, flows: [] };
  let cli: FoundFlow[] = [];
  const t = await timeRounds(
    [
      {
        label: 'nfdump',
        run: async () => void (nfTotal = parseSummary(await nfdumpText(countArgs, c.timeoutMs))),
      },
      {
        label: 'nfdump-first',
        run: async () => void (nfFirst = parseFlowLines(await nfdumpText(firstArgs, c.timeoutMs))),
      },
      {
        label: 'engine',
        run: async () => void (eng = await engineSearch(c.engine, c.range, FLOWLENS_FILTER, SEARCH_LIMIT)),
      },
      {
        label: 'cli',
        run: async () => void (cli = parseCliFlows(await runFlowLensCli(cliArgs, c.cliConfig, c.timeoutMs))),
      },
    ],
    c.rounds,
  );
  // Untimed checks: the same newest flows, the same count and byte sum of every match.
  const newest = await nfdumpNewest(c, SEARCH_LIMIT);
  const totals = await engineSearchTotals(c.engine, c.range, FLOWLENS_FILTER);
  const counted = compareTotals(nfTotal, { flows: eng.total, bytes: totals.bytes });
  const flowsSame = both(compareFlows(newest, eng.flows), compareFlows(newest, cli), ['engine', 'cli']);
  const firstOk = nfFirst.length === SEARCH_LIMIT && nfFirst.every(matchesSearch) && cli.every(matchesSearch);
  return [
    {
      query: 'filtered search: count + newest 100',
      nfdumpCommand: `nfdump ${shell(countArgs)}`,
      flowlensCommand: `flowlens query ${shell(cliArgs)}; engine.flows({ filter, limit: 100 })`,
      nfdump: t.get('nfdump')!,
      engine: t.get('engine'),
      cli: t.get('cli'),
      verdict: both(counted, flowsSame, ['count', 'newest 100']),
      note: 'nfdump counts only; the CLI prints the newest 100 without a count; the engine gives both',
    },
    {
      query: 'filtered search: nfdump -c 100 (any 100, stops early)',
      nfdumpCommand: `nfdump ${shell(firstArgs)}`,
      flowlensCommand: `flowlens query ${shell(cliArgs)}`,
      nfdump: t.get('nfdump-first')!,
      cli: t.get('cli'),
      verdict: {
        same: firstOk,
        detail: firstOk
          ? '100 matching flows each (different flows: first vs newest)'
          : 'a returned flow does not match',
      },
      note: 'not the same question: nfdump stops at the first 100 in file order, FlowLens finds the newest',
    },
  ];
}
