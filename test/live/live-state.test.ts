/** The main thread's live state, driven by a fake clock: rates, windows, hosts, flows, snapshot schema. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createFakeClock } from '../../src/common/clock.ts';
import {
  createLiveAggregator,
  createLiveState,
  DEFAULT_LIVE_CONFIG,
  statsSnapshotJsonSchema,
  type LiveConfig,
  type LiveDelta,
} from '../../src/live/index.ts';
import type { FlowRecord } from '../../src/schema/flow-record.ts';
import { flow, schemaProblem, T0 } from './support.ts';

function setup(config: Partial<LiveConfig> = {}) {
  const clock = createFakeClock(T0);
  const live = createLiveState({ clock, config: { ...DEFAULT_LIVE_CONFIG, ...config } });
  live.start();
  const agg = createLiveAggregator({ source: 'w0', startMs: T0, localNetworks: live.config.localNetworks });
  const feed = (...records: FlowRecord[]): LiveDelta => {
    for (const r of records) agg.add(r, clock.now());
    const d = agg.drain(clock.now());
    live.apply(d);
    return d;
  };
  return { clock, live, feed };
}

test('throughput: bits and packets per second over the last 10 complete seconds, overall, per exporter and interface', () => {
  const { clock, live, feed } = setup();
  clock.advance(30_000); // older than the rate window: divisor is the full 10 s
  feed(
    flow({ bytes: 1000, packets: 10 }),
    flow({ exporter: '192.0.2.2', bytes: 500, packets: 5, samplingRate: 2 }),
  );
  assert.equal(live.throughput().bps, 0, 'the current second is still filling');
  clock.advance(1000);
  const t = live.throughput();
  assert.equal(t.bps, (2000 * 8) / 10);
  assert.equal(t.pps, 20 / 10);
  assert.equal(t.fps, 2 / 10);
  const e1 = t.exporters.find((e) => e.exporter === '192.0.2.1');
  assert.deepEqual([e1?.bps, e1?.bytes, e1?.flows], [800, 1000, 1]);
  const if2 = t.interfaces.find((i) => i.exporter === '192.0.2.1' && i.ifIndex === 2);
  assert.deepEqual([if2?.outBps, if2?.inBps, if2?.outPps], [800, 0, 1]);
  clock.advance(10_000);
  assert.equal(live.throughput().bps, 0, 'out of the window');
  const series = live.snapshot().throughput.series;
  assert.equal(series.length, 60);
  assert.equal(series.find((p) => p.bps > 0)?.bps, 2000 * 8);
});

test('throughput in and out: rates and the per-second series split by the local networks', () => {
  const { clock, live, feed } = setup({ localNetworks: ['10.0.0.0/8'] });
  clock.advance(30_000);
  feed(
    flow({ srcAddr: '10.0.0.1', dstAddr: '198.51.100.7', bytes: 1000, packets: 10 }),
    flow({ srcAddr: '198.51.100.7', dstAddr: '10.0.0.1', bytes: 4000, packets: 20 }),
    flow({ srcAddr: '10.0.0.1', dstAddr: '10.0.0.2', bytes: 9000, packets: 90 }),
  );
  clock.advance(1000);
  const t = live.throughput();
  assert.deepEqual([t.inBps, t.outBps, t.inPps, t.outPps], [(4000 * 8) / 10, (1000 * 8) / 10, 2, 1]);
  assert.equal(t.bps, (14_000 * 8) / 10, 'the total keeps internal traffic');
  const p = live.snapshot().throughput.series.find((x) => x.bps > 0);
  assert.deepEqual([p?.inBps, p?.outBps, p?.inPps, p?.outPps], [4000 * 8, 1000 * 8, 20, 10]);
});

test('rates divide by the state age while it is younger than the window', () => {
  const { clock, live, feed } = setup();
  clock.advance(1000);
  feed(flow({ bytes: 1000 }));
  clock.advance(1000);
  assert.equal(live.throughput().bps, (1000 * 8) / 2);
});

test('top lists over 1, 5 and 15 minutes, heaviest first, with labels', () => {
  const { clock, live, feed } = setup();
  feed(
    flow({ srcAddr: '10.0.0.1', bytes: 100, appProto: 'HTTP' }),
    flow({ srcAddr: '10.0.0.2', bytes: 300, appProto: 'TLS', dstAs: 15169, dstAsName: 'GOOGLE' }),
  );
  clock.advance(120_000);
  feed(flow({ srcAddr: '10.0.0.3', bytes: 50, appProto: 'DNS' }));
  const recent = live.top('talkers', '1m');
  assert.deepEqual(
    recent.map((e) => [e.key, e.bytes]),
    [
      ['10.0.0.3', 50],
      ['198.51.100.7', 50],
    ],
  );
  const five = live.top('talkers', '5m');
  assert.deepEqual(
    five.map((e) => e.key),
    ['198.51.100.7', '10.0.0.2', '10.0.0.1', '10.0.0.3'],
  );
  assert.equal(five[0]?.bytes, 450);
  assert.deepEqual(
    live.top('applications', '15m', 2).map((e) => e.key),
    ['TLS', 'HTTP'],
  );
  assert.deepEqual(live.top('as', '5m')[0], {
    key: '15169',
    label: 'GOOGLE',
    bytes: 300,
    packets: 10,
    flows: 1,
    bps: (300 * 8) / 120,
  });
  assert.equal(live.top('protocols', '5m')[0]?.key, '6');
  clock.advance(15 * 60_000 + 10_000);
  assert.deepEqual(live.top('talkers', '15m'), []);
});

test('hosts: totals, rates, activity, local flag, sorting and search', () => {
  const { clock, live, feed } = setup({ activeWindow: 60_000 });
  clock.advance(20_000);
  feed(
    flow({ srcAddr: '10.0.0.1', dstAddr: '198.51.100.7', bytes: 1000, packets: 10, srcHost: 'nas.lan' }),
    flow({ srcAddr: '198.51.100.7', dstAddr: '10.0.0.1', bytes: 5000, packets: 20 }),
    flow({ srcAddr: '10.0.0.2', dstAddr: '198.51.100.8', bytes: 10, packets: 1 }),
  );
  clock.advance(1000);
  const nas = live.host('10.0.0.1');
  assert.ok(nas);
  assert.deepEqual(
    [nas.name, nas.local, nas.active, nas.bytesOut, nas.bytesIn, nas.flows, nas.recentFlows],
    ['nas.lan', true, true, 1000, 5000, 2, 2],
  );
  assert.equal(nas.bpsIn, (5000 * 8) / 10);
  assert.equal(nas.firstSeenMs, T0 + 20_000);
  assert.equal(live.host('198.51.100.7')?.local, false);
  const page = live.hosts({ local: true, sort: 'bytes', limit: 1 });
  assert.equal(page.total, 2);
  assert.deepEqual(
    page.items.map((h) => h.addr),
    ['10.0.0.1'],
  );
  assert.deepEqual(
    live.hosts({ search: 'NAS' }).items.map((h) => h.addr),
    ['10.0.0.1'],
  );
  assert.deepEqual(
    live
      .hosts({ sort: 'rate' })
      .items.slice(0, 2)
      .map((h) => h.addr),
    ['10.0.0.1', '198.51.100.7'],
  );
  // Top sources and destinations: by the rate out of and into each host.
  const top2 = (sort: 'sent' | 'received') =>
    live.hosts({ sort, limit: 2 }).items.map((h) => [h.addr, sort === 'sent' ? h.bpsOut : h.bpsIn]);
  assert.deepEqual(top2('sent'), [
    ['198.51.100.7', (5000 * 8) / 10],
    ['10.0.0.1', (1000 * 8) / 10],
  ]);
  assert.deepEqual(top2('received'), [
    ['10.0.0.1', (5000 * 8) / 10],
    ['198.51.100.7', (1000 * 8) / 10],
  ]);
  const s = live.snapshot();
  assert.deepEqual([s.activeHosts, s.clients.total, s.clients.online], [4, 2, 2]);
  clock.advance(61_000);
  assert.equal(live.host('10.0.0.1')?.active, false);
  assert.deepEqual(live.snapshot().clients, { total: 2, online: 0 });
  assert.equal(live.hosts({ active: true }).total, 0);
});

test('hosts are bounded (least recently seen forgotten) and forgotten after the retention', () => {
  const { clock, live, feed } = setup({ maxHosts: 10, hostRetention: 300_000 });
  for (let i = 0; i < 10; i++) {
    feed(flow({ srcAddr: `10.0.0.${i}`, dstAddr: `10.0.1.${i}` }));
    clock.advance(1000);
  }
  assert.equal(live.hosts().total, 10);
  assert.equal(live.host('10.0.0.0'), undefined, 'the oldest went first');
  assert.ok(live.host('10.0.1.9'));
  clock.advance(301_000);
  assert.equal(live.hosts().total, 0);
});

test('active flows: exported ones within the activity window, metered snapshots replaced', () => {
  const { clock, live, feed } = setup({ activeWindow: 60_000 });
  feed(flow({ srcPort: 1, bytes: 10 }), flow({ srcPort: 2, bytes: 20 }));
  feed(flow({ srcPort: 1, bytes: 30 }));
  live.setActiveFlows('meter:eth0', [
    {
      exporter: 'eth0',
      srcAddr: '10.0.0.5',
      dstAddr: '10.0.0.6',
      proto: 17,
      bytes: 5,
      packets: 1,
      lastSeenMs: T0,
    },
  ]);
  let page = live.activeFlows();
  assert.deepEqual(
    page.items.map((f) => [f.source, f.srcPort ?? f.srcAddr, f.bytes]),
    [
      ['exported', 1, 40],
      ['exported', 2, 20],
      ['metered', '10.0.0.5', 5],
    ],
  );
  assert.equal(page.activeEstimate, 3 + 1);
  assert.equal(live.activeFlows({ host: '10.0.0.6' }).total, 1);
  assert.equal(live.snapshot().activeFlows, 4);
  live.setActiveFlows('meter:eth0', []);
  clock.advance(61_000);
  page = live.activeFlows();
  assert.deepEqual([page.total, page.activeEstimate], [0, 0]);
});

test('the snapshot matches its JSON schema and listeners hear deltas and ticks', () => {
  const { clock, live, feed } = setup();
  let deltas = 0;
  let ticks = 0;
  live.onDelta(() => deltas++);
  const off = live.onTick(() => ticks++);
  feed(flow({ appProto: 'TLS', appCategory: 'Web', srcAs: 64500, srcCountry: 'FR', srcHost: 'pc.lan' }));
  clock.advance(3000);
  off();
  clock.advance(3000);
  assert.deepEqual([deltas, ticks], [1, 3]);
  for (const window of ['1m', '5m', '15m'] as const) {
    const snap = JSON.parse(JSON.stringify(live.snapshot({ window, limit: 5 }))) as unknown;
    assert.equal(schemaProblem(statsSnapshotJsonSchema, snap), undefined);
  }
  assert.equal(live.snapshot().top.talkers[0]?.label, 'pc.lan');
});
