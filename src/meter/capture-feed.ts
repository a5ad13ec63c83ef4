/**
 * Feeds a capture file to a meter as fast as the disk gives it: classic pcap
 * is parsed here in large chunks and each frame is pushed as a sub-array (no
 * copy, no object, no await per packet); pcapng goes through ingest/file's
 * reader. Errors in the file: CaptureFileError (from ingest/file).
 */
import { open } from 'node:fs/promises';
import { CaptureFileError, detectCaptureFormat, readPackets } from '../ingest/file/index.ts';

const CHUNK_BYTES = 4 * 1024 * 1024;
const PCAP_HEADER_BYTES = 24;
const RECORD_HEADER_BYTES = 16;
/** pcap-savefile(5) magic numbers: microsecond and nanosecond timestamps. */
const PCAP_MAGIC_US = 0xa1b2c3d4;
const PCAP_MAGIC_NS = 0xa1b23c4d;
/** A record larger than this is corruption, not a frame. */
const MAX_RECORD_BYTES = 16 * 1024 * 1024;

/** Where frames go. */
export interface FrameSink {
  /** The frame is `data[start..end)`; `data` is reused after the call returns. */
  pushFrame(tsMs: number, linkType: number, data: Uint8Array, start: number, end: number): void;
  /** Called between chunks of frames (a promise is awaited before reading on): a place to write output. */
  chunkDone?(): Promise<void> | undefined;
}

/** pcapng frames come one by one: `chunkDone` every this many. */
const PCAPNG_FRAMES_PER_CHUNK = 4096;

/** Pushes every frame of the pcap/pcapng file at `path` into `sink`; resolves with the frame count. */
export async function meterCaptureFile(path: string, sink: FrameSink): Promise<number> {
  const format = await detectCaptureFormat(path);
  if (format === 'pcapng') {
    let n = 0;
    for await (const p of readPackets(path)) {
      sink.pushFrame(p.tsMs, p.linkType, p.data, 0, p.data.length);
      if (++n % PCAPNG_FRAMES_PER_CHUNK === 0) await sink.chunkDone?.();
    }
    return n;
  }
  return feedPcap(path, sink);
}

/**
 * Room in front of each chunk for the partial record the previous chunk ended
 * with: the next chunk is read (into the other buffer, after this room) while
 * the current one is metered, and the partial record is then copied in front.
 */
const CARRY_BYTES = 256 * 1024;

async function feedPcap(path: string, sink: FrameSink): Promise<number> {
  const fh = await open(path, 'r');
  try {
    let buf = new Uint8Array(CARRY_BYTES + CHUNK_BYTES);
    let dv = new DataView(buf.buffer);
    let spare = new Uint8Array(CARRY_BYTES + CHUNK_BYTES);
    let have = CARRY_BYTES + (await fh.read(buf, CARRY_BYTES, CHUNK_BYTES, null)).bytesRead;
    if (have < CARRY_BYTES + PCAP_HEADER_BYTES) return 0;
    const magic = dv.getUint32(CARRY_BYTES, true);
    const le = magic === PCAP_MAGIC_US || magic === PCAP_MAGIC_NS;
    const nano = (le ? magic : dv.getUint32(CARRY_BYTES, false)) === PCAP_MAGIC_NS;
    const fracMs = nano ? 1e-6 : 1e-3;
    const linkType = dv.getUint32(CARRY_BYTES + 20, le) & 0xffff;
    let pos = CARRY_BYTES + PCAP_HEADER_BYTES;
    let frames = 0;
    for (;;) {
      // Reading the next chunk overlaps metering this one (the read runs on libuv's thread pool).
      const ahead = fh.read(spare, CARRY_BYTES, CHUNK_BYTES, null);
      ahead.catch(() => undefined); // awaited below; an error thrown first leaves it unawaited (close waits for it)
      while (pos + RECORD_HEADER_BYTES <= have) {
        const capLen = dv.getUint32(pos + 8, le);
        if (capLen > MAX_RECORD_BYTES)
          throw new CaptureFileError(`${path}: corrupt pcap record (captured length ${capLen})`);
        if (pos + RECORD_HEADER_BYTES + capLen > have) break;
        const tsMs = dv.getUint32(pos, le) * 1000 + dv.getUint32(pos + 4, le) * fracMs;
        const start = pos + RECORD_HEADER_BYTES;
        sink.pushFrame(tsMs, linkType, buf, start, start + capLen);
        frames++;
        pos = start + capLen;
      }
      await sink.chunkDone?.();
      const { bytesRead } = await ahead;
      if (bytesRead === 0) return frames; // a cut last record ends the file quietly, as tshark does
      const rest = have - pos;
      if (rest <= CARRY_BYTES) {
        // The partial record goes in front of the chunk just read; the buffers swap.
        spare.set(buf.subarray(pos, have), CARRY_BYTES - rest);
        const done = buf;
        buf = spare;
        dv = new DataView(buf.buffer);
        spare = done.length === CARRY_BYTES + CHUNK_BYTES ? done : new Uint8Array(CARRY_BYTES + CHUNK_BYTES);
        pos = CARRY_BYTES - rest;
        have = CARRY_BYTES + bytesRead;
      } else {
        // A record longer than the carry room: joined with the chunk read into a larger buffer (rare).
        const joined = new Uint8Array(CARRY_BYTES + rest + bytesRead);
        joined.set(buf.subarray(pos, have), CARRY_BYTES);
        joined.set(spare.subarray(CARRY_BYTES, CARRY_BYTES + bytesRead), CARRY_BYTES + rest);
        buf = joined;
        dv = new DataView(buf.buffer);
        pos = CARRY_BYTES;
        have = CARRY_BYTES + rest + bytesRead;
      }
    }
  } finally {
    await fh.close();
  }
}
