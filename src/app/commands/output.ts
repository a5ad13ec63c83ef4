import type { Writable } from 'node:stream';

/**
 * Buffered writing to a stream that respects back-pressure (stdout piped into
 * `head` or a slow consumer) and tolerates EPIPE.
 */
export interface LineWriter {
  write(s: string): Promise<void> | undefined;
  end(): Promise<void>;
}

const FLUSH_BYTES = 64 * 1024;

export function createLineWriter(out: Writable): LineWriter {
  let buf = '';
  let closed = false;
  out.on('error', () => (closed = true));
  const flush = async (): Promise<void> => {
    if (!buf || closed) return;
    const chunk = buf;
    buf = '';
    if (out.write(chunk)) return;
    // Both listeners go once either fires, so long outputs don't pile up listeners.
    await new Promise<void>((resolve) => {
      const done = (): void => {
        out.off('drain', done);
        out.off('error', done);
        resolve();
      };
      out.once('drain', done);
      out.once('error', done);
    });
  };
  return {
    write(s) {
      buf += s;
      return buf.length >= FLUSH_BYTES ? flush() : undefined;
    },
    end: flush,
  };
}
