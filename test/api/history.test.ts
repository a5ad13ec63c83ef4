/**
 * History through the API, on the fixed dataset in a real store worker:
 * the values match the reference computations of the query suite.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DATASET, referenceTop, scaledBytes } from '../query/dataset.ts';
import { createTestApi, startDatasetStore, type TestApi } from './api-fixture.ts';
import type { StoreFixture } from './store-fixture.ts';

const R = 'from=2024-01-01T00:00:00Z&to=2024-01-01T03:00:00Z';

describe('history routes', () => {
  let store: StoreFixture;
  let t: TestApi;
  const get = async <T>(url: string, role: 'viewer' | 'operator' = 'viewer'): Promise<T> => {
    const res = await t.app.inject({ url, headers: t.bearer(role) });
    assert.equal(res.statusCode, 200, res.body);
    return (
      res.headers['content-type']?.toString().startsWith('application/json') ? res.json() : res.body
    ) as T;
  };
  before(async () => {
    store = await startDatasetStore();
    t = await createTestApi({ store });
  });
  after(async () => {
    await t?.close();
    await store?.close();
  });

  test('flow search pages with a total; ids find their flow', async () => {
    type Page = { total: number; items: { id: string; bytes: number; end: number }[] };
    const p1 = await get<Page>(`/api/v1/flows?${R}&limit=50&sort=bytes&order=asc`);
    const p2 = await get<Page>(`/api/v1/flows?${R}&limit=50&offset=50&sort=bytes&order=asc`);
    assert.equal(p1.total, DATASET.length);
    const bytes = [...p1.items, ...p2.items].map((r) => r.bytes);
    assert.deepEqual(
      bytes,
      [...bytes].sort((a, b) => a - b),
    );
    assert.equal(new Set([...p1.items, ...p2.items].map((r) => r.id)).size, 100, 'ids are distinct');
    for (const r of [p1.items[0]!, p2.items[7]!]) {
      const one = await get<{ id: string; bytes: number; end: number }>(`/api/v1/flows/${r.id}`);
      assert.deepEqual(one, r);
    }
  });

  test('a well-formed id of no stored flow is a 404', async () => {
    const id = Buffer.from('f1|1704067200000|192.0.2.1|AAAAAAAAAAAAAAAA').toString('base64url');
    const res = await t.app.inject({ url: `/api/v1/flows/${id}`, headers: t.bearer('viewer') });
    assert.equal(res.statusCode, 404);
    assert.match(res.body, /FLOWLENS_ERR_FLOW_NOT_FOUND/);
  });

  test('top talkers and protocols equal the reference', async () => {
    type Page = { total: number; truncated: boolean; items: unknown[] };
    const talkers = await get<Page>(`/api/v1/top-talkers?${R}&direction=dst&limit=3&offset=1`);
    const ref = referenceTop(DATASET, (r) => r.dstAddr);
    assert.equal(talkers.total, ref.length);
    assert.equal(talkers.truncated, false);
    assert.deepEqual(talkers.items, ref.slice(1, 4));
    const ports = await get<Page>(`/api/v1/top?${R}&dimension=dstPort&metric=bytes&limit=5`);
    assert.deepEqual(ports.items, referenceTop(DATASET, (r) => r.dstPort).slice(0, 5));
    assert.ok(ports.items.length > 1);
    const protos = await get<Page>(`/api/v1/protocols?${R}&by=proto`);
    assert.deepEqual(
      protos.items,
      referenceTop(DATASET, (r) => r.proto),
    );
  });

  test('hosts add what each address sent and received', async () => {
    const page = await get<{
      items: { host: string; bytes: number; sent: { bytes: number }; received: { bytes: number } }[];
    }>(`/api/v1/hosts?${R}&limit=1000`);
    const h = page.items.find((x) => x.host === '10.0.0.1')!;
    const sent = DATASET.filter((r) => r.srcAddr === '10.0.0.1').reduce((n, r) => n + scaledBytes(r), 0);
    assert.equal(h.sent.bytes, sent);
    assert.equal(h.received.bytes, 0);
    assert.equal(h.bytes, sent);
  });

  test('series buckets add up to the whole range', async () => {
    const s = await get<{ stepMs: number; points: { bytes: number }[] }>(`/api/v1/series?${R}&step=30m`);
    assert.equal(s.stepMs, 1_800_000);
    assert.equal(s.points.length, 6);
    assert.equal(
      s.points.reduce((n, p) => n + p.bytes, 0),
      DATASET.reduce((n, r) => n + scaledBytes(r), 0),
    );
  });

  test('series by direction: out leaves the local networks (10.0.0.0/8 here), in enters them', async () => {
    type S = { points: { bytes: number; packets: number }[] };
    const sum = (s: S): number => s.points.reduce((n, p) => n + p.bytes, 0);
    const out = await get<S>(`/api/v1/series?${R}&step=1h&direction=out`);
    const into = await get<S>(`/api/v1/series?${R}&step=1h&direction=in`);
    // Every IPv4 flow goes from 10.0.x.1 to 192.168.1.x (outside 10/8); the IPv6 ones are transit.
    const v4 = DATASET.filter((r) => r.srcAddr?.startsWith('10.'));
    assert.equal(
      sum(out),
      v4.reduce((n, r) => n + scaledBytes(r), 0),
    );
    assert.equal(sum(into), 0);
    const filtered = await get<S>(`/api/v1/series?${R}&step=1h&direction=out&filter=dport 443`);
    assert.equal(
      sum(filtered),
      v4.filter((r) => r.dstPort === 443).reduce((n, r) => n + scaledBytes(r), 0),
    );
    assert.ok(sum(filtered) > 0 && sum(filtered) < sum(out));
  });

  test('filter values: the values of a name in the range, busiest first, by prefix', async () => {
    type V = { name: string; items: { value: string; label?: string; bytes: number; flows: number }[] };
    const exporters = await get<V>(`/api/v1/filter/values?${R}&name=exporter`);
    const ref = referenceTop(DATASET, (r) => r.exporter);
    assert.deepEqual(
      exporters.items.map((v) => [v.value, v.bytes, v.flows]),
      ref.map((r) => [r.key, r.bytes, r.flows]),
    );
    const protos = await get<V>(`/api/v1/filter/values?${R}&name=proto`);
    assert.ok(
      protos.items.some((v) => v.value === 'tcp'),
      JSON.stringify(protos.items),
    );
    const countries = await get<V>(`/api/v1/filter/values?${R}&name=country&prefix=d`);
    assert.deepEqual(
      countries.items.map((v) => v.value),
      ['DE'],
    );
    const apps = await get<V>(`/api/v1/filter/values?${R}&name=app&prefix=HT`);
    assert.deepEqual(
      apps.items.map((v) => [v.value, v.flows]),
      [['https', DATASET.filter((r) => r.appProto === 'https').length]],
    );
  });

  test('geo: the busiest located hosts with their coordinates; private addresses are left out', async () => {
    type G = { scanned: number; items: { addr: string; bytes: number; city?: string; latitude: number }[] };
    const g = await get<G>(`/api/v1/geo/hosts?${R}`);
    assert.deepEqual(
      g.items.map((h) => [h.addr, h.city, h.latitude]),
      [
        ['2001:db8:1::443', 'Berlin', 52.52],
        ['2001:db8:2::10', undefined, 35.68],
      ],
    );
    const berlin = DATASET.filter((r) => r.dstAddr === '2001:db8:1::443' || r.srcAddr === '2001:db8:1::443');
    assert.equal(
      g.items[0]!.bytes,
      berlin.reduce((n, r) => n + scaledBytes(r), 0),
    );
    assert.ok(g.scanned > g.items.length);
    const one = await get<{ addr: string; country?: string }>('/api/v1/geo/address?addr=2001:db8:1::443');
    assert.deepEqual([one.addr, one.country], ['2001:db8:1::443', 'DE']);
  });

  test('reports and their export agree', async () => {
    const rep = await get<{
      total: number;
      items: { keys: { dstPort: number }; sum: number; count: number }[];
    }>(`/api/v1/reports?${R}&dimensions=dstPort`);
    const ref = referenceTop(DATASET, (r) => r.dstPort);
    assert.deepEqual(
      rep.items.map((r) => [r.keys.dstPort, r.sum, r.count]),
      ref.map((r) => [r.key, r.bytes, r.flows]),
    );
    const csv = await get<string>(`/api/v1/reports/export?${R}&dimensions=dstPort&format=csv`, 'operator');
    const lines = csv.trim().split('\n');
    assert.equal(lines[0], 'dstPort,sum,avg,p95,count');
    assert.equal(lines.length, ref.length + 1);
    assert.equal(lines[1]!.split(',')[1], String(ref[0]!.bytes));
    const json = await get<{ rows: unknown[] }>(
      `/api/v1/reports/export?${R}&dimensions=dstPort&format=json`,
      'operator',
    );
    assert.equal(json.rows.length, ref.length);
  });

  test('flow exports stream every matching flow in each format', async () => {
    const jsonl = await get<string>(`/api/v1/flows/export?${R}&format=jsonl`, 'operator');
    assert.equal(jsonl.trim().split('\n').length, DATASET.length);
    const csv = await get<string>(`/api/v1/flows/export?${R}&format=csv&filter=dport%20443`, 'operator');
    assert.equal(csv.trim().split('\n').length, 1 + DATASET.filter((r) => r.dstPort === 443).length);
    const json = await get<{ id: string }[]>(`/api/v1/flows/export?${R}&format=json&limit=7`, 'operator');
    assert.equal(json.length, 7);
    assert.ok(json.every((r) => typeof r.id === 'string'));
  });

  test('a comparison of two equal hours shows no change', async () => {
    const c = await get<{ rows: { delta: number; change: number | null }[] }>(
      '/api/v1/reports/compare?aFrom=2024-01-01T00:00Z&aTo=2024-01-01T01:00Z&bFrom=2024-01-01T01:00Z&bTo=2024-01-01T02:00Z&dimensions=proto',
    );
    assert.ok(c.rows.length > 0);
    assert.ok(c.rows.every((r) => r.delta === 0 && r.change === 0));
  });

  test('exporters carry their health; interfaces their exporter health', async () => {
    const ex = await get<{ items: { exporter: string; health: { status: string } }[] }>('/api/v1/exporters');
    assert.deepEqual(
      ex.items.map((e) => [e.exporter, e.health.status]),
      [
        ['192.0.2.1', 'ok'],
        ['192.0.2.2', 'degraded'],
        ['2001:db8:ffff::1', 'silent'],
      ],
    );
    const ifs = await get<{
      items: {
        exporter: string;
        ifIndex: number;
        inBytes: number;
        exporterHealth: { status: string } | null;
      }[];
    }>(`/api/v1/interfaces?${R}`);
    const if1 = ifs.items.find((i) => i.exporter === '192.0.2.1' && i.ifIndex === 1)!;
    const ref = DATASET.filter((r) => r.exporter === '192.0.2.1' && r.inIf === 1).reduce(
      (n, r) => n + scaledBytes(r),
      0,
    );
    assert.equal(if1.inBytes, ref);
    assert.equal(if1.exporterHealth?.status, 'ok');
  });

  test('without a store, history answers 503', async () => {
    const bare = await createTestApi();
    try {
      const res = await bare.app.inject({ url: '/api/v1/flows', headers: bare.bearer('viewer') });
      assert.equal(res.statusCode, 503);
      assert.match(res.body, /FLOWLENS_ERR_STORE_UNAVAILABLE/);
    } finally {
      await bare.close();
    }
  });
});
