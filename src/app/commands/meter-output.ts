/**
 * Output of `flowlens meter`: lines collected into large buffers, so the
 * stream sees one `write` per megabyte rather than one per flow.
 */
import { once } from 'node:events';
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

/** A LineBuffer of CHUNK_BYTES buffers. */
export function createLineBuffer(): LineBuffer {
  let full: Uint8Array[] = [];
  const lb: LineBuffer = {
    buf: new Uint8Array(CHUNK_BYTES),
    used: 0,
    reserve(bytes) {
      if (lb.used + bytes <= lb.buf.length) return;
      if (lb.used > 0) full.push(lb.buf.subarray(0, lb.used));
      lb.buf = new Uint8Array(Math.max(CHUNK_BYTES, bytes));
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

/** Writes buffers to a stream with back-pressure; a reader that went away (EPIPE) ends the output quietly. */
export interface StreamWriter {
  write(chunks: readonly Uint8Array[]): Promise<void>;
}

export function createStreamWriter(out: Writable): StreamWriter {
  let closed = false; // a reader that went away ends the output, not the metering
  out.on('error', () => (closed = true));
  return {
    async write(chunks) {
      for (const c of chunks) {
        if (closed) return;
        if (!out.write(c)) await once(out, 'drain').catch(() => (closed = true));
      }
    },
  };
}
