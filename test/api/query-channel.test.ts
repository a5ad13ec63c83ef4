/**
 * The query channel: the query engine in the main thread, running on the
 * store worker's database through a MessagePort, gives the answers the
 * reference computes, streams in chunks, and cancels a stream left early.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createQueryEngine, type QueryEngine } from '../../src/query/index.ts';
import { syntheticFlow } from '../../src/store/index.ts';
import type { FlowRecord } from '../../src/schema/flow-record.ts';
import { DATASET, HOUR, NOW, referenceTop, T0 } from '../query/dataset.ts';
import { startStore, type StoreFixture } from './store-fixture.ts';

const ALL = { fromMs: T0, toMs: T0 + 3 * HOUR };
/** More rows than one DuckDB chunk (2048), so a stream has several. */
const EXTRA = 5000;
const extra: FlowRecord[] = Array.from({ length: EXTRA }, (_, i) =>
  syntheticFlow(i, { fromMs: T0 + 5 * HOUR, toMs: T0 + 6 * HOUR, count: EXTRA }),
);

describe('query channel to the store worker', () => {
  let store: StoreFixture;
  let q: QueryEngine;
  before(async () => {
    store = await startStore([...DATASET, ...extra], NOW);
    q = createQueryEngine({ runner: store.host.runner, now: () => NOW });
  });
  after(async () => store?.close());

  test('top-N through the channel equals the reference', async () => {
    const top = await q.top({ range: ALL, dimension: 'dstPort', limit: 10 });
    assert.deepEqual(
      top,
      referenceTop(DATASET, (r) => r.dstPort),
    );
  });

  test('a flow search pages and counts', async () => {
    const page = await q.flows({ range: ALL, limit: 5, offset: 10 });
    assert.equal(page.total, DATASET.length);
    assert.equal(page.records.length, 5);
  });

  test('streams arrive in chunks, never whole', async () => {
    const range = { fromMs: T0 + 5 * HOUR, toMs: T0 + 7 * HOUR };
    const sizes: number[] = [];
    for await (const rows of q.streamFlows({ range })) sizes.push(rows.length);
    assert.equal(
      sizes.reduce((a, b) => a + b, 0),
      EXTRA,
    );
    assert.ok(sizes.length > 1, `one message of ${sizes[0]} rows`);
    assert.ok(Math.max(...sizes) <= 2048);
  });

  test('leaving a stream early cancels it; the channel keeps answering', async () => {
    const range = { fromMs: T0 + 5 * HOUR, toMs: T0 + 7 * HOUR };
    for await (const rows of q.streamFlows({ range })) {
      assert.ok(rows.length > 0);
      break;
    }
    const again = await q.flows({ range, limit: 1 });
    assert.equal(again.total, EXTRA);
  });

  test('SQL errors come back as errors', async () => {
    await assert.rejects(store.host.runner.all('SELECT * FROM no_such_table', []), /no_such_table/);
  });

  test('concurrent queries each get their own answer', async () => {
    const [a, b] = await Promise.all([
      q.top({ range: ALL, dimension: 'exporter', limit: 5 }),
      q.top({ range: ALL, dimension: 'proto', limit: 5 }),
    ]);
    assert.deepEqual(
      a,
      referenceTop(DATASET, (r) => r.exporter),
    );
    assert.deepEqual(
      b,
      referenceTop(DATASET, (r) => r.proto),
    );
  });
});
