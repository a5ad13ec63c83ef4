/**
 * meterCaptureFile reads pcap and pcapng, gzip-compressed or not, in chunks:
 * every frame reaches the sink whole and in order with its time, whatever its size and wherever the
 * chunks cut the file (records and blocks of 60 bytes to 1.2 MB, longer than
 * a read chunk, each size many times over several chunks); a record or block
 * cut by the end of the file ends it quietly; a block whose length cannot be
 * is the file's error.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { test } from 'node:test';
import { meterCaptureFile } from '../../src/meter/index.ts';
import { CaptureFileError } from '../../src/ingest/file/index.ts';
import { classicPcap, pcapng } from '../support/classic-pcap.ts';

/** The longest frame written, and the file's snap length. */
const MAX_FRAME_BYTES = 1_200_000;

/** A frame of `len` bytes whose bytes tell its number `i` and their position. */
function frame(i: number, len: number): Uint8Array {
  const f = new Uint8Array(len);
  for (let j = 0; j < len; j++) f[j] = (i * 31 + j) & 0xff;
  return f;
}

const FORMATS = {
  pcap: (frames: Uint8Array[]) => classicPcap(frames, MAX_FRAME_BYTES),
  'pcapng, little-endian': (frames: Uint8Array[]) => pcapng(frames, true),
  'pcapng, big-endian': (frames: Uint8Array[]) => pcapng(frames, false),
};

/** The frames of FORMATS' files, and what meterCaptureFile saw of them. */
const sizes = [60, 1514, 9000, 70_000, 200_000, 333, 65_535, 131_072, MAX_FRAME_BYTES];
const frames = Array.from({ length: 120 }, (_, i) => frame(i, sizes[i % sizes.length]!));

async function meterFile(path: string): Promise<{ n: number; chunks: number; seen: Uint8Array[] }> {
  const seen: Uint8Array[] = [];
  let chunks = 0;
  let i = 0;
  const n = await meterCaptureFile(path, {
    pushFrame: (ts, linkType, data, start, end) => {
      assert.equal(ts, 1_700_000_000_000 + i, `frame ${i} time`);
      assert.equal(linkType, 1, `frame ${i} link type`);
      seen.push(data.slice(start, end));
      i++;
    },
    chunkDone: () => void chunks++,
  });
  return { n, chunks, seen };
}

for (const [format, write] of Object.entries(FORMATS))
  for (const gzip of [false, true])
    test(`${format}${gzip ? ', gzip-compressed' : ''}: every frame whole and in order across chunks, large ones included; a cut last one ends the file`, async () => {
      const dir = await mkdtemp(join(tmpdir(), 'flowlens-feed-'));
      try {
        for (const cut of [0, 1000]) {
          const path = join(dir, `feed-${cut}`);
          const file = write(frames).subarray(0, -cut || undefined);
          await writeFile(path, gzip ? gzipSync(file) : file);
          const { n, chunks, seen } = await meterFile(path);
          const complete = cut === 0 ? frames.length : frames.length - 1;
          assert.equal(n, complete);
          assert.deepEqual(seen, frames.slice(0, complete));
          // A frame longer than a read chunk (128 KB) is read whole, at once, as its header's length
          // says: fewer reads than 128 KB chunks of the file, but not the whole file at once.
          const reads = file.length / (128 * 1024);
          assert.ok(chunks < reads && chunks > reads / 4, `${chunks} chunks of ${file.length} bytes`);
        }
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });

test('gzip: a compressed file cut short ends after its last whole frame; corrupt data is a CaptureFileError', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'flowlens-feed-'));
  try {
    const small = Array.from({ length: 2000 }, (_, i) => frame(i, 60 + (i % 1400)));
    const gz = gzipSync(classicPcap(small));
    const cut = join(dir, 'cut.pcap.gz');
    await writeFile(cut, gz.subarray(0, gz.length >> 1));
    const { n, seen } = await meterFile(cut);
    assert.ok(n > 100 && n < small.length, `${n} frames`);
    assert.deepEqual(seen, small.slice(0, n));
    const bad = join(dir, 'bad.pcap.gz');
    const corrupt = Buffer.from(gz);
    corrupt[corrupt.length - 8]! ^= 0xff; // the trailer's CRC-32 (RFC 1952 §2.3.1)
    await writeFile(bad, corrupt);
    await assert.rejects(
      meterCaptureFile(bad, { pushFrame: () => undefined }),
      (e: unknown) => e instanceof CaptureFileError && e.message.startsWith(`${bad}: corrupt gzip data (`),
    );
    const notCapture = join(dir, 'text.gz');
    await writeFile(notCapture, gzipSync(Buffer.from('hello, not a capture')));
    await assert.rejects(
      meterCaptureFile(notCapture, { pushFrame: () => undefined }),
      (e: unknown) =>
        e instanceof CaptureFileError &&
        e.message === `${notCapture}: not a pcap or pcapng file (gzip-compressed)`,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('pcapng: a block whose length cannot be is a CaptureFileError naming the file, after the frames before it', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'flowlens-feed-'));
  try {
    const path = join(dir, 'bad.pcapng');
    const file = pcapng([frame(0, 60), frame(1, 60), frame(2, 60)]);
    // The third packet block's length (each is 12 + 20 + 60 bytes) made 13: not a multiple of 4.
    const third = file.length - 92;
    new DataView(file.buffer).setUint32(third + 4, 13, true);
    await writeFile(path, file);
    let pushed = 0;
    await assert.rejects(
      meterCaptureFile(path, { pushFrame: () => void pushed++ }),
      (e: unknown) =>
        e instanceof CaptureFileError && e.message === `${path}: corrupt pcapng block (type 6, length 13)`,
    );
    assert.equal(pushed, 2);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
