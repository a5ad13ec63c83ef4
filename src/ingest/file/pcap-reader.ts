import {
  asCaptureFileError,
  captureChunks,
  CaptureFileError,
  detectCaptureFile,
  PCAP_MAGIC_NS,
  PCAP_MAGIC_US,
} from './capture-bytes.ts';
import { MAX_BLOCK_BYTES, pcapngPackets } from './pcapng.ts';

export { CaptureFileError };

/** One captured frame as stored in the file. */
export interface CapturedPacket {
  /** Capture time, epoch milliseconds (fractional part keeps µs/ns). */
  tsMs: number;
  /** LINKTYPE_* of the interface the frame was captured on (tcpdump.org/linktypes.html). */
  linkType: number;
  /** The captured bytes (may be shorter than origLen when cut by the snap length). */
  data: Uint8Array;
  origLen: number;
}

/** A classic pcap file's header, and each record's (time, captured and original length). */
export const PCAP_HEADER_BYTES = 24;
export const PCAP_RECORD_HEADER_BYTES = 16;

/** What a classic pcap file's header says. */
export interface PcapHeader {
  /** Little-endian fields. */
  le: boolean;
  /** Nanosecond rather than microsecond timestamps. */
  nano: boolean;
  linkType: number;
}

/** Reads the header at the start of `v` (PCAP_HEADER_BYTES of a file whose magic number detectCaptureFormat checked). */
export function pcapHeader(v: DataView): PcapHeader {
  const magicLe = v.getUint32(0, true);
  const le = magicLe === PCAP_MAGIC_US || magicLe === PCAP_MAGIC_NS;
  const nano = (le ? magicLe : v.getUint32(0, false)) === PCAP_MAGIC_NS;
  // The link type lives in the low 16 bits; the upper bits carry FCS flags (pcap-savefile(5)).
  return { le, nano, linkType: v.getUint32(20, le) & 0xffff };
}

/** pcap or pcapng, compressed or not (detectCaptureFile); throws CaptureFileError for anything else. */
export async function detectCaptureFormat(path: string): Promise<'pcap' | 'pcapng'> {
  return detectCaptureFile(path).format;
}

/**
 * Streams the frames of a pcap or pcapng file, gzip-compressed or not,
 * without holding the file in memory. A truncated last record ends the
 * stream quietly (as tshark does).
 */
export async function* readPackets(path: string): AsyncGenerator<CapturedPacket> {
  const kind = detectCaptureFile(path);
  const chunks = captureChunks(path, kind);
  if (kind.format === 'pcap') {
    yield* parsePcap(chunks);
    return;
  }
  try {
    yield* pcapngPackets(chunks);
  } catch (cause) {
    throw asCaptureFileError(path, cause);
  }
}

/** A growable window over a byte stream. */
class ByteWindow {
  buf = new Uint8Array(0);
  pos = 0;
  push(chunk: Uint8Array): void {
    const rest = this.buf.subarray(this.pos);
    const next = new Uint8Array(rest.length + chunk.length);
    next.set(rest, 0);
    next.set(chunk, rest.length);
    this.buf = next;
    this.pos = 0;
  }
  get available(): number {
    return this.buf.length - this.pos;
  }
  view(): DataView {
    return new DataView(this.buf.buffer, this.buf.byteOffset + this.pos, this.available);
  }
}

/** Pulls chunks into `w` until `n` bytes are available; false at end of stream. */
async function fill(w: ByteWindow, src: AsyncGenerator<Uint8Array>, n: number): Promise<boolean> {
  while (w.available < n) {
    const { value, done } = await src.next();
    if (done) return false;
    w.push(value);
  }
  return true;
}

async function* parsePcap(src: AsyncGenerator<Uint8Array>): AsyncGenerator<CapturedPacket> {
  const w = new ByteWindow();
  if (!(await fill(w, src, PCAP_HEADER_BYTES))) return;
  let v = w.view();
  const { le, nano, linkType } = pcapHeader(v);
  w.pos += PCAP_HEADER_BYTES;
  const R = PCAP_RECORD_HEADER_BYTES;
  for (;;) {
    if (!(await fill(w, src, R))) return;
    v = w.view();
    const sec = v.getUint32(0, le);
    const frac = v.getUint32(4, le);
    const capLen = v.getUint32(8, le);
    const origLen = v.getUint32(12, le);
    if (capLen > MAX_BLOCK_BYTES)
      throw new CaptureFileError(`corrupt pcap record (captured length ${capLen})`);
    if (!(await fill(w, src, R + capLen))) return;
    const data = w.buf.slice(w.pos + R, w.pos + R + capLen);
    w.pos += R + capLen;
    yield { tsMs: sec * 1000 + (nano ? frac / 1e6 : frac / 1e3), linkType, data, origLen };
  }
}
