/**
 * The DuckDB store's table layout (ADR 0006): flows with only core fields
 * and flows with others land in different tables but read back whole
 * through `flows`; rollups summed in JS equal the SQL aggregation of the
 * raw rows; a database from before the split (schema 1) opens and keeps
 * its flows.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { createFakeClock } from '../../src/common/clock.ts';
import { createSilentLogger } from '../../src/common/logger.ts';
import type { FlowRecord } from '../../src/schema/flow-record.ts';
import {
  createBatchBuilder,
  createDuckDbStore,
  DUCKDB_FILE,
  rawTableDdl,
  rollupTableDdl,
  ROLLUP_DIMENSIONS,
  ROLLUPS,
  SCHEMA_VERSION,
  type FlowStore,
  type ResultColumn,
} from '../../src/store/index.ts';

const T0 = Date.UTC(2024, 0, 1);

function openStore(dir: string): FlowStore {
  return createDuckDbStore({
    config: {
      dir,
      flushIntervalMs: 60_000,
      flushRows: 1_000_000,
      maxQueuedRows: 1_000_000,
      retention: { maxAgeMs: 1e12, maxDiskBytes: 1e12, maxAge1mMs: 1e12, maxAge1hMs: 1e12 },
    },
    clock: createFakeClock(T0 + 86_400_000),
    log: createSilentLogger(),
  });
}

/** Writes records in batches of `batchRows` (so one flush sees several batches and dictionaries). */
async function write(store: FlowStore, records: readonly FlowRecord[], batchRows = 100): Promise<void> {
  const b = createBatchBuilder(batchRows);
  for (const r of records) {
    b.add(r, T0);
    if (b.full) store.write(b.take());
  }
  if (b.count > 0) store.write(b.take());
  await store.flush();
}

const n = (name: string): ResultColumn => ({ name, kind: 'number' });
async function count(store: FlowStore, sql: string): Promise<number> {
  return Number((await store.runner.all(`SELECT count(*) AS n FROM (${sql})`, [n('n')]))[0]?.['n']);
}

/** 3000 flows over ~3 hours: sampled and not, several exporters, rollup dimensions often NULL. */
function mixedFlows(): FlowRecord[] {
  return Array.from({ length: 3000 }, (_, i) => {
    const r: FlowRecord = {
      type: i % 3 === 0 ? 'ipfix' : 'netflow9',
      exporter: `192.0.2.${i % 4}`,
      end: T0 + i * 3_700,
      srcAddr: `10.0.${i % 7}.${i % 250}`,
      dstAddr: '192.168.0.1',
      srcPort: 1024 + i,
      dstPort: 443,
      proto: i % 5 === 0 ? 17 : 6,
      bytes: 100 + i,
      packets: 1 + (i % 9),
    };
    if (i % 4 === 0) r.samplingRate = 100;
    if (i % 6 === 0) r.inIf = i % 3;
    if (i % 11 === 0) r.appProto = i % 2 === 0 ? 'dns' : 'https';
    // Fields outside the core set, on a few flows only.
    if (i % 500 === 7) r.srcMac = '00:11:22:33:44:55';
    if (i % 700 === 9) r.vlan = 42;
    return r;
  });
}

test('core-only flows and flows with other fields read back whole through the flows view', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'flowlens-layout-'));
  const store = openStore(dir);
  await store.start();
  try {
    const core: FlowRecord = {
      type: 'netflow9',
      exporter: '192.0.2.1',
      end: T0,
      srcAddr: '10.0.0.1',
      dstAddr: '2001:db8::1',
      bytes: 10,
      packets: 1,
      srcCountry: 'FR',
      // Strings are written inline up to 12 UTF-8 bytes, longer ones otherwise.
      srcAsName: 'Deutsche Telekom AG',
      dstAsName: 'Zürich GmbH', // 12 bytes
      appProto: 'exactly12byt',
    };
    const wide: FlowRecord = {
      ...core,
      end: T0 + 1,
      srcMac: 'aa:bb:cc:dd:ee:ff',
      mplsLabels: [16, 3],
      rttUs: 900,
    };
    await write(store, [...Array.from({ length: 2048 }, () => core), core], 4096);
    // Until a flow needs the wide table, the view reads the narrow one alone; the flush that
    // writes the first wide flow adds the wide table to it.
    assert.equal(await count(store, 'SELECT * FROM flows'), 2049);
    await write(store, [wide]);
    assert.equal(await count(store, 'SELECT * FROM flows'), 2050);
    assert.equal(await count(store, 'SELECT * FROM flows_core'), 2049);
    assert.equal(await count(store, 'SELECT * FROM flows_wide'), 1);
    const rows = await store.runner.all(
      'SELECT "srcAddr", "dstAddr", "srcCountry", "srcAsName", "dstAsName", "appProto", "srcMac", "mplsLabels", "rttUs" ' +
        'FROM flows ORDER BY "time" DESC LIMIT 2',
      [
        { name: 'srcAddr', kind: 'ip' },
        { name: 'dstAddr', kind: 'ip' },
        { name: 'srcCountry', kind: 'lowcard' },
        { name: 'srcAsName', kind: 'lowcard' },
        { name: 'dstAsName', kind: 'lowcard' },
        { name: 'appProto', kind: 'lowcard' },
        { name: 'srcMac', kind: 'mac' },
        { name: 'mplsLabels', kind: 'u32list' },
        { name: 'rttUs', kind: 'u32' },
      ],
    );
    assert.deepEqual(rows, [
      {
        srcAddr: '10.0.0.1',
        dstAddr: '2001:db8::1',
        srcCountry: 'FR',
        srcAsName: 'Deutsche Telekom AG',
        dstAsName: 'Zürich GmbH',
        appProto: 'exactly12byt',
        srcMac: 'aa:bb:cc:dd:ee:ff',
        mplsLabels: [16, 3],
        rttUs: 900,
      },
      {
        srcAddr: '10.0.0.1',
        dstAddr: '2001:db8::1',
        srcCountry: 'FR',
        srcAsName: 'Deutsche Telekom AG',
        dstAsName: 'Zürich GmbH',
        appProto: 'exactly12byt',
      },
    ]);
    // Equality and grouping on inline and heap strings agree.
    assert.equal(await count(store, `SELECT * FROM flows WHERE "dstAsName" = 'Zürich GmbH'`), 2050);
    assert.equal(await count(store, `SELECT * FROM flows WHERE "srcAsName" = 'Deutsche Telekom AG'`), 2050);
    assert.equal(await count(store, `SELECT DISTINCT "appProto", "srcCountry" FROM flows`), 1);
    // A filter on a field the narrow table lacks finds only the wide rows.
    assert.equal(await count(store, 'SELECT * FROM flows WHERE "rttUs" = 900'), 1);
    assert.equal(await count(store, 'SELECT * FROM flows WHERE "srcMac" IS NULL'), 2049);
    // Routing is by 2048-row vector: in one batch, a vector of core-only flows goes to the narrow
    // table and the next one, with a wide flow, to the wide table.
    await write(store, [...Array.from({ length: 2048 }, () => ({ ...core, end: T0 + 2 })), wide], 4096);
    assert.equal(await count(store, 'SELECT * FROM flows_core'), 2049 + 2048);
    assert.equal(await count(store, 'SELECT * FROM flows_wide'), 2);
  } finally {
    await store.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('rollups summed in JS equal the SQL aggregation of the raw flows', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'flowlens-layout-'));
  const store = openStore(dir);
  await store.start();
  try {
    const flows = mixedFlows();
    // Two flushes: the second adds to buckets the first already has.
    await write(store, flows.slice(0, 1700));
    await write(store, flows.slice(1700));
    const dims = ROLLUP_DIMENSIONS.map((c) => `"${c.name}"`).join(', ');
    for (const r of ROLLUPS) {
      const bucket = `epoch_ms(epoch_ms("time") // ${r.resolutionMs} * ${r.resolutionMs})`;
      const fromRaw =
        `SELECT ${bucket} AS t, ${dims}, sum("bytes" * coalesce("samplingRate", 1)) AS b, ` +
        `sum("packets" * coalesce("samplingRate", 1)) AS p, count(*) AS f FROM flows GROUP BY ALL`;
      const fromRollup = `SELECT "time" AS t, ${dims}, sum("bytes") AS b, sum("packets") AS p, sum("flows") AS f FROM ${r.name} GROUP BY ALL`;
      const groups = await count(store, fromRaw);
      assert.ok(groups > 30, `${r.name}: only ${groups} groups`);
      assert.equal(await count(store, fromRollup), groups, r.name);
      assert.equal(await count(store, `${fromRaw} EXCEPT ${fromRollup}`), 0, r.name);
      assert.equal(await count(store, `${fromRollup} EXCEPT ${fromRaw}`), 0, r.name);
    }
    const total = await store.runner.all('SELECT sum("flows") AS f, sum("bytes") AS b FROM flows_1h', [
      n('f'),
      n('b'),
    ]);
    const bytes = flows.reduce((s, r) => s + r.bytes * (r.samplingRate ?? 1), 0);
    assert.deepEqual(total, [{ f: 3000, b: bytes }]);
  } finally {
    await store.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a database of schema 1 (one wide flows table) is migrated and keeps its flows', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'flowlens-layout-'));
  try {
    const db = await DuckDBInstance.create(join(dir, DUCKDB_FILE));
    const c = await db.connect();
    await c.run('CREATE TABLE flowlens_schema (version INTEGER NOT NULL, applied TIMESTAMP)');
    await c.run('INSERT INTO flowlens_schema VALUES (1, now())');
    await c.run(rawTableDdl('flows'));
    for (const r of ROLLUPS) await c.run(rollupTableDdl(r.name));
    await c.run(
      `INSERT INTO flows ("time", "type", "exporter", "srcAddr", "bytes", "packets", "vlan") ` +
        `VALUES (epoch_ms(${T0}), 'netflow5', '192.0.2.9', 281470849515521::UHUGEINT, 500, 5, 7)`,
    );
    c.closeSync();
    db.closeSync();

    const store = openStore(dir);
    await store.start();
    try {
      await write(store, mixedFlows().slice(0, 10));
      assert.equal(await count(store, 'SELECT * FROM flows'), 11);
      const old = await store.runner.all(
        `SELECT "exporter", "srcAddr", "vlan" FROM flows WHERE "type" = 'netflow5'`,
        [
          { name: 'exporter', kind: 'lowcard' },
          { name: 'srcAddr', kind: 'ip' },
          { name: 'vlan', kind: 'u16' },
        ],
      );
      assert.deepEqual(old, [{ exporter: '192.0.2.9', srcAddr: '10.0.0.1', vlan: 7 }]);
      const v = await store.runner.all('SELECT max(version) AS v FROM flowlens_schema', [n('v')]);
      assert.deepEqual(v, [{ v: SCHEMA_VERSION }]);
      assert.equal(SCHEMA_VERSION, 2);
    } finally {
      await store.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
