/** Per-client Prometheus metrics: names and labels, bounded series, monotonic counters. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Registry } from 'prom-client';
import { createFakeClock } from '../../src/common/clock.ts';
import {
  createClientMetrics,
  createLiveAggregator,
  createLiveState,
  DEFAULT_LIVE_CONFIG,
} from '../../src/live/index.ts';
import type { FlowRecord } from '../../src/schema/flow-record.ts';
import { parsePrometheusText, type PromSample } from '../support/prometheus-text.ts';
import { flow, T0 } from './support.ts';

function setup(maxSeries: number) {
  const clock = createFakeClock(T0);
  const live = createLiveState({ clock, config: DEFAULT_LIVE_CONFIG });
  live.start();
  const registry = new Registry();
  const metrics = createClientMetrics({ registry, live, maxSeries, rerankIntervalMs: 60_000 });
  const agg = createLiveAggregator({ source: 'w0', startMs: T0 });
  const feed = (...records: FlowRecord[]): void => {
    for (const r of records) agg.add(r, clock.now());
    live.apply(agg.drain(clock.now()));
    clock.advance(1000); // a tick flushes the counters
  };
  const scrape = async (): Promise<PromSample[]> => parsePrometheusText(await registry.metrics());
  return { clock, live, metrics, feed, scrape };
}

const value = (s: PromSample[], name: string, labels: Record<string, string>): number | undefined =>
  s.find((x) => x.name === name && Object.entries(labels).every(([k, v]) => x.labels[k] === v))?.value;

test('names and labels as contracts.md: clients are local addresses, named when the name is known', async () => {
  const { feed, scrape } = setup(10);
  feed(
    flow({ srcAddr: '192.168.1.10', dstAddr: '198.51.100.7', bytes: 1000, srcHost: 'tv.lan' }),
    flow({ srcAddr: '198.51.100.7', dstAddr: '192.168.1.10', bytes: 9000, packets: 9 }),
    flow({ srcAddr: 'fd00::5', dstAddr: '2001:db8::1', bytes: 70 }),
  );
  const s = await scrape();
  const tv = { ip: '192.168.1.10', client: 'tv.lan', device_type: 'unknown' };
  assert.equal(value(s, 'client_traffic_bytes', { direction: 'out', ...tv }), 1000);
  assert.equal(value(s, 'client_traffic_bytes', { direction: 'in', ...tv }), 9000);
  assert.equal(value(s, 'client_traffic_bytes', { direction: 'out', ip: 'fd00::5', client: 'fd00::5' }), 70);
  assert.equal(value(s, 'client_traffic_bytes', { ip: '198.51.100.7' }), undefined, 'not a client');
  assert.equal(value(s, 'client_traffic_rate_bps', { direction: 'in', ...tv }), (9000 * 8) / 10);
  assert.equal(value(s, 'client_active_connections', tv), 2);
  assert.equal(value(s, 'client_status', tv), 1);
  assert.equal(value(s, 'network_clients_total', {}), 2);
  assert.equal(value(s, 'network_clients_online', {}), 2);
  assert.equal(value(s, 'network_clients_by_type', { type: 'unknown' }), 2);
  assert.equal(value(s, 'client_traffic_bytes', { direction: 'in', ip: 'other' }), 0);
});

test('at most maxSeries clients have series; the rest add up in ip="other"', async () => {
  const { feed, scrape } = setup(3);
  const records = Array.from({ length: 20 }, (_, i) => flow({ srcAddr: `10.0.0.${i + 1}`, bytes: 100 }));
  feed(...records);
  const s = await scrape();
  const ips = new Set(s.filter((x) => x.name === 'client_traffic_bytes').map((x) => x.labels['ip']));
  assert.equal(ips.size, 4, [...ips].join(' '));
  assert.ok(ips.has('other'));
  assert.equal(value(s, 'client_traffic_bytes', { direction: 'out', ip: 'other' }), 1700);
  const totalOut = s
    .filter((x) => x.name === 'client_traffic_bytes' && x.labels['direction'] === 'out')
    .reduce((a, x) => a + x.value, 0);
  assert.equal(totalOut, 2000, 'no byte lost or counted twice');
});

test('a client displaced from the top keeps its counter (frozen), later traffic goes to "other", nothing decreases', async () => {
  const { feed, scrape, metrics, clock } = setup(2);
  feed(flow({ srcAddr: '10.0.0.1', bytes: 500 }), flow({ srcAddr: '10.0.0.2', bytes: 400 }));
  assert.deepEqual(metrics.members().sort(), ['10.0.0.1', '10.0.0.2']);
  const before = await scrape();
  clock.advance(60_000);
  // A minute later two busier clients arrive; the re-ranking at the next tick displaces both.
  feed(flow({ srcAddr: '10.0.0.3', bytes: 5000 }), flow({ srcAddr: '10.0.0.4', bytes: 6000 }));
  metrics.rerank();
  assert.deepEqual(metrics.members().sort(), ['10.0.0.3', '10.0.0.4']);
  feed(flow({ srcAddr: '10.0.0.1', bytes: 7 }), flow({ srcAddr: '10.0.0.3', bytes: 1 }));
  const after = await scrape();
  const c1 = { direction: 'out', ip: '10.0.0.1' };
  assert.equal(value(after, 'client_traffic_bytes', c1), 500, 'frozen at its value');
  assert.equal(value(after, 'client_traffic_bytes', { direction: 'out', ip: 'other' }), 5000 + 6000 + 7);
  assert.equal(value(after, 'client_traffic_bytes', { direction: 'out', ip: '10.0.0.3' }), 1);
  assert.equal(value(after, 'client_status', { ip: '10.0.0.1' }), undefined, 'gauges only for members');
  for (const b of before.filter((x) => x.name === 'client_traffic_bytes')) {
    const a = value(after, 'client_traffic_bytes', b.labels);
    assert.ok(a !== undefined && a >= b.value, `${JSON.stringify(b.labels)}: ${b.value} -> ${a}`);
  }
});

test('frozen series are bounded; a client that comes back resumes from its last value', async () => {
  const { feed, scrape, metrics } = setup(1);
  let prev = new Map<string, number>();
  const check = async (): Promise<void> => {
    const s = (await scrape()).filter((x) => x.name === 'client_traffic_bytes');
    assert.ok(s.length <= 2 * (2 * 1 + 1), `${s.length} series`); // members + frozen + other, both directions
    const now = new Map(s.map((x) => [JSON.stringify(x.labels), x.value]));
    for (const [k, v] of prev) if (now.has(k)) assert.ok(now.get(k)! >= v, `${k} went down`);
    prev = now;
  };
  for (let i = 1; i <= 5; i++) {
    feed(flow({ srcAddr: `10.0.0.${i}`, bytes: 100 * i }));
    metrics.rerank();
    await check();
  }
  feed(flow({ srcAddr: '10.0.0.1', bytes: 10_000 }));
  metrics.rerank();
  feed(flow({ srcAddr: '10.0.0.1', bytes: 1 }));
  await check();
  const s = await scrape();
  // Its first 100 bytes, then (displacing 10.0.0.5) only what came after the re-ranking.
  assert.equal(value(s, 'client_traffic_bytes', { direction: 'out', ip: '10.0.0.1' }), 101);
});
