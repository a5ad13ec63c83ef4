/**
 * Query benchmark (issue 3): the same flows in nfdump's files and in
 * FlowLens's DuckDB store, then top-10 sources by bytes, a 5-minute series of
 * the whole range and a filtered search, each asked of both, timed, and the
 * answers compared. Also the store's sustained write rate during the load.
 *
 *   npm run bench:query -- [--flows=10M] [--rounds=5] [--help]
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createQueryEngine } from '../../src/query/index.ts';
import { openDuckDbReader } from '../../src/store/index.ts';
import { describeMachine } from '../ingest/machine.ts';
import { searchCases, seriesCases, topCase, type CaseContext, type CaseResult } from './cases.ts';
import { flowOptions } from './flows.ts';
import { writeCliConfig } from './flowlens-query.ts';
import { loadBoth } from './loads.ts';
import { parseOptions, USAGE } from './options.ts';
import { formatReport } from './report.ts';

/** A query may take this long before it is killed (nfdump printing 10 M lines is the slowest). */
const QUERY_TIMEOUT_MS = 300_000;
const NEVER_MS = 1e13;

const log = (s: string): void => void process.stderr.write(`bench:query: ${s}\n`);
const load = (): string =>
  loadavg()
    .map((x) => x.toFixed(1))
    .join(' ');

async function main(): Promise<number> {
  const opts = parseOptions(process.argv.slice(2));
  if (opts === 'help') return (process.stdout.write(`${USAGE}\n`), 0);
  if (opts.dir) mkdirSync(opts.dir, { recursive: true });
  const root = opts.dir ?? mkdtempSync(join(tmpdir(), 'flowlens-bench-query-'));
  const cleanup = (): void => {
    if (opts.keep) log(`kept ${root}`);
    else rmSync(root, { recursive: true, force: true });
  };
  process.once('SIGINT', () => (cleanup(), process.exit(130)));
  try {
    const m = await describeMachine();
    const loadStart = load();
    const flows = flowOptions(opts.flows, opts.hours);
    const range = { fromMs: flows.fromMs, toMs: flows.toMs };
    const { nfdumpDir, dataDir, nfdumpLoad, flowlensLoad, reused } = await loadBoth(
      root,
      flows,
      { flowsPerSec: opts.sendRate, senders: opts.senders },
      log,
      opts.reloadFlowLens,
    );
    if (opts.loadOnly) return 0;
    const wanted = (c: string): boolean => opts.only.length === 0 || opts.only.includes(c);

    const reader = await openDuckDbReader(dataDir, {
      rawMaxAgeMs: NEVER_MS,
      rollupMaxAgeMs: { flows_1m: NEVER_MS, flows_1h: NEVER_MS },
    });
    const cases: CaseResult[] = [];
    try {
      const ctx: CaseContext = {
        nfdumpDir,
        cliConfig: writeCliConfig(root, dataDir),
        engine: createQueryEngine({ runner: reader.runner, now: () => range.toMs }),
        range,
        rounds: opts.rounds,
        timeoutMs: QUERY_TIMEOUT_MS,
      };
      if (wanted('top')) {
        log('top-10 sources');
        cases.push(await topCase(ctx));
      }
      if (wanted('series')) {
        log('5-minute series');
        cases.push(...(await seriesCases(ctx)));
      }
      if (wanted('search')) {
        log('filtered search');
        cases.push(...(await searchCases(ctx)));
      }
    } finally {
      reader.close();
    }
    const report = formatReport({
      machine:
        `${m.nproc} vCPU ${m.cpuModel}, Linux ${m.kernel}, Node ${m.node}, ${m.nfcapd}, ` +
        `load average ${loadStart} at start, ${load()} at end`,
      command: `npm run bench:query -- ${process.argv.slice(2).join(' ')}`.trim(),
      flows: opts.flows,
      hours: opts.hours,
      rounds: opts.rounds,
      nfdumpLoad,
      flowlensLoad,
      collectorRate: opts.collectorRate,
      loadsReused: reused,
      cases,
    });
    process.stdout.write(`${report}\n`);
    if (opts.markdownFile) writeFileSync(opts.markdownFile, `${report}\n`);
    return cases.every((c) => c.verdict.same) ? 0 : 1;
  } finally {
    cleanup();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`bench:query: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
