import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createNetflowDecoder } from './index.ts';
import { ByteWriter, ipfixMessage, ipfixTemplate, set, v9Packet, v9Template } from './test-builders.ts';

const at = (receivedMs: number) => ({ exporter: '198.51.100.1', receivedMs });
const data = (addr: string) => ipfixMessage([set(300, new ByteWriter().ipv4(addr).build())]);
const template = ipfixMessage([set(2, ipfixTemplate(300, [[8, 4]]))]);

test('data before its template is held, then returned with the template datagram', () => {
  const dec = createNetflowDecoder();
  const held = dec.decode(data('10.0.0.1'), at(0));
  assert.equal(held.records.length, 0);
  assert.deepEqual(held.errors, { template_missing: 1 });
  assert.equal(dec.stats().pending, 1);
  const out = dec.decode(template, at(10));
  assert.deepEqual(
    out.records.map((r) => r.srcAddr),
    ['10.0.0.1'],
  );
  assert.deepEqual(out.errors, {});
  assert.equal(dec.stats().pending, 0);
});

test('v9 held data keeps its own header times', () => {
  const dec = createNetflowDecoder();
  dec.decode(
    v9Packet([set(260, new ByteWriter().u32(90_000).build())], { uptimeMs: 100_000, unixSec: 1000 }),
    at(0),
  );
  const out = dec.decode(
    v9Packet([set(0, v9Template(260, [[22, 4]]))], { uptimeMs: 500_000, unixSec: 2000 }),
    at(1),
  );
  assert.equal(out.records[0]?.start, 1000 * 1000 - 10_000);
});

test('held data expires after holdMs (expire and lazily on decode)', () => {
  const dec = createNetflowDecoder({ holdMs: 1000 });
  dec.decode(data('10.0.0.1'), at(0));
  assert.deepEqual(dec.expire(500).errors, {});
  assert.deepEqual(dec.expire(1500).errors, { pending_expired: 1 });
  assert.equal(dec.decode(template, at(1600)).records.length, 0);

  const lazy = createNetflowDecoder({ holdMs: 1000 });
  lazy.decode(data('10.0.0.1'), at(0));
  const out = lazy.decode(template, at(5000));
  assert.equal(out.errors.pending_expired, 1);
  assert.equal(out.records.length, 0);
});

test('held data is bounded per exporter: the oldest is evicted', () => {
  const dec = createNetflowDecoder({ maxPendingPerExporter: 2 });
  dec.decode(data('10.0.0.1'), at(0));
  dec.decode(data('10.0.0.2'), at(1));
  const third = dec.decode(data('10.0.0.3'), at(2));
  assert.deepEqual(third.errors, { template_missing: 1, pending_expired: 1 });
  const out = dec.decode(template, at(3));
  assert.deepEqual(
    out.records.map((r) => r.srcAddr),
    ['10.0.0.2', '10.0.0.3'],
  );
});

test('template and exporter limits', () => {
  const dec = createNetflowDecoder({ maxTemplatesPerExporter: 1, maxExporters: 1 });
  const out = dec.decode(
    ipfixMessage([set(2, ipfixTemplate(300, [[8, 4]])), set(2, ipfixTemplate(301, [[8, 4]]))]),
    at(0),
  );
  assert.equal(out.errors.limit_exceeded, 1);
  assert.equal(dec.stats().templates, 1);
  const other = dec.decode(template, { exporter: '198.51.100.2', receivedMs: 0 });
  assert.equal(other.errors.limit_exceeded, 1);
  assert.equal(dec.stats().exporters, 1);
});
