/** The columnar batch builder: every kind lands in DuckDB's layout, absent fields stay NULL. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FlowRecord } from '../../src/schema/flow-record.ts';
import {
  batchTransferList,
  createBatchBuilder,
  STORE_COLUMNS,
  type ColumnarBatch,
} from '../../src/store/index.ts';

const col = (b: ColumnarBatch, name: string) => b.columns[STORE_COLUMNS.findIndex((c) => c.name === name)]!;
const isValid = (b: ColumnarBatch, name: string, row: number): boolean =>
  (col(b, name).valid[row >>> 3]! & (1 << (row & 7))) !== 0;
const words = (b: ColumnarBatch, name: string, row: number, n: number): number[] => [
  ...(col(b, name).data as Uint32Array).subarray(row * n, row * n + n),
];

test('the builder writes every kind in the store layout', () => {
  const full: FlowRecord = {
    type: 'ipfix',
    exporter: '192.0.2.1',
    start: 1_700_000_000_000,
    end: 2 ** 40 + 5,
    srcAddr: '2001:db8::1',
    dstAddr: '10.1.2.3',
    srcPort: 443,
    proto: 6,
    bytes: 2 ** 33 + 7,
    packets: 3,
    direction: 'egress',
    srcMac: '00:11:22:33:44:55',
    mplsLabels: [16, 17],
    appProto: 'tls',
    srcHost: 'a.example',
    extra: { '9.1': 2 },
  };
  const sparse: FlowRecord = {
    type: 'netflow5',
    exporter: 'not an ip',
    bytes: 1,
    packets: 1,
    mplsLabels: [99],
  };
  const b = createBatchBuilder(4);
  b.add(full, 1);
  b.add(sparse, 123_456);
  b.add({ ...sparse, appProto: 'tls', extra: { '9.1': 2 } }, 1);
  const batch = b.take();
  assert.equal(batch.rows, 3);
  assert.equal(b.count, 0);
  // time: end, else start, else the stand-in; 64-bit little endian.
  assert.deepEqual(words(batch, 'time', 0, 2), [5, 256]);
  assert.deepEqual(words(batch, 'time', 1, 2), [123_456, 0]);
  assert.equal(col(batch, 'type').data[0], 2);
  assert.equal(col(batch, 'direction').data[0], 1);
  assert.ok(!isValid(batch, 'direction', 1));
  // The exporter is text: an address, or the interface or file the meter read.
  assert.deepEqual(col(batch, 'exporter').dict, ['192.0.2.1', 'not an ip']);
  assert.deepEqual([...col(batch, 'exporter').data.subarray(0, 3)], [0, 1, 1]);
  assert.deepEqual(words(batch, 'srcAddr', 0, 4), [1, 0, 0, 0x20010db8]);
  assert.deepEqual(words(batch, 'bytes', 0, 2), [7, 2]);
  assert.deepEqual(words(batch, 'srcMac', 0, 2), [0x22334455, 0x0011]);
  assert.equal(col(batch, 'srcPort').data[0], 443);
  assert.ok(!isValid(batch, 'srcPort', 1));
  // Dictionary columns share codes within a batch; JSON is stored as text.
  assert.deepEqual(col(batch, 'appProto').dict, ['tls']);
  assert.equal(col(batch, 'appProto').data[2], 0);
  assert.deepEqual(col(batch, 'extra').dict, ['{"9.1":2}']);
  assert.equal(col(batch, 'srcHost').dict?.[col(batch, 'srcHost').data[0]!], 'a.example');
  // Lists: (offset, length) entries into the flattened values.
  const mpls = col(batch, 'mplsLabels');
  assert.deepEqual([...mpls.entries!.subarray(0, 12)], [0, 0, 2, 0, 2, 0, 1, 0, 3, 0, 1, 0]);
  assert.deepEqual([...(mpls.data as Uint32Array).subarray(0, 4)], [16, 17, 99, 99]);
  // Every buffer is transferred once even when columns share one.
  const list = batchTransferList(batch);
  assert.equal(new Set(list).size, list.length);
});

test('a new batch starts empty after take()', () => {
  const b = createBatchBuilder(2);
  b.add({ type: 'netflow9', exporter: '192.0.2.9', bytes: 1, packets: 1, srcPort: 7 }, 1);
  b.add({ type: 'netflow9', exporter: '192.0.2.9', bytes: 1, packets: 1 }, 1);
  assert.ok(b.full);
  b.take();
  b.add({ type: 'netflow9', exporter: '192.0.2.9', bytes: 1, packets: 1 }, 1);
  const next = b.take();
  assert.ok(!isValid(next, 'srcPort', 0));
  assert.ok(isValid(next, 'exporter', 0));
});
