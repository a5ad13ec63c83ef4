/**
 * Feeds a capture file (pcap or pcapng, gzip-compressed or not) to a meter
 * as fast as the disk gives it: the file is read in chunks and each frame is
 * pushed as a sub-array of the chunk (no copy, no object, no await per
 * packet), classic pcap records by walkRecords here, pcapng blocks by
 * ingest/file's block walker. Errors in the file: CaptureFileError (from
 * ingest/file).
 */
import {
  asCaptureFileError,
  CaptureFileError,
  detectCaptureFile,
  openCaptureBytes,
  type CaptureBytes,
  newPcapngSection,
  pcapHeader,
  pcapngBlockBytes,
  PCAP_HEADER_BYTES,
  PCAPNG_BLOCK_HEADER_BYTES,
  walkPcapngBlocks,
} from '../ingest/file/index.ts';

const CHUNK_BYTES = 128 * 1024;
/** Room for the partial record a chunk ends with, before the next chunk in the buffer. */
const CARRY_BYTES = 64 * 1024;
/**
 * A pcap record's header (pcap-savefile(5)), and the largest record taken
 * as real: ingest/file's PCAP_RECORD_HEADER_BYTES and MAX_BLOCK_BYTES, as
 * this module's own constants, which V8 folds into walkRecords' loop. The
 * imported bindings (another chunk of the bundle) stayed a load and a check
 * at each use, or, read once before the loop, registers it could not fold
 * (callgrind, 1M records: 15 M and 8.6 M more instructions).
 */
const RECORD_HEADER_BYTES = 16;
const MAX_RECORD_BYTES = 16 * 1024 * 1024;

/** Where frames go. */
export interface FrameSink {
  /** The frame is `data[start..end)`; `data` is reused after the call returns. */
  pushFrame(tsMs: number, linkType: number, data: Uint8Array, start: number, end: number): void;
  /** Called between chunks of frames (a promise is awaited before reading on): a place to write output. */
  chunkDone?(): Promise<void> | undefined;
}

/**
 * Pushes every frame of the pcap/pcapng file at `path` (gzip-compressed or
 * not) into `sink`; resolves with the frame count.
 */
export async function meterCaptureFile(path: string, sink: FrameSink): Promise<number> {
  const kind = detectCaptureFile(path);
  const bytes = openCaptureBytes(path, kind);
  try {
    const buf = new Uint8Array(CARRY_BYTES + CHUNK_BYTES);
    const have = await bytes.read(buf, 0, CHUNK_BYTES);
    const units = kind.format === 'pcap' ? pcapRecords(path, sink, buf, have) : pcapngBlocks(sink);
    return units ? await feedChunks(bytes, sink, buf, have, units) : 0;
  } catch (cause) {
    throw asCaptureFileError(path, cause);
  } finally {
    bytes.close();
  }
}

/** How one format's units (pcap records, pcapng blocks) are walked in the chunks of feedChunks. */
interface ChunkWalk {
  /** Where the next unit starts in the buffer. */
  pos: number;
  /** Frames pushed so far. */
  frames: number;
  /** The leading bytes of a unit that tell its length. */
  headerBytes: number;
  /** Pushes the whole units of `buf[pos..have)` into the sink and moves `pos` past them. */
  walk(buf: Uint8Array, dv: DataView, have: number): void;
  /** The length of the unit at `pos`, whose first `headerBytes` are in the buffer. */
  unitBytes(dv: DataView, pos: number): number;
}

/** The records of a classic pcap whose first chunk is `buf[0..have)`; none when the header is cut. */
function pcapRecords(path: string, sink: FrameSink, buf: Uint8Array, have: number): ChunkWalk | undefined {
  if (have < PCAP_HEADER_BYTES) return undefined;
  const { le, nano, linkType } = pcapHeader(new DataView(buf.buffer));
  const file: PcapFile = { path, le, fracMs: nano ? 1e-6 : 1e-3, linkType };
  const records: ChunkWalk = {
    pos: PCAP_HEADER_BYTES,
    frames: 0,
    headerBytes: RECORD_HEADER_BYTES,
    walk: (b, dv, end) => walkRecords(file, records, sink, b, dv, end),
    unitBytes: (dv, pos) => RECORD_HEADER_BYTES + dv.getUint32(pos + 8, le),
  };
  return records;
}

/** The blocks of a pcapng: a frame is a view of the chunk as a pcap record is. */
function pcapngBlocks(sink: FrameSink): ChunkWalk {
  const section = newPcapngSection();
  return {
    pos: 0,
    frames: 0,
    headerBytes: PCAPNG_BLOCK_HEADER_BYTES,
    walk(b, dv, end) {
      this.pos = walkPcapngBlocks(section, sink, b, dv, this.pos, end);
      this.frames = section.frames;
    },
    unitBytes: (dv, pos) => pcapngBlockBytes(section, dv, pos),
  };
}

/**
 * A chunk of the file is read (synchronously, for a file that is not
 * compressed; from zlib's stream for a gzip one) into the buffer after the
 * partial unit the previous chunk ended with, once that chunk is metered.
 * Read on this thread, a chunk is still in this core's cache when its
 * packets are decoded: measured against reading 4 MB ahead on libuv's thread
 * pool, 5-8 % less wall and CPU time on 1M packets. 128 KB rather than 512
 * KB leaves more of a 1 MB second-level cache to the flow table (1M packets,
 * 20 alternating rounds: 0.46-0.48 s against 0.49-0.52 s at best).
 */
async function feedChunks(
  bytes: CaptureBytes,
  sink: FrameSink,
  buf: Uint8Array,
  have: number,
  w: ChunkWalk,
): Promise<number> {
  let dv = new DataView(buf.buffer);
  for (;;) {
    w.walk(buf, dv, have);
    const pos = w.pos;
    await sink.chunkDone?.();
    // The partial unit moves to the front and the next chunk is read after it. A unit longer
    // than that (its header gives its length) is read whole at once, into a buffer grown for it
    // once: a 16 MB record is not read, moved and regrown a chunk at a time.
    const rest = have - pos;
    const need = rest >= w.headerBytes ? w.unitBytes(dv, pos) : 0;
    const want = Math.max(CHUNK_BYTES, need - rest);
    if (rest + want > buf.length) {
      const larger = new Uint8Array(rest + want);
      larger.set(buf.subarray(pos, have));
      buf = larger;
      dv = new DataView(buf.buffer);
    } else buf.copyWithin(0, pos, have);
    const read = bytes.read(buf, rest, want);
    const bytesRead = typeof read === 'number' ? read : await read;
    if (bytesRead === 0) return w.frames; // a cut last unit ends the file quietly, as tshark does
    w.pos = 0;
    have = rest + bytesRead;
  }
}

/** What a pcap file's header says (and its path, for errors). */
interface PcapFile {
  path: string;
  /** Little-endian fields. */
  le: boolean;
  /** Milliseconds per unit of the records' fractional timestamp (micro- or nanoseconds). */
  fracMs: number;
  linkType: number;
}

/** Where walkRecords stopped: the first record not pushed, and frames pushed so far. */
interface RecordWalk {
  pos: number;
  frames: number;
}

/**
 * Pushes the whole records of `buf[w.pos..have)` into `sink`, leaving `w.pos`
 * at the first record not wholly there. Apart from the chunk loop of
 * feedPcap: V8 optimises this loop, the per-packet part, on its own, without
 * the reading, the awaits and the output writing that run once a chunk
 * (compiled into it, they made feedPcap's optimisation take 11-18 ms, twice
 * a run, as a path first run after it deoptimised it).
 */
function walkRecords(
  f: PcapFile,
  w: RecordWalk,
  sink: FrameSink,
  buf: Uint8Array,
  dv: DataView,
  have: number,
): void {
  const { le, fracMs, linkType } = f;
  let pos = w.pos;
  let frames = w.frames;
  while (pos + RECORD_HEADER_BYTES <= have) {
    const capLen = dv.getUint32(pos + 8, le);
    if (capLen > MAX_RECORD_BYTES)
      throw new CaptureFileError(`${f.path}: corrupt pcap record (captured length ${capLen})`);
    if (pos + RECORD_HEADER_BYTES + capLen > have) break;
    const tsMs = dv.getUint32(pos, le) * 1000 + dv.getUint32(pos + 4, le) * fracMs;
    const start = pos + RECORD_HEADER_BYTES;
    sink.pushFrame(tsMs, linkType, buf, start, start + capLen);
    frames++;
    pos = start + capLen;
  }
  w.pos = pos;
  w.frames = frames;
}
