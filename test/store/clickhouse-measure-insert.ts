/**
 * Measures the ClickHouse write path: columnar batches -> Native blocks (the
 * store worker's CPU) and INSERTs into a private clickhouse-server with the
 * rollup views attached (end to end, encoding included), in rows/s.
 *
 *   node test/store/clickhouse-measure-insert.ts [MILLIONS]
 */
import { createSystemClock } from '../../src/common/clock.ts';
import { createSilentLogger } from '../../src/common/logger.ts';
import { STORE_COLUMNS } from '../../src/store/columnar/layout.ts';
import { encodeNativeBlock } from '../../src/store/clickhouse/native.ts';
import {
  capabilitiesOf,
  createBatchBuilder,
  createClickhouseDialect,
  createClickhouseStore,
  syntheticFlow,
  type ColumnarBatch,
} from '../../src/store/index.ts';
import { startClickhouseServer } from '../support/clickhouse-server.ts';
import { findTool } from '../support/system-tool.ts';

const count = Math.round(Number(process.argv[2] ?? '1') * 1e6);
const BATCH = 50_000;
const opts = { fromMs: Date.UTC(2024, 0, 1), toMs: Date.UTC(2024, 0, 1, 6), count, seed: 7 };
const batches: ColumnarBatch[] = [];
const builder = createBatchBuilder(BATCH);
for (let i = 0; i < count; i++) {
  builder.add(syntheticFlow(i, opts), opts.toMs);
  if (builder.full) batches.push(builder.take());
}
if (builder.count > 0) batches.push(builder.take());

const binary = findTool('clickhouse-server');
if (!binary) throw new Error('clickhouse-server is not installed');
const server = await startClickhouseServer(binary);
try {
  const store = createClickhouseStore({
    config: {
      endpoint: {
        url: server.url,
        database: 'measure',
        user: 'default',
        password: '',
        requestTimeoutMs: 300_000,
      },
      flushIntervalMs: 3_600_000,
      flushRows: 1e12,
      maxQueuedRows: 1e12,
      retention: { maxAgeMs: 1e12, maxDiskBytes: 1e15, maxAge1mMs: 1e12, maxAge1hMs: 1e12 },
    },
    clock: createSystemClock(),
    log: createSilentLogger(),
  });
  await store.start();
  const caps = store.capabilities() ?? capabilitiesOf('18.16');
  const wire = createClickhouseDialect({ ...caps, lowCardinality: false });
  const types = STORE_COLUMNS.map((c) => wire.columnType(c));
  let t = performance.now();
  let bytes = 0;
  for (const b of batches) bytes += encodeNativeBlock(b, types).length;
  const encodeS = (performance.now() - t) / 1000;
  t = performance.now();
  // A flush per 4 batches (200k rows), as a busy collector would.
  for (let i = 0; i < batches.length; i += 4) {
    for (const b of batches.slice(i, i + 4)) store.write(b);
    await store.flush();
  }
  const insertS = (performance.now() - t) / 1000;
  const [stored] = await store.runner.all('SELECT count() AS n FROM flows', [{ name: 'n', kind: 'number' }]);
  await store.stop();
  console.log(
    JSON.stringify({
      server: caps.version.text,
      rows: count,
      stored: stored?.['n'],
      nativeBytesPerRow: Math.round(bytes / count),
      encodeRowsPerSec: Math.round(count / encodeS),
      insertRowsPerSec: Math.round(count / insertS),
    }),
  );
} finally {
  await server.stop();
}
