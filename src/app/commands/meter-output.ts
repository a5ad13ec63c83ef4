/**
 * Output of `flowlens meter`: lines collected into large buffers, so the
 * stream sees one `write` per megabyte rather than one per flow; buffers
 * the stream has written are used again (ChunkPool).
 */
import { once } from 'node:events';
import { WriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import type { JsonOut } from '../../meter/index.ts';

const CHUNK_BYTES = 1 << 20;

/** Lines gathered into buffers; also where the meter appends JSON Lines directly (JsonOut). */
export interface LineBuffer extends JsonOut {
  add(line: Uint8Array): void;
  addText(text: string): void;
  /** The full buffers and the current one (cut), in order; the buffer starts empty again. */
  take(): Uint8Array[];
}

/**
 * CHUNK_BYTES buffers whose lines the stream has written, for the next
 * lines: fresh memory costs a page fault every 4 KiB (200,000 flows are
 * about 90 MB of JSON, about 0.08 s of CPU when every buffer is new).
 */
export interface ChunkPool {
  /** A spare buffer, or a new one. */
  get(): Uint8Array;
  /** `chunk` (or the buffer it views) is no longer used by anyone: kept if it is a whole chunk buffer. */
  put(chunk: Uint8Array): void;
}

/** Spare buffers kept at most: a flush writes each before it fills the next. */
const MAX_SPARE_CHUNKS = 4;

export function createChunkPool(): ChunkPool {
  const spare: Uint8Array[] = [];
  return {
    get: () => spare.pop() ?? new Uint8Array(CHUNK_BYTES),
    put(chunk) {
      const b = chunk.buffer;
      if (spare.length < MAX_SPARE_CHUNKS && b instanceof ArrayBuffer && b.byteLength === CHUNK_BYTES)
        spare.push(new Uint8Array(b));
    },
  };
}

/** A LineBuffer of CHUNK_BYTES buffers (from `pool`, if given). */
export function createLineBuffer(pool?: ChunkPool): LineBuffer {
  let full: Uint8Array[] = [];
  const lb: LineBuffer = {
    buf: pool?.get() ?? new Uint8Array(CHUNK_BYTES),
    used: 0,
    reserve(bytes) {
      if (lb.used + bytes <= lb.buf.length) return;
      if (lb.used > 0) full.push(lb.buf.subarray(0, lb.used));
      lb.buf = pool && bytes <= CHUNK_BYTES ? pool.get() : new Uint8Array(Math.max(CHUNK_BYTES, bytes));
      lb.used = 0;
    },
    add(line) {
      lb.reserve(line.length);
      lb.buf.set(line, lb.used);
      lb.used += line.length;
    },
    addText: (text) => lb.add(Buffer.from(text)),
    take() {
      lb.reserve(lb.buf.length); // cuts the current buffer
      const taken = full;
      full = [];
      return taken;
    },
  };
  return lb;
}

/** Bytes in `chunks` (what LineBuffer.take gives). */
export function byteLength(chunks: readonly Uint8Array[]): number {
  return chunks.reduce((n, c) => n + c.length, 0);
}

/** Writes buffers to a stream with back-pressure; a reader that went away (EPIPE) ends the output quietly. */
export interface StreamWriter {
  write(chunks: readonly Uint8Array[]): Promise<void>;
}

/**
 * True for streams that write to a file descriptor themselves (stdout, a
 * file): once a write's callback has run, they hold no reference to its
 * chunk, which can then be used again. Another Writable may keep chunks it
 * was given (a test collecting output does).
 */
export function writesToDescriptor(out: Writable): boolean {
  return out === process.stdout || out === process.stderr || out instanceof WriteStream;
}

/**
 * A writer to `out`; each chunk written goes back to `pool` once the stream
 * has written it (only for a stream that lets go of it: writesToDescriptor).
 */
export function createStreamWriter(out: Writable, pool?: ChunkPool): StreamWriter {
  let closed = false; // a reader that went away ends the output, not the metering
  out.on('error', () => (closed = true));
  return {
    async write(chunks) {
      for (const c of chunks) {
        if (closed) return;
        const more = pool
          ? out.write(c, (err) => {
              if (!err) pool.put(c);
            })
          : out.write(c);
        if (!more) await once(out, 'drain').catch(() => (closed = true));
      }
    },
  };
}
