/**
 * "Truncated, snaplen-cut and garbage packets are counted, never fatal":
 * every prefix of every frame of the tunnel captures, random bytes on every
 * link type, and single-byte mutations of real frames go through one meter;
 * nothing throws, and every packet is accounted for in exactly one counter.
 */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { test } from 'node:test';
import { readPackets } from '../../src/ingest/file/index.ts';
import { createFlowMeter, type FlowMeter } from '../../src/meter/index.ts';
import { sharedCapture } from '../support/system-tool.ts';

const LINK_TYPES = [0, 1, 9, 50, 101, 108, 113, 228, 229, 276, 147];

function accounted(m: FlowMeter): number {
  const s = m.stats();
  return s.metered + s.nonIp + s.fragments + Object.values(s.errors).reduce((a, b) => a + b, 0);
}

/** A deterministic generator (xorshift32), so a failure can be replayed. */
function random(seed: number): () => number {
  let x = seed;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

async function tunnelFrames(): Promise<{ linkType: number; data: Uint8Array }[]> {
  const out: { linkType: number; data: Uint8Array }[] = [];
  for (const f of readdirSync(sharedCapture('tunnels')).sort()) {
    for await (const p of readPackets(sharedCapture(`tunnels/${f}`)))
      out.push({ linkType: p.linkType, data: p.data });
  }
  return out;
}

test('every prefix of every tunnel frame is counted, never fatal', async () => {
  const frames = await tunnelFrames();
  const meter = createFlowMeter({ exporter: 'prefixes' });
  let ts = 1_700_000_000_000;
  for (const f of frames)
    for (let n = 0; n <= f.data.length; n++) meter.pushFrame(ts++, f.linkType, f.data.subarray(0, n));
  meter.flushAll();
  const s = meter.stats();
  assert.equal(accounted(meter), s.packets);
  // Prefixes that keep every header are metered whole (lengths come from the IP header).
  assert.ok(s.errors.truncated > s.packets / 10, `truncated ${s.errors.truncated} of ${s.packets}`);
  assert.ok(s.metered > 0);
});

test('random bytes and mutated frames are counted, never fatal', async () => {
  const frames = await tunnelFrames();
  const rnd = random(0x5eed);
  const meter = createFlowMeter({ exporter: 'garbage', config: { maxFlows: 1000 } });
  let ts = 1_700_000_000_000;
  for (let i = 0; i < 20_000; i++) {
    const b = new Uint8Array(Math.floor(rnd() * 200));
    for (let j = 0; j < b.length; j++) b[j] = Math.floor(rnd() * 256);
    meter.pushFrame(ts++, LINK_TYPES[i % LINK_TYPES.length]!, b);
  }
  for (let round = 0; round < 20; round++) {
    for (const f of frames) {
      const b = f.data.slice();
      const at = Math.floor(rnd() * b.length);
      b[at] = Math.floor(rnd() * 256);
      meter.pushFrame(ts++, f.linkType, b);
    }
  }
  meter.flushAll();
  const s = meter.stats();
  assert.equal(accounted(meter), s.packets);
  assert.ok(
    s.errors.unsupported > 0 && s.errors.malformed > 0 && s.errors.truncated > 0,
    JSON.stringify(s.errors),
  );
  assert.ok(s.evicted > 0, 'the bounded table evicted under garbage');
});
