import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createNetflowDecoder } from './index.ts';
import { ByteWriter } from './test-builders.ts';

const ctx = { exporter: '192.0.2.1', receivedMs: 0 };

function v5(count: number, records: number, opts: { seq?: number; sampling?: number } = {}): Uint8Array {
  const w = new ByteWriter()
    .u16(5)
    .u16(count)
    .u32(10_000) // sysUptime ms
    .u32(1_700_000_000) // unix_secs
    .u32(500_000_000) // unix_nsecs
    .u32(opts.seq ?? 100)
    .u8(0)
    .u8(1)
    .u16(opts.sampling ?? 0);
  for (let i = 0; i < records; i++) {
    w.ipv4(`10.0.0.${i + 1}`)
      .ipv4('10.1.1.1')
      .ipv4('10.9.9.9')
      .u16(3)
      .u16(4)
      .u32(5)
      .u32(6000)
      .u32(8_000)
      .u32(9_000);
    w.u16(1234).u16(80).u8(0).u8(0x12).u8(6).u8(0x20).u16(65001).u16(65002).u8(24).u8(16).u16(0);
  }
  return w.build();
}

test('v5: every header and record field', () => {
  const out = createNetflowDecoder().decode(v5(2, 2, { sampling: (1 << 14) | 100 }), ctx);
  assert.deepEqual(out.errors, {});
  assert.equal(out.records.length, 2);
  const r = out.records[0];
  assert.ok(r);
  const exportMs = 1_700_000_000_000 + 500;
  assert.deepEqual(
    {
      type: r.type,
      exporter: r.exporter,
      srcAddr: r.srcAddr,
      dstAddr: r.dstAddr,
      nextHop: r.nextHop,
      inIf: r.inIf,
      outIf: r.outIf,
      packets: r.packets,
      bytes: r.bytes,
      start: r.start,
      end: r.end,
      srcPort: r.srcPort,
      dstPort: r.dstPort,
      tcpFlags: r.tcpFlags,
      proto: r.proto,
      tos: r.tos,
      srcAs: r.srcAs,
      dstAs: r.dstAs,
      srcMask: r.srcMask,
      dstMask: r.dstMask,
      samplingRate: r.samplingRate,
    },
    {
      type: 'netflow5',
      exporter: '192.0.2.1',
      srcAddr: '10.0.0.1',
      dstAddr: '10.1.1.1',
      nextHop: '10.9.9.9',
      inIf: 3,
      outIf: 4,
      packets: 5,
      bytes: 6000,
      start: exportMs - 2_000,
      end: exportMs - 1_000,
      srcPort: 1234,
      dstPort: 80,
      tcpFlags: 0x12,
      proto: 6,
      tos: 0x20,
      srcAs: 65001,
      dstAs: 65002,
      srcMask: 24,
      dstMask: 16,
      samplingRate: 100,
    },
  );
});

test('v5: a count larger than the datagram decodes what is there and counts bad_header', () => {
  const out = createNetflowDecoder().decode(v5(30, 2), ctx);
  assert.equal(out.records.length, 2);
  assert.equal(out.errors.bad_header, 1);
});

test('v5: count 0 and a truncated header', () => {
  const dec = createNetflowDecoder();
  assert.equal(dec.decode(v5(0, 1), ctx).errors.bad_header, 1);
  assert.equal(dec.decode(v5(1, 1).subarray(0, 10), ctx).errors.truncated, 1);
});

test('v5: flow_sequence gaps count lost records, restarts do not', () => {
  const dec = createNetflowDecoder();
  assert.equal(dec.decode(v5(2, 2, { seq: 100 }), ctx).lostRecords, undefined);
  assert.equal(dec.decode(v5(2, 2, { seq: 102 }), ctx).lostRecords, undefined);
  assert.equal(dec.decode(v5(2, 2, { seq: 110 }), ctx).lostRecords, 6);
  assert.equal(dec.decode(v5(2, 2, { seq: 5 }), ctx).lostRecords, undefined, 'backwards: reset');
  assert.equal(dec.decode(v5(2, 2, { seq: 4_000_000_000 }), ctx).lostRecords, undefined, 'huge jump: reset');
});

test('unknown versions are unknown_format', () => {
  const out = createNetflowDecoder().decode(Uint8Array.from([0, 7, 0, 0]), ctx);
  assert.deepEqual(out.errors, { unknown_format: 1 });
});
