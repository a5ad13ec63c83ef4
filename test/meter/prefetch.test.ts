/**
 * FlowMeter.prefetch is a hint: a meter told of a chunk's frames before they
 * are pushed (as `flowlens meter` does) exports the same flows as one that
 * is not, on the Ethernet frames of the shared captures (VLANs, tunnels,
 * fragments, IPv6); and frames pushed in another order than announced, or
 * from another buffer, are metered as pushed.
 */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { test } from 'node:test';
import { readPackets } from '../../src/ingest/file/index.ts';
import { createFlowMeter } from '../../src/meter/index.ts';
import { sharedCapture } from '../support/system-tool.ts';

const LINKTYPE_ETHERNET = 1;
const DIRS = ['tunnels', 'mixed_voip_retrans', 'dhcp', 'mdns_ssdp'];

interface Frames {
  buf: Uint8Array;
  starts: Int32Array;
  ends: Int32Array;
}

/** Every Ethernet frame of the captures, one after another in one buffer (as a chunk holds them). */
async function ethernetFrames(): Promise<Frames> {
  const frames: Uint8Array[] = [];
  for (const dir of DIRS)
    for (const f of readdirSync(sharedCapture(dir))
      .filter((x) => /\.pcap(ng)?$/.test(x))
      .sort())
      for await (const p of readPackets(sharedCapture(`${dir}/${f}`)))
        if (p.linkType === LINKTYPE_ETHERNET) frames.push(p.data);
  const buf = new Uint8Array(frames.reduce((n, f) => n + f.length, 0));
  const starts = new Int32Array(frames.length);
  const ends = new Int32Array(frames.length);
  let o = 0;
  frames.forEach((f, i) => {
    buf.set(f, o);
    starts[i] = o;
    o += f.length;
    ends[i] = o;
  });
  return { buf, starts, ends };
}

/** How a meter is told of a chunk's frames: none, as pushed, or otherwise. */
type Announce = ((part: readonly number[]) => readonly number[]) | undefined;

/**
 * The lines of a meter pushed frames `order` (indexes into `f`, frame i at
 * time i ms) in chunks of `chunk`, each told first of the frames `announce`
 * gives for it (none when undefined), in buffer `announced` (default: the
 * buffer pushed); its counts last.
 */
function meterLines(
  f: Frames,
  order: readonly number[],
  chunk: number,
  announce: Announce,
  announced = f.buf,
): string[] {
  const meter = createFlowMeter({ exporter: 'prefetch' });
  const lines: string[] = [];
  meter.onFlowJson((line) => lines.push(Buffer.from(line).toString()));
  for (let at = 0; at < order.length; at += chunk) {
    const part = order.slice(at, at + chunk);
    if (announce) {
      const told = announce(part);
      const starts = Int32Array.from(told, (i) => f.starts[i]!);
      const ends = Int32Array.from(told, (i) => f.ends[i]!);
      meter.prefetch(LINKTYPE_ETHERNET, announced, starts, ends, told.length);
    }
    for (const i of part)
      meter.pushFrame(1_700_000_000_000 + i, LINKTYPE_ETHERNET, f.buf, f.starts[i], f.ends[i]);
  }
  meter.flushAll();
  const s = meter.stats();
  lines.push(JSON.stringify({ metered: s.metered, created: s.flowsCreated, fragments: s.fragments }));
  return lines;
}

const asPushed: Announce = (part) => part;

test('a meter told of the frames ahead exports what one not told does', async () => {
  const f = await ethernetFrames();
  const inOrder = Array.from(f.starts, (_, i) => i);
  const plain = meterLines(f, inOrder, 64, undefined);
  assert.ok(plain.length > 500, `${plain.length} flows`);
  for (const chunk of [1, 37, 4096])
    assert.deepEqual(meterLines(f, inOrder, chunk, asPushed), plain, `chunks of ${chunk}`);
});

test('frames pushed out of the announced order, or from another buffer, are metered as pushed', async () => {
  const f = await ethernetFrames();
  // Neighbours swapped (the last one stays if their number is odd).
  const n = f.starts.length;
  const swapped = Array.from(f.starts, (_, i) => (i % 2 === 1 ? i - 1 : i + 1 < n ? i + 1 : i));
  const plain = meterLines(f, swapped, 64, undefined);
  const ascending: Announce = (part) => [...part].sort((a, b) => a - b);
  assert.deepEqual(meterLines(f, swapped, 64, ascending), plain, 'announced in ascending order');
  assert.deepEqual(
    meterLines(f, swapped, 64, asPushed, f.buf.slice()),
    plain,
    'announced in a copy of the buffer',
  );
});
