import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createNetflowDecoder } from './index.ts';
import { ByteWriter, concat, set, v9OptionsTemplate, v9Packet, v9Template } from './test-builders.ts';

const ctx = { exporter: '192.0.2.9', receivedMs: 5_000 };
const UNIX = 1_700_000_000;
const UPTIME = 100_000;

test('v9: template then data; times from FIRST/LAST_SWITCHED, header uptime and unix_secs', () => {
  const dec = createNetflowDecoder();
  const tpl = v9Packet(
    [
      set(
        0,
        v9Template(260, [
          [8, 4],
          [12, 4],
          [7, 2],
          [11, 2],
          [4, 1],
          [1, 4],
          [2, 4],
          [22, 4],
          [21, 4],
          [34, 4],
        ]),
      ),
    ],
    { sourceId: 7 },
  );
  assert.equal(dec.decode(tpl, ctx).templates, 1);
  const data = new ByteWriter()
    .ipv4('10.0.0.1')
    .ipv4('10.0.0.2')
    .u16(1000)
    .u16(443)
    .u8(6)
    .u32(1500)
    .u32(3)
    .u32(90_000)
    .u32(99_000)
    .u32(64);
  const out = dec.decode(
    v9Packet([set(260, data.build())], { uptimeMs: UPTIME, unixSec: UNIX, sourceId: 7 }),
    ctx,
  );
  assert.deepEqual(out.errors, {});
  const r = out.records[0];
  assert.ok(r);
  assert.equal(r.type, 'netflow9');
  assert.equal(r.observationDomain, 7);
  assert.equal(r.srcAddr, '10.0.0.1');
  assert.equal(r.dstPort, 443);
  assert.equal(r.bytes, 1500);
  assert.equal(r.packets, 3);
  assert.equal(r.start, UNIX * 1000 - 10_000);
  assert.equal(r.end, UNIX * 1000 - 1_000);
  assert.equal(r.samplingRate, 64);
});

test('v9: templates are per source id', () => {
  const dec = createNetflowDecoder();
  dec.decode(v9Packet([set(0, v9Template(260, [[8, 4]]))], { sourceId: 1 }), ctx);
  const out = dec.decode(
    v9Packet([set(260, new ByteWriter().ipv4('1.1.1.1').build())], { sourceId: 2 }),
    ctx,
  );
  assert.equal(out.records.length, 0);
  assert.equal(out.errors.template_missing, 1);
});

test('v9: sampler table from options data (FLOW_SAMPLER_ID 48 / FLOW_SAMPLER_RANDOM_INTERVAL 50)', () => {
  const dec = createNetflowDecoder();
  const opt = v9OptionsTemplate(
    257,
    [[1, 4]],
    [
      [48, 1],
      [49, 1],
      [50, 4],
    ],
  );
  dec.decode(
    v9Packet([
      set(1, concat(opt, new Uint8Array(2))),
      set(
        0,
        v9Template(260, [
          [8, 4],
          [48, 1],
        ]),
      ),
    ]),
    ctx,
  );
  const table = new ByteWriter().u32(0).u8(1).u8(2).u32(100).u32(0).u8(2).u8(2).u32(1000).build();
  const opts = dec.decode(v9Packet([set(257, table)]), ctx);
  assert.equal(opts.records.length, 0);
  const out = dec.decode(
    v9Packet([
      set(260, new ByteWriter().ipv4('1.1.1.1').u8(2).ipv4('1.1.1.2').u8(1).ipv4('1.1.1.3').u8(9).build()),
    ]),
    ctx,
  );
  assert.deepEqual(
    out.records.map((r) => r.samplingRate),
    [1000, 100, undefined],
  );
});

test('v9: Cisco NSEL translated addresses and ports (40001-40004)', () => {
  const dec = createNetflowDecoder();
  dec.decode(
    v9Packet([
      set(
        0,
        v9Template(263, [
          [8, 4],
          [40001, 4],
          [40002, 4],
          [40003, 2],
          [40004, 2],
        ]),
      ),
    ]),
    ctx,
  );
  const out = dec.decode(
    v9Packet([
      set(
        263,
        new ByteWriter().ipv4('10.0.0.1').ipv4('203.0.113.1').ipv4('203.0.113.2').u16(1).u16(2).build(),
      ),
    ]),
    ctx,
  );
  const r = out.records[0];
  assert.equal(r?.natSrcAddr, '203.0.113.1');
  assert.equal(r?.natDstAddr, '203.0.113.2');
  assert.equal(r?.natSrcPort, 1);
  assert.equal(r?.natDstPort, 2);
});

test('v9: nProbe retransmission and out-of-order counters are summed', () => {
  const dec = createNetflowDecoder();
  dec.decode(
    v9Packet([
      set(
        0,
        v9Template(258, [
          [8, 4],
          [57581, 4],
          [57582, 4],
          [57583, 4],
          [57584, 4],
        ]),
      ),
    ]),
    ctx,
  );
  const out = dec.decode(
    v9Packet([set(258, new ByteWriter().ipv4('1.1.1.1').u32(2).u32(3).u32(4).u32(5).build())]),
    ctx,
  );
  assert.equal(out.records[0]?.retransmissions, 5);
  assert.equal(out.records[0]?.outOfOrder, 9);
});

test('v9: sequence gaps are lost datagrams', () => {
  const dec = createNetflowDecoder();
  const p = (seq: number) => v9Packet([], { seq });
  dec.decode(p(10), ctx);
  assert.equal(dec.decode(p(11), ctx).lostDatagrams, undefined);
  assert.equal(dec.decode(p(15), ctx).lostDatagrams, 3);
  assert.equal(dec.decode(p(2), ctx).lostDatagrams, undefined);
});

test('v9: zero-filled tail after the last flowset is padding, not an error', () => {
  const dec = createNetflowDecoder();
  dec.decode(v9Packet([set(0, v9Template(260, [[8, 4]]))]), ctx);
  const out = dec.decode(
    concat(v9Packet([set(260, new ByteWriter().ipv4('1.1.1.1').build())]), new Uint8Array(64)),
    ctx,
  );
  assert.equal(out.records.length, 1);
  assert.deepEqual(out.errors, {});
});

test('v9: zero-length fields are skipped', () => {
  const dec = createNetflowDecoder();
  dec.decode(
    v9Packet([
      set(
        0,
        v9Template(256, [
          [8, 4],
          [95, 0],
          [12, 4],
        ]),
      ),
    ]),
    ctx,
  );
  const out = dec.decode(v9Packet([set(256, new ByteWriter().ipv4('1.1.1.1').ipv4('2.2.2.2').build())]), ctx);
  assert.equal(out.records[0]?.dstAddr, '2.2.2.2');
});
