/**
 * The bytes of a capture file, gzip-compressed or not (`.pcap.gz`,
 * `.pcapng.gz`, as tshark and Wireshark read them): what the file is, and
 * its bytes read into a caller's buffer or streamed in chunks. zlib is
 * loaded only for a compressed file.
 */
import { closeSync, createReadStream, openSync, readSync } from 'node:fs';
import type { Gunzip } from 'node:zlib';
import { PCAPNG_SHB, PcapngStreamError } from './pcapng.ts';

/** Errors a capture file can have; stable codes for the CLI. */
export class CaptureFileError extends Error {
  readonly code = 'FLOWLENS_ERR_CAPTURE_FILE';
}

/** pcap-savefile(5) magic numbers: microsecond and nanosecond timestamps. */
export const PCAP_MAGIC_US = 0xa1b2c3d4;
export const PCAP_MAGIC_NS = 0xa1b23c4d;
/** RFC 1952 §2.3.1: ID1, ID2. */
const GZIP_MAGIC = 0x1f8b;
/** Compressed bytes inflated to find a gzip file's capture format: a deflate block's header and more. */
const GZIP_PEEK_BYTES = 4096;
/** Chunks read from a file for streaming. */
const STREAM_CHUNK_BYTES = 1 << 20;
/** Chunks gunzip writes out (zlib's default is 16 KB). */
const GUNZIP_CHUNK_BYTES = 128 * 1024;

/** What a capture file holds. */
export interface CaptureFileKind {
  format: 'pcap' | 'pcapng';
  /** gzip-compressed (one member or several). */
  gzip: boolean;
}

/**
 * Checks the magic number, under gzip's when the file is compressed; throws
 * CaptureFileError for anything but pcap/pcapng. Read synchronously: three
 * round trips through libuv's thread pool (open, read, close), and starting
 * the pool, cost more than the reads (about 2 ms of `flowlens meter`'s
 * start-up).
 */
export function detectCaptureFile(path: string): CaptureFileKind {
  const fd = openCapture(path);
  try {
    let head: Uint8Array = Buffer.alloc(GZIP_PEEK_BYTES);
    head = head.subarray(0, readSync(fd, head, 0, GZIP_PEEK_BYTES, 0));
    const gzip = head.length >= 2 && ((head[0]! << 8) | head[1]!) === GZIP_MAGIC;
    if (gzip) head = inflateStart(path, head);
    if (head.length < 4) throw new CaptureFileError(`${path}: too short to be a capture file`);
    const v = new DataView(head.buffer, head.byteOffset, 4);
    const le = v.getUint32(0, true);
    const be = v.getUint32(0, false);
    if (le === PCAPNG_SHB) return { format: 'pcapng', gzip };
    if ([PCAP_MAGIC_US, PCAP_MAGIC_NS].includes(le) || [PCAP_MAGIC_US, PCAP_MAGIC_NS].includes(be))
      return { format: 'pcap', gzip };
    throw new CaptureFileError(`${path}: not a pcap or pcapng file${gzip ? ' (gzip-compressed)' : ''}`);
  } finally {
    closeSync(fd);
  }
}

/** A capture file's bytes, decompressed, read on demand into the caller's buffer. */
export interface CaptureBytes {
  /**
   * Reads up to `want` bytes into `buf` at `at` (fewer only at the end; 0
   * there). A plain file is read synchronously: a number, not a promise.
   */
  read(buf: Uint8Array, at: number, want: number): number | Promise<number>;
  close(): void;
}

/** Opens `path` for reading as `kind` says (detectCaptureFile). */
export function openCaptureBytes(path: string, kind: CaptureFileKind): CaptureBytes {
  if (!kind.gzip) {
    const fd = openCapture(path); // as the reads: no round trip through the thread pool
    return { read: (buf, at, want) => readSync(fd, buf, at, want, null), close: () => closeSync(fd) };
  }
  const stream = gunzipStream(path);
  const chunks = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  let pending: Uint8Array | undefined;
  return {
    async read(buf, at, want) {
      let n = 0;
      while (n < want) {
        if (!pending) {
          const next = await chunks.next().catch((cause: unknown) => Promise.reject(gzipError(path, cause)));
          if (next.done) break;
          pending = next.value;
        }
        const take = Math.min(want - n, pending.length);
        buf.set(pending.subarray(0, take), at + n);
        n += take;
        pending = take === pending.length ? undefined : pending.subarray(take);
      }
      return n;
    },
    close: () => stream.destroy(),
  };
}

/** A capture file's bytes in chunks, decompressed; errors in gzip data are CaptureFileErrors. */
export async function* captureChunks(path: string, kind: CaptureFileKind): AsyncGenerator<Uint8Array> {
  const stream = kind.gzip
    ? gunzipStream(path)
    : createReadStream(path, { highWaterMark: STREAM_CHUNK_BYTES });
  try {
    for await (const chunk of stream) yield chunk as Buffer;
  } catch (cause) {
    throw kind.gzip ? gzipError(path, cause) : cause;
  } finally {
    stream.destroy();
  }
}

/** An error met reading `path`'s blocks, as the file's: a pcapng block that cannot be is a CaptureFileError naming it. */
export function asCaptureFileError(path: string, cause: unknown): unknown {
  return cause instanceof PcapngStreamError
    ? new CaptureFileError(`${path}: ${cause.message}`, { cause })
    : cause;
}

function openCapture(path: string): number {
  try {
    return openSync(path, 'r');
  } catch (cause) {
    throw new CaptureFileError(`cannot open ${path}: ${(cause as Error).message}`, { cause });
  }
}

/**
 * The file through gunzip. A file cut short ends where its data does (as a
 * cut capture does), not with an error; corrupt data is an error.
 */
function gunzipStream(path: string): Gunzip {
  const { createGunzip, constants } = process.getBuiltinModule('node:zlib');
  const { pipeline } = process.getBuiltinModule('node:stream');
  const gunzip = createGunzip({ finishFlush: constants.Z_SYNC_FLUSH, chunkSize: GUNZIP_CHUNK_BYTES });
  // pipeline, not pipe: destroying gunzip (close, an error) closes the file too; errors reach the reader
  // through gunzip, destroyed with them.
  pipeline(createReadStream(path, { highWaterMark: STREAM_CHUNK_BYTES }), gunzip, () => undefined);
  return gunzip;
}

/** The first bytes of a gzip file's data, from its first compressed bytes. */
function inflateStart(path: string, head: Uint8Array): Uint8Array {
  const { gunzipSync, constants } = process.getBuiltinModule('node:zlib');
  try {
    return gunzipSync(head, { finishFlush: constants.Z_SYNC_FLUSH });
  } catch (cause) {
    throw gzipError(path, cause);
  }
}

function gzipError(path: string, cause: unknown): Error {
  if (cause instanceof CaptureFileError) return cause;
  const code = (cause as { code?: unknown }).code;
  if (typeof code !== 'string' || !code.startsWith('Z_')) return cause as Error;
  return new CaptureFileError(`${path}: corrupt gzip data (${(cause as Error).message})`, { cause });
}
