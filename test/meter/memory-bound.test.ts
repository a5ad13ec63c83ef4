/**
 * "One million concurrent flows stay within the configured memory bound":
 * 1M distinct UDP flows pushed as synthetic packets into a meter with
 * maxFlows = 1M; heap + array buffers after GC grow by less than
 * MAX_BYTES_PER_FLOW per flow. And a smaller maxFlows evicts the least
 * recently seen flow, exports it and counts it.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { BYTES_PER_SLOT, createFlowMeter } from '../../src/meter/index.ts';
import type { FlowRecord } from '../../src/schema/flow-record.ts';
import { udpFrame } from './synthetic-frames.ts';

/** The documented budget (docs/performance.md): columns + hash index + free list, with headroom. */
const MAX_BYTES_PER_FLOW = 400;
const LINKTYPE_ETHERNET = 1;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function used(): number {
  gc();
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

test('one million concurrent flows stay within the memory bound', (t) => {
  const flows = 1_000_000;
  const frame = udpFrame(0, 0, 53);
  const before = used();
  const meter = createFlowMeter({ exporter: 'mem', config: { maxFlows: flows, idleTimeoutMs: 3_600_000 } });
  for (let i = 0; i < flows; i++) {
    // Same frame, new source address and port each time: no allocation per packet in the test either.
    frame[26] = 10;
    frame[27] = (i >>> 16) & 255;
    frame[28] = (i >>> 8) & 255;
    frame[29] = i & 255;
    meter.pushFrame(1_700_000_000_000 + i / 1000, LINKTYPE_ETHERNET, frame);
  }
  const st = meter.stats();
  assert.equal(st.activeFlows, flows);
  assert.equal(st.evicted, 0);
  const perFlow = (used() - before) / flows;
  t.diagnostic(`${perFlow.toFixed(0)} bytes per flow (columns ${BYTES_PER_SLOT} bytes per slot)`);
  assert.ok(perFlow < MAX_BYTES_PER_FLOW, `${perFlow.toFixed(0)} bytes per flow (columns ${BYTES_PER_SLOT})`);
  meter.flushAll(); // keeps `meter` alive until after the measurement
});

test('a full table evicts the least recently seen flow and counts it', () => {
  const out: FlowRecord[] = [];
  const meter = createFlowMeter({ exporter: 'evict', config: { maxFlows: 3 } });
  meter.onFlow((r) => out.push(r));
  for (let i = 1; i <= 5; i++)
    meter.pushFrame(1_700_000_000_000 + i, LINKTYPE_ETHERNET, udpFrame(i, 1000 + i, 53));
  assert.equal(meter.stats().evicted, 2);
  assert.equal(meter.stats().activeFlows, 3);
  assert.deepEqual(
    out.map((r) => r.srcPort),
    [1001, 1002],
  );
});
