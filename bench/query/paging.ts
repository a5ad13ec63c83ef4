/**
 * Sorted searches and deep pages: the engine's flow search (what the API and
 * the explorer ask, 100 rows a page) sorted by time and by other columns, and
 * newest-first pages at growing offsets, on a loaded store, in process,
 * read-only. Prints best / median wall and CPU time (the process's, DuckDB's
 * threads included: steadier than wall time when others share the machine)
 * of the timed rounds (after one untimed warm-up) and the match count.
 *
 *   node bench/query/paging.ts --dir=DIR [--offsets=0,100,10000,1000000,5000000]
 *       [--rounds=3] [--only=sorted,pages] [--check] [--tuning=JSON]
 *       [--load=10M --wide-every=10]
 *
 * The store is DIR/flowlens: the one `npm run bench:query -- --dir=DIR
 * --load-only` loads, or with `--load=N` (and no store there yet) N of
 * bench/query's flows over 2026-01-01 loaded here without nfdump's copy;
 * `--wide-every=k` gives every k-th 8192-row batch MAC addresses, fields
 * outside the narrow table's (ADR 0006), so 1/k of the rows, spread over the
 * day, are in `flows_wide` (a store with meter-like flows among collector
 * ones). `--check` compares every answer with the same search run as one
 * plain query over the `flows` view (the engine's `plainSearch`).
 * `--tuning='{"maxBoundedRows":0}'` sets the engine's thresholds (SearchTuning).
 */
import { existsSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import {
  createQueryEngine,
  type FlowsQuery,
  type QueryEngineDeps,
  type SearchTuning,
} from '../../src/query/index.ts';
import { openDuckDbReader } from '../../src/store/duckdb/reader.ts';
import { parseRate } from '../ingest/options.ts';
import { loadIntoFlowLens } from './flowlens-load.ts';
import { flowOptions } from './flows.ts';
import { timingOf } from './measure.ts';

const arg = (name: string): string | undefined =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const dir = arg('dir');
if (!dir) {
  process.stderr.write(
    'usage: node bench/query/paging.ts --dir=DIR [--offsets=0,100,...] [--rounds=3] [--only=sorted,pages] [--check] [--load=10M --wide-every=10]\n',
  );
  process.exit(2);
}
const offsets = (arg('offsets') ?? '0,100,10000,1000000,5000000').split(',').map(Number);
const rounds = Number(arg('rounds') ?? 3);
const only = (arg('only') ?? 'sorted,pages').split(',');
const check = process.argv.includes('--check');
const load = (): string =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');

const dataDir = join(dir, 'flowlens');
const loadCount = arg('load');
if (loadCount !== undefined && !existsSync(dataDir)) {
  const wideEvery = Number(arg('wide-every') ?? 0);
  const flows = flowOptions(parseRate(loadCount), 24);
  process.stderr.write(
    `loading ${flows.count} flows (every ${wideEvery || 'no'} batch wide) into ${dataDir}\n`,
  );
  const r = await loadIntoFlowLens(dataDir, flows, wideEvery);
  writeFileSync(join(dir, 'paging-load.json'), `${JSON.stringify({ flows, wideEvery, load: r }, null, 2)}\n`);
  process.stderr.write(`loaded ${r.rows} rows in ${r.writeSeconds.toFixed(1)} s of writing\n`);
}

// bench/query's flows end over 2026-01-01 (UTC); nothing is past retention.
const FOREVER = 1e13;
const reader = await openDuckDbReader(dataDir, {
  rawMaxAgeMs: FOREVER,
  rollupMaxAgeMs: { flows_1m: FOREVER, flows_1h: FOREVER },
});
const range = { fromMs: Date.UTC(2026, 0, 1), toMs: Date.UTC(2026, 0, 2) };
const deps: QueryEngineDeps = { runner: reader.runner, now: () => range.toMs };
const tuning = arg('tuning');
const engine = createQueryEngine({
  ...deps,
  ...(tuning ? { searchTuning: JSON.parse(tuning) as Partial<SearchTuning> } : {}),
});
const plain = createQueryEngine({ ...deps, plainSearch: true } as QueryEngineDeps);
const FILTER = 'src 10.0.0.0/8 and dport 443 and not proto udp';

interface Case {
  label: string;
  q: FlowsQuery;
}
const cases: Case[] = [];
if (only.includes('sorted'))
  cases.push(
    { label: 'newest 100', q: { range, limit: 100 } },
    { label: `newest 100, filter`, q: { range, limit: 100, filter: FILTER } },
    {
      label: `oldest 100, filter`,
      q: { range, limit: 100, filter: FILTER, sort: { field: 'time', asc: true } },
    },
    { label: 'largest 100 by bytes', q: { range, limit: 100, sort: { field: 'bytes' } } },
    {
      label: 'largest by bytes, offset 10000',
      q: { range, limit: 100, offset: 10_000, sort: { field: 'bytes' } },
    },
    { label: 'first 100 by dstAddr', q: { range, limit: 100, sort: { field: 'dstAddr', asc: true } } },
    {
      label: 'lowest 100 by srcPort, filter',
      q: { range, limit: 100, filter: FILTER, sort: { field: 'srcPort', asc: true } },
    },
    {
      label: 'newest 100, last hour',
      q: { range: { fromMs: range.toMs - 3_600_000, toMs: range.toMs }, limit: 100 },
    },
  );
if (only.includes('pages'))
  for (const offset of offsets)
    cases.push({ label: `newest first, offset ${offset}`, q: { range, limit: 100, offset } });

console.log(
  `load average ${load()} at start; ${rounds} timed rounds after a warm-up; wall and CPU (all threads) ms, best / median`,
);
let failed = 0;
try {
  for (const c of cases) {
    const first = await engine.flows(c.q);
    let verdict = '';
    if (check) {
      const ref = await plain.flows(c.q);
      const same = ref.total === first.total && isDeepStrictEqual(ref.records, first.records);
      if (!same) failed++;
      verdict = same ? ', same as the plain query' : ', DIFFERS from the plain query';
    }
    const runs: number[] = [];
    const cpus: number[] = [];
    for (let r = 0; r < rounds; r++) {
      const t0 = performance.now();
      const cpu0 = process.cpuUsage();
      await engine.flows(c.q);
      const cpu = process.cpuUsage(cpu0);
      runs.push(performance.now() - t0);
      cpus.push((cpu.user + cpu.system) / 1000);
    }
    const t = timingOf(runs);
    const cpu = timingOf(cpus);
    console.log(
      `${c.label}: ${t.best.toFixed(0)} / ${t.median.toFixed(0)} ms, CPU ${cpu.best.toFixed(0)} / ${cpu.median.toFixed(0)} ms ` +
        `(${first.records.length} rows of ${first.total}${verdict})`,
    );
  }
} finally {
  reader.close();
}
console.log(`load average ${load()} at end`);
if (failed) process.exit(1);
