/**
 * meterCaptureFile reads classic pcap in chunks: every frame reaches the
 * sink whole and in order, whatever its size and wherever the chunks cut
 * the file (records of 60 bytes to 1.2 MB, longer than a read chunk, each
 * size many times over several chunks); a record cut by the end of the file
 * ends it quietly.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { meterCaptureFile } from '../../src/meter/index.ts';
import { classicPcap } from '../support/classic-pcap.ts';

/** The longest frame written, and the file's snap length. */
const MAX_FRAME_BYTES = 1_200_000;

/** A frame of `len` bytes whose bytes tell its number `i` and their position. */
function frame(i: number, len: number): Uint8Array {
  const f = new Uint8Array(len);
  for (let j = 0; j < len; j++) f[j] = (i * 31 + j) & 0xff;
  return f;
}

test('every frame whole and in order across chunks, large records included; a cut last record ends the file', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'flowlens-feed-'));
  try {
    const sizes = [60, 1514, 9000, 70_000, 200_000, 333, 65_535, 131_072, MAX_FRAME_BYTES];
    const frames = Array.from({ length: 120 }, (_, i) => frame(i, sizes[i % sizes.length]!));
    for (const cut of [0, 1000]) {
      const path = join(dir, `feed-${cut}.pcap`);
      const file = classicPcap(frames, MAX_FRAME_BYTES);
      await writeFile(path, file.subarray(0, file.length - cut));
      const seen: { ts: number; bytes: Uint8Array }[] = [];
      let chunks = 0;
      const n = await meterCaptureFile(path, {
        pushFrame: (ts, _lt, data, start, end) => void seen.push({ ts, bytes: data.slice(start, end) }),
        chunkDone: () => void chunks++,
      });
      const complete = cut === 0 ? frames.length : frames.length - 1;
      assert.equal(n, complete);
      assert.equal(seen.length, complete);
      assert.ok(chunks > 1, `${chunks} chunks`);
      for (let i = 0; i < complete; i++) {
        assert.equal(seen[i]!.ts, 1_700_000_000_000 + i, `frame ${i} time`);
        assert.deepEqual(seen[i]!.bytes, frames[i], `frame ${i} (${frames[i]!.length} bytes)`);
      }
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
