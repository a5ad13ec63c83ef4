/**
 * The query engine against every engine in ENGINES, on the fixed dataset:
 * real values for top-N, series, CIDR filters, reports with p95,
 * comparisons, pagination and streamed export.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { createQueryEngine, exportFlows, type QueryEngine } from '../../src/query/index.ts';
import type { FlowRecord } from '../../src/schema/flow-record.ts';
import {
  DATASET,
  HOUR,
  inRange,
  MINUTE,
  NOW,
  quantileCont,
  referenceTop,
  scaledBytes,
  T0,
  timeOf,
} from './dataset.ts';
import { ENGINES, type LoadedEngine } from './engines.ts';

const ALL = { fromMs: T0, toMs: T0 + 3 * HOUR };

for (const engine of ENGINES) {
  describe(`queries on ${engine.name}`, { skip: engine.skipReason ?? false }, () => {
    let loaded: LoadedEngine | undefined;
    let q: QueryEngine;
    before(async () => {
      loaded = await engine.load(DATASET, NOW);
      assert.ok(loaded, `${engine.name} did not load`);
      q = createQueryEngine({ runner: loaded.runner, now: () => NOW });
    });
    after(async () => loaded?.close());

    test('top-N of a dimension, scaled by the sampling rate', async () => {
      const top = await q.top({ range: ALL, dimension: 'dstPort', limit: 10 });
      assert.deepEqual(
        top,
        referenceTop(DATASET, (r) => r.dstPort),
      );
      // Written out: port 443 has 60 IPv4 flows and 9 IPv6 flows of 500 kB.
      assert.equal(top[0]!.key, 443);
      assert.equal(top[0]!.flows, 69);
    });

    test('top-N by packets, of addresses, with a limit', async () => {
      const top = await q.top({ range: ALL, dimension: 'srcAddr', metric: 'packets', limit: 2 });
      const ref = referenceTop(DATASET, (r) => r.srcAddr).sort(
        (a, b) => b.packets - a.packets || String(a.key).localeCompare(String(b.key)),
      );
      assert.deepEqual(top, ref.slice(0, 2));
    });

    test('top-N keys of every kind, unknown (NULL) ones included', async () => {
      const dims = ['appProto', 'srcMac', 'vlan', 'srcCountry', 'dstAddr', 'exporter', 'proto'] as const;
      for (const dim of dims) {
        for (const limit of [1, 3, 100]) {
          const top = await q.top({ range: ALL, dimension: dim, limit });
          const ref = referenceTop(DATASET, (r) => r[dim]).slice(0, limit);
          assert.deepEqual(top, ref, `${dim}, limit ${limit}`);
        }
      }
    });

    test('top-N over a rollup equals the raw answer', async () => {
      const byExporter = await q.top({ range: ALL, dimension: 'exporter', limit: 5 });
      assert.deepEqual(
        byExporter,
        referenceTop(DATASET, (r) => r.exporter),
      );
      assert.deepEqual(
        byExporter.map((r) => r.key),
        ['2001:db8:ffff::1', '192.0.2.1', '192.0.2.2'],
      );
    });

    test('filters: CIDRs, ports, protocol names, not, either side, in lists', async () => {
      const cases: [string, (r: FlowRecord) => boolean][] = [
        [
          'src 10.0.0.0/8 and dport 443 and not proto udp',
          (r) => r.srcAddr!.startsWith('10.') && r.dstPort === 443 && r.proto !== 17,
        ],
        [
          'src 10.0.1.0/24 or dst 192.168.1.4',
          (r) => r.srcAddr === '10.0.1.1' || r.dstAddr === '192.168.1.4',
        ],
        ['host 2001:db8::/32', (r) => r.srcAddr!.startsWith('2001:db8:')],
        ['proto udp', (r) => r.proto === 17],
        ['dport in (53, 80)', (r) => r.dstPort === 53 || r.dstPort === 80],
        ['dport not in (53, 80)', (r) => r.dstPort !== 53 && r.dstPort !== 80],
        ['app https', (r) => r.appProto === 'https'],
        ['not app https', (r) => r.appProto !== 'https'],
        ['srcas 64501 and country DE', (r) => r.srcAs === 64_501 && r.srcCountry === 'DE'],
        [
          'exporter in (192.0.2.1, 192.0.2.2) and inif 2',
          (r) => r.exporter.startsWith('192.0.2.') && r.inIf === 2,
        ],
        ['vlan >= 104', (r) => (r.vlan ?? -1) >= 104],
        ['mac 00:11:22:33:44:55', (r) => r.srcMac === '00:11:22:33:44:55'],
        [
          'type ipfix and (sport < 40010 or sport > 50005)',
          (r) => r.type === 'ipfix' && (r.srcPort! < 40_010 || r.srcPort! > 50_005),
        ],
      ];
      for (const [filter, pred] of cases) {
        const res = await q.flows({ range: ALL, filter, limit: 1000 });
        assert.equal(res.total, DATASET.filter(pred).length, filter);
        assert.equal(res.records.length, res.total, filter);
        assert.ok(res.records.every(pred), filter);
      }
    });

    test('series: automatic step, fixed step, rollup and raw agree', async () => {
      const auto = await q.series({ range: ALL });
      assert.equal(auto.stepMs, MINUTE);
      assert.equal(auto.points.length, 180);
      assert.equal(
        auto.points.reduce((a, p) => a + p.flows, 0),
        DATASET.length,
      );
      const hourly = await q.series({ range: ALL, stepMs: HOUR });
      assert.equal(hourly.table, 'flows_1h');
      const expect = [0, 1, 2].map((h) => DATASET.filter(inRange(T0 + h * HOUR, T0 + (h + 1) * HOUR)));
      assert.deepEqual(
        hourly.points.map((p) => [p.t, p.bytes, p.flows]),
        expect.map((rs, h) => [T0 + h * HOUR, rs.reduce((a, r) => a + scaledBytes(r), 0), rs.length]),
      );
      const raw = await q.series({ range: ALL, stepMs: HOUR, filter: 'src 0.0.0.0/0 or src ::/0' });
      assert.equal(raw.table, 'flows');
      assert.deepEqual(raw.points, hourly.points);
      // A range with no data is all zeros, every bucket present.
      const empty = await q.series({ range: { fromMs: T0 - HOUR, toMs: T0 }, stepMs: 15 * MINUTE });
      assert.deepEqual(
        empty.points.map((p) => p.bytes),
        [0, 0, 0, 0],
      );
    });

    test('report: sum, average, p95 and count by two dimensions (rollup and raw)', async () => {
      const cases = [
        { dims: ['exporter', 'proto'] as const, table: 'flows_1h' },
        { dims: ['dstPort', 'proto'] as const, table: 'flows' },
      ];
      for (const { dims, table } of cases) {
        const res = await q.report({ range: ALL, dimensions: dims, stepMs: HOUR });
        assert.equal(res.table, table);
        const groups = referenceTop(DATASET, (r) => dims.map((k) => r[k]).join('/'));
        assert.equal(res.rows.length, groups.length);
        for (const row of res.rows) {
          const rs = DATASET.filter((r) => dims.every((k) => r[k] === row.keys[k]));
          const perHour = [0, 1, 2].map((h) =>
            rs.filter(inRange(T0 + h * HOUR, T0 + (h + 1) * HOUR)).reduce((a, r) => a + scaledBytes(r), 0),
          );
          const sum = perHour.reduce((a, b) => a + b, 0);
          assert.equal(row.sum, sum);
          assert.equal(row.count, rs.length);
          assert.ok(Math.abs(row.avg - sum / 3) < 1e-6);
          assert.ok(
            Math.abs(
              row.p95 -
                quantileCont(
                  perHour.filter((v) => v > 0),
                  0.95,
                ),
            ) < 1e-6,
          );
        }
        assert.deepEqual(
          res.rows.map((r) => r.sum),
          groups.map((g) => g.bytes),
        );
      }
      const byPort = await q.report({ range: ALL, dimensions: ['dstPort', 'proto'], stepMs: HOUR, limit: 1 });
      assert.deepEqual(byPort.rows[0]!.keys, { dstPort: 443, proto: 6 });
      // Written out: 9 IPv6 flows of 500 kB, 3 an hour -> 1.5 MB per hour from that exporter.
      const v6 = await q.report({
        range: ALL,
        dimensions: ['exporter'],
        stepMs: HOUR,
        filter: 'exporter 2001:db8:ffff::1',
      });
      assert.deepEqual(v6.rows, [
        { keys: { exporter: '2001:db8:ffff::1' }, sum: 4_500_000, avg: 1_500_000, p95: 1_500_000, count: 9 },
      ]);
    });

    test('compare: two ranges, deltas and top movers', async () => {
      const a = { fromMs: T0, toMs: T0 + HOUR };
      const b = { fromMs: T0 + HOUR, toMs: T0 + 2 * HOUR };
      const res = await q.compare({ a, b, dimensions: ['srcAddr'], limit: 20 });
      const sumIn = (range: typeof a, addr: unknown): number =>
        DATASET.filter(inRange(range.fromMs, range.toMs))
          .filter((r) => r.srcAddr === addr)
          .reduce((s, r) => s + scaledBytes(r), 0);
      for (const row of res.rows) {
        assert.equal(row.a, sumIn(a, row.keys['srcAddr']));
        assert.equal(row.b, sumIn(b, row.keys['srcAddr']));
        assert.equal(row.delta, row.b - row.a);
      }
      assert.ok(res.rows.every((r, i) => i === 0 || res.rows[i - 1]!.b >= r.b));
      const moves = res.movers.map((r) => Math.abs(r.delta));
      assert.ok(moves.every((m, i) => i === 0 || moves[i - 1]! >= m));
      assert.equal(
        res.rows.length,
        new Set(DATASET.filter((r) => timeOf(r) < T0 + 2 * HOUR).map((r) => r.srcAddr)).size,
      );
    });

    test('flows: sorted, paginated, records as they were stored', async () => {
      const page1 = await q.flows({ range: ALL, limit: 50 });
      const page2 = await q.flows({ range: ALL, limit: 50, offset: 50 });
      assert.equal(page1.total, DATASET.length);
      const times = [...page1.records, ...page2.records].map(timeOf);
      assert.deepEqual(
        times,
        [...DATASET]
          .map(timeOf)
          .sort((x, y) => y - x)
          .slice(0, 100),
      );
      const asc = await q.flows({ range: ALL, limit: 3, sort: { field: 'bytes', asc: true } });
      assert.deepEqual(
        asc.records.map((r) => r.bytes),
        [1000, 1000, 1000],
      );
      const v6 = await q.flows({ range: ALL, filter: 'src 2001:db8:4::10', limit: 5 });
      assert.deepEqual(v6.records, [DATASET.find((r) => r.srcAddr === '2001:db8:4::10')]);
      const first = await q.flows({ range: ALL, filter: 'sport 40005', limit: 5 });
      assert.deepEqual(first.records, [DATASET[5]]);
    });

    test('flows: pages of a time-sorted search equal one sort of every match, however sparse', async () => {
      // The range runs an hour past the data, so the newest part of it holds
      // nothing and a page needs ever wider windows, or the whole range.
      const range = { fromMs: T0, toMs: T0 + 4 * HOUR };
      const searches: [string, (r: FlowRecord) => boolean][] = [
        ['dport 443', (r) => r.dstPort === 443],
        ['src 2001:db8::/32', (r) => r.srcAddr?.startsWith('2001:db8:') ?? false],
        ['sport 40005', (r) => r.srcPort === 40_005],
      ];
      for (const [filter, match] of searches) {
        const matches = DATASET.filter(match);
        assert.ok(matches.length > 0);
        for (const asc of [false, true]) {
          const expected = [...matches].sort((a, b) => (timeOf(a) - timeOf(b)) * (asc ? 1 : -1));
          for (const limit of [1, 7, 40]) {
            const got: FlowRecord[] = [];
            for (let offset = 0; offset < matches.length; offset += limit) {
              const page = await q.flows({ range, filter, limit, offset, sort: { field: 'time', asc } });
              assert.equal(page.total, matches.length);
              got.push(...page.records);
            }
            assert.deepEqual(got.map(timeOf), expected.map(timeOf), `${filter}, asc ${asc}, limit ${limit}`);
            const streamed: FlowRecord[] = [];
            for await (const rows of q.streamFlows({ range, filter, limit, sort: { field: 'time', asc } }))
              streamed.push(...rows);
            assert.deepEqual(streamed.map(timeOf), expected.slice(0, limit).map(timeOf));
          }
        }
      }
    });

    test('export streams CSV and JSON Lines with back-pressure', async () => {
      const chunks: string[] = [];
      // A slow consumer with a tiny buffer: the export must wait for it.
      const out = new Writable({
        highWaterMark: 64,
        write(chunk: Buffer, _enc, done) {
          chunks.push(chunk.toString());
          void sleep(1).then(() => done());
        },
      });
      const n = await exportFlows(q, { range: ALL, filter: 'proto tcp' }, 'csv', out);
      const lines = chunks.join('').trimEnd().split('\n');
      assert.equal(n, DATASET.filter((r) => r.proto === 6).length);
      assert.equal(lines.length, n + 1);
      assert.match(lines[0]!, /^type,exporter,/);
      const jsonl: string[] = [];
      const sink = new Writable({ write: (c: Buffer, _e, done) => (jsonl.push(c.toString()), done()) });
      await exportFlows(q, { range: ALL, filter: 'vlan 100' }, 'jsonl', sink);
      assert.deepEqual(
        JSON.parse(jsonl.join('')),
        DATASET.find((r) => r.vlan === 100),
      );
    });
  });
}
