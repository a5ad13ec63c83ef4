/**
 * How deep paging costs: the engine's flow search (what the explorer asks,
 * newest first, 100 rows a page) at growing offsets, on a store loaded by
 * `npm run bench:query -- --dir=DIR --load-only` (its FlowLens store is
 * DIR/flowlens). Prints each page's time and the match count.
 *
 *   node bench/query/paging.ts --dir=DIR [--offsets=0,100,10000,1000000,5000000]
 */
import { join } from 'node:path';
import { createQueryEngine } from '../../src/query/index.ts';
import { openDuckDbReader } from '../../src/store/duckdb/reader.ts';

const arg = (name: string): string | undefined =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const dir = arg('dir');
if (!dir) {
  process.stderr.write('usage: node bench/query/paging.ts --dir=DIR [--offsets=0,100,...]\n');
  process.exit(2);
}
const offsets = (arg('offsets') ?? '0,100,10000,1000000,5000000').split(',').map(Number);
// bench/query's flows end over 2026-01-01 (UTC); nothing is past retention.
const FOREVER = 1e13;
const reader = await openDuckDbReader(join(dir, 'flowlens'), {
  rawMaxAgeMs: FOREVER,
  rollupMaxAgeMs: { flows_1m: FOREVER, flows_1h: FOREVER },
});
const range = { fromMs: Date.UTC(2026, 0, 1), toMs: Date.UTC(2026, 0, 2) };
const engine = createQueryEngine({ runner: reader.runner, now: () => range.toMs });
try {
  for (const offset of offsets) {
    const t0 = performance.now();
    const r = await engine.flows({ range, limit: 100, offset });
    const ms = performance.now() - t0;
    console.log(`offset ${offset}: ${r.records.length} rows of ${r.total} in ${ms.toFixed(0)} ms`);
  }
} finally {
  reader.close();
}
