/**
 * Output of `flowlens meter`: lines collected into large buffers, so the
 * stream sees one `write` per megabyte rather than one per flow.
 */
import { once } from 'node:events';
import type { Writable } from 'node:stream';

const CHUNK_BYTES = 1 << 20;

/** Lines gathered into buffers. */
export interface LineBuffer {
  add(line: Uint8Array): void;
  addText(text: string): void;
  /** The full buffers and the current one (cut), in order; the buffer starts empty again. */
  take(): Uint8Array[];
}

/** A LineBuffer of CHUNK_BYTES buffers. */
export function createLineBuffer(): LineBuffer {
  let chunk = new Uint8Array(CHUNK_BYTES);
  let used = 0;
  let full: Uint8Array[] = [];
  const cut = (): void => {
    if (used > 0) full.push(chunk.subarray(0, used));
    chunk = new Uint8Array(CHUNK_BYTES);
    used = 0;
  };
  const add = (line: Uint8Array): void => {
    if (used + line.length > chunk.length) {
      cut();
      if (line.length > chunk.length) return void full.push(line.slice());
    }
    chunk.set(line, used);
    used += line.length;
  };
  return {
    add,
    addText: (text) => add(Buffer.from(text)),
    take() {
      cut();
      const taken = full;
      full = [];
      return taken;
    },
  };
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
