/** The producer-side sums: sampling, directions, interfaces, dimensions and bounds. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CLOCK_RESET_INTERVALS, LATE_AFTER_MS, createLiveAggregator } from '../../src/live/index.ts';
import { flow, T0 } from './support.ts';

test('bytes and packets are scaled by the sampling rate, totals and exporters add up', () => {
  const a = createLiveAggregator({ source: 'w0', startMs: T0 });
  a.add(flow({ bytes: 100, packets: 2, samplingRate: 10 }), T0);
  a.add(flow({ bytes: 50, packets: 1 }), T0);
  assert.equal(a.pending, 2);
  const d = a.drain(T0 + 1000);
  assert.equal(d.source, 'w0');
  assert.equal(d.endMs - d.startMs, 1000);
  assert.deepEqual([d.bytes, d.packets, d.flows], [1050, 21, 2]);
  assert.deepEqual(d.exporters, [['192.0.2.1', 1050, 21, 2]]);
  assert.equal(a.pending, 0);
  const next = a.drain(T0 + 2000);
  assert.deepEqual([next.bytes, next.startMs, next.hosts.length], [0, T0 + 1000, 0]);
});

test('hosts get bytes out as source and in as destination; a biflow adds its reverse the other way', () => {
  const a = createLiveAggregator({ source: 'w0', startMs: T0 });
  a.add(flow({ bytes: 1000, packets: 10, reverseBytes: 200, reversePackets: 4, srcHost: 'laptop.lan' }), T0);
  const d = a.drain(T0 + 1000);
  const src = d.hosts.find((h) => h.addr === '10.0.0.1');
  const dst = d.hosts.find((h) => h.addr === '198.51.100.7');
  assert.deepEqual(src, {
    addr: '10.0.0.1',
    name: 'laptop.lan',
    bytesOut: 1000,
    packetsOut: 10,
    bytesIn: 200,
    packetsIn: 4,
    flows: 1,
  });
  assert.deepEqual(dst, {
    addr: '198.51.100.7',
    bytesOut: 200,
    packetsOut: 4,
    bytesIn: 1000,
    packetsIn: 10,
    flows: 1,
  });
  assert.equal(d.bytes, 1200);
  // Forward traffic entered on inIf 1 and left by outIf 2; the reverse went 2 -> 1.
  assert.deepEqual(
    d.interfaces.sort(),
    [
      ['192.0.2.1', 1, 'in', 1000, 10, 1],
      ['192.0.2.1', 1, 'out', 200, 4, 0],
      ['192.0.2.1', 2, 'in', 200, 4, 0],
      ['192.0.2.1', 2, 'out', 1000, 10, 1],
    ].sort(),
  );
});

test('top dimensions: protocols, applications, categories, both AS and both countries', () => {
  const a = createLiveAggregator({ source: 'w0', startMs: T0 });
  a.add(
    flow({
      proto: 17,
      bytes: 300,
      packets: 3,
      appProto: 'DNS',
      appCategory: 'Network',
      srcAs: 64500,
      dstAs: 15169,
      dstAsName: 'GOOGLE',
      srcCountry: 'FR',
      dstCountry: 'US',
    }),
    T0,
  );
  a.add(flow({ proto: 6, bytes: 100, packets: 1, srcAs: 0, srcCountry: 'FR', dstCountry: 'FR' }), T0);
  const d = a.drain(T0 + 1000);
  assert.deepEqual(d.top.protocols.sort(), [
    ['17', 300, 3, 1],
    ['6', 100, 1, 1],
  ]);
  assert.deepEqual(d.top.applications, [['DNS', 300, 3, 1]]);
  assert.deepEqual(d.top.categories, [['Network', 300, 3, 1]]);
  assert.deepEqual(d.top.as.sort(), [
    ['15169', 300, 3, 1, 'GOOGLE'],
    ['64500', 300, 3, 1],
  ]);
  // A flow inside one country counts once for it.
  assert.deepEqual(d.top.countries.sort(), [
    ['FR', 400, 4, 2],
    ['US', 300, 3, 1],
  ]);
});

test('the host bound keeps the heavy hosts and the totals exact', () => {
  const a = createLiveAggregator({ source: 'w0', startMs: T0, maxHosts: 64 });
  let bytes = 0;
  for (let i = 0; i < 5000; i++) {
    a.add(flow({ srcAddr: '10.9.9.9', dstAddr: `10.1.${i >> 8}.${i & 255}`, bytes: 10 }), T0);
    a.add(flow({ srcAddr: `10.2.${i >> 8}.${i & 255}`, dstAddr: `10.3.${i >> 8}.${i & 255}`, bytes: 1 }), T0);
    bytes += 11;
  }
  const d = a.drain(T0 + 1000);
  assert.ok(d.hosts.length <= 64, `${d.hosts.length} hosts`);
  assert.ok(d.hostsPruned > 0);
  assert.equal(d.bytes, bytes);
  const heavy = d.hosts.find((h) => h.addr === '10.9.9.9');
  // Never pruned: it is the heaviest from its first record on.
  assert.equal(heavy?.bytesOut, 50_000);
});

test('the largest flows of an interval are kept, heaviest first, bounded', () => {
  const a = createLiveAggregator({ source: 'w0', startMs: T0, maxFlows: 3 });
  for (let i = 1; i <= 10; i++) a.add(flow({ srcPort: i, bytes: i * 100, samplingRate: 2 }), T0 + i);
  const d = a.drain(T0 + 1000);
  assert.deepEqual(
    d.largestFlows.map((f) => [f.srcPort, f.bytes, f.lastSeenMs]),
    [
      [10, 2000, T0 + 10],
      [9, 1800, T0 + 9],
      [8, 1600, T0 + 8],
    ],
  );
});

test('in and out: traffic crossing the edge of the local networks, biflow reverse the other way; internal and transit in neither', () => {
  const agg = createLiveAggregator({ source: 'w', startMs: 0, localNetworks: ['10.0.0.0/8', 'fd00::/8'] });
  agg.add(flow({ srcAddr: '10.0.0.1', dstAddr: '198.51.100.7', bytes: 1000, packets: 10 }), 1);
  agg.add(
    flow({ srcAddr: '198.51.100.7', dstAddr: '10.0.0.2', bytes: 300, packets: 3, samplingRate: 10 }),
    1,
  );
  agg.add(
    flow({
      srcAddr: 'fd00::1',
      dstAddr: '2001:db8::1',
      bytes: 50,
      packets: 1,
      reverseBytes: 7000,
      reversePackets: 5,
    }),
    1,
  );
  agg.add(flow({ srcAddr: '10.0.0.1', dstAddr: '10.0.0.2', bytes: 111, packets: 1 }), 1);
  agg.add(flow({ srcAddr: '198.51.100.7', dstAddr: '203.0.113.9', bytes: 222, packets: 2 }), 1);
  const d = agg.drain(2);
  assert.deepEqual(
    [d.bytesIn, d.packetsIn, d.bytesOut, d.packetsOut],
    [3000 + 7000, 30 + 5, 1000 + 50, 10 + 1],
  );
  assert.equal(d.bytes, 1000 + 3000 + 50 + 7000 + 111 + 222, 'totals keep internal and transit traffic');
  const next = agg.drain(3);
  assert.deepEqual([next.bytesIn, next.bytesOut], [0, 0], 'a new interval starts from zero');
});

test('in and out default to the private ranges of live.localNetworks', () => {
  const agg = createLiveAggregator({ source: 'w', startMs: 0 });
  agg.add(flow({ srcAddr: '192.168.1.5', dstAddr: '198.51.100.7', bytes: 400, packets: 4 }), 1);
  const d = agg.drain(2);
  assert.deepEqual([d.bytesOut, d.bytesIn], [400, 0]);
});

test('late records (ended long before their exporter’s newest) are left out of the live sums, by each exporter’s own clock', () => {
  const agg = createLiveAggregator({ source: 'w', startMs: 0 });
  const now = T0;
  agg.add(flow({ end: now, bytes: 100 }), now);
  // A backfill of the same exporter: an hour old by its own clock.
  agg.add(flow({ end: now - 3_600_000, bytes: 5000, srcAddr: '10.9.9.9' }), now);
  agg.add(flow({ end: now - LATE_AFTER_MS + 1000, bytes: 7 }), now);
  // Another exporter whose clock is an hour behind: its records are live.
  agg.add(flow({ exporter: '192.0.2.9', end: now - 3_600_000, bytes: 30 }), now);
  // Records without times (sFlow) are always live.
  agg.add(flow({ bytes: 1 }), now);
  assert.equal(agg.pending, 5);
  const d = agg.drain(now + 1000);
  assert.deepEqual([d.bytes, d.flows, d.lateRecords], [100 + 7 + 30 + 1, 4, 1]);
  assert.equal(
    d.hosts.some((h) => h.addr === '10.9.9.9'),
    false,
    'a late record adds no host',
  );
});

test('an exporter that sends nothing but late records for a minute has turned its clock back', () => {
  const agg = createLiveAggregator({ source: 'w', startMs: 0 });
  agg.add(flow({ end: T0 }), T0);
  agg.drain(T0 + 1000);
  const back = T0 - 3_600_000;
  for (let i = 0; i < CLOCK_RESET_INTERVALS; i++) {
    agg.add(flow({ end: back + i * 1000, bytes: 10 }), T0);
    const d = agg.drain(T0 + 2000 + i * 1000);
    assert.equal(d.lateRecords, 1, `interval ${i}`);
  }
  agg.add(flow({ end: back + 61_000, bytes: 10 }), T0);
  const d = agg.drain(T0 + 100_000);
  assert.deepEqual([d.bytes, d.lateRecords], [10, 0]);
});
