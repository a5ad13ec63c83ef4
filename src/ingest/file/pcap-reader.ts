import { closeSync, createReadStream, openSync, readSync } from 'node:fs';

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

/** Errors a capture file can have; stable codes for the CLI. */
export class CaptureFileError extends Error {
  readonly code = 'FLOWLENS_ERR_CAPTURE_FILE';
}

const PCAP_MAGIC_US = 0xa1b2c3d4;
const PCAP_MAGIC_NS = 0xa1b23c4d;
const PCAPNG_SHB = 0x0a0d0d0a;
const PCAPNG_BYTE_ORDER = 0x1a2b3c4d;
/** A block larger than this is corrupt rather than real (pcapng blocks carry one frame). */
const MAX_BLOCK_BYTES = 16 * 1024 * 1024;

/**
 * Checks the magic number; throws CaptureFileError for anything but
 * pcap/pcapng. Its four bytes are read synchronously: three round trips
 * through libuv's thread pool (open, read, close), and starting the pool,
 * cost more than the reads (about 2 ms of `flowlens meter`'s start-up).
 */
export async function detectCaptureFormat(path: string): Promise<'pcap' | 'pcapng'> {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (cause) {
    throw new CaptureFileError(`cannot open ${path}: ${(cause as Error).message}`, { cause });
  }
  try {
    const b = Buffer.alloc(4);
    const bytesRead = readSync(fd, b, 0, 4, 0);
    if (bytesRead < 4) throw new CaptureFileError(`${path}: too short to be a capture file`);
    const le = b.readUInt32LE(0);
    const be = b.readUInt32BE(0);
    if (le === PCAPNG_SHB) return 'pcapng';
    if ([PCAP_MAGIC_US, PCAP_MAGIC_NS].includes(le) || [PCAP_MAGIC_US, PCAP_MAGIC_NS].includes(be))
      return 'pcap';
    throw new CaptureFileError(`${path}: not a pcap or pcapng file`);
  } finally {
    closeSync(fd);
  }
}

/**
 * Streams the frames of a pcap or pcapng file without holding the file in
 * memory. A truncated last record ends the stream quietly (as tshark does).
 */
export async function* readPackets(path: string): AsyncGenerator<CapturedPacket> {
  const format = await detectCaptureFormat(path);
  const chunks = byteChunks(path);
  yield* format === 'pcap' ? parsePcap(chunks) : parsePcapng(chunks);
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

async function* byteChunks(path: string): AsyncGenerator<Uint8Array> {
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) yield chunk as Buffer;
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
  if (!(await fill(w, src, 24))) return;
  let v = w.view();
  const magicLe = v.getUint32(0, true);
  const le = magicLe === PCAP_MAGIC_US || magicLe === PCAP_MAGIC_NS;
  const nano = (le ? magicLe : v.getUint32(0, false)) === PCAP_MAGIC_NS;
  // The link type lives in the low 16 bits; the upper bits carry FCS flags (pcap-savefile(5)).
  const linkType = v.getUint32(20, le) & 0xffff;
  w.pos += 24;
  for (;;) {
    if (!(await fill(w, src, 16))) return;
    v = w.view();
    const sec = v.getUint32(0, le);
    const frac = v.getUint32(4, le);
    const capLen = v.getUint32(8, le);
    const origLen = v.getUint32(12, le);
    if (capLen > MAX_BLOCK_BYTES)
      throw new CaptureFileError(`corrupt pcap record (captured length ${capLen})`);
    if (!(await fill(w, src, 16 + capLen))) return;
    const data = w.buf.slice(w.pos + 16, w.pos + 16 + capLen);
    w.pos += 16 + capLen;
    yield { tsMs: sec * 1000 + (nano ? frac / 1e6 : frac / 1e3), linkType, data, origLen };
  }
}

interface PcapngInterface {
  linkType: number;
  /** Ticks per second of this interface's timestamps (if_tsresol, default 10^6). */
  ticksPerSecond: number;
}

async function* parsePcapng(src: AsyncGenerator<Uint8Array>): AsyncGenerator<CapturedPacket> {
  const w = new ByteWindow();
  let le = true;
  let interfaces: PcapngInterface[] = [];
  for (;;) {
    if (!(await fill(w, src, 12))) return;
    let v = w.view();
    const rawType = v.getUint32(0, true);
    if (rawType === PCAPNG_SHB) {
      // A section header fixes the byte order of everything up to the next one.
      le = v.getUint32(8, true) === PCAPNG_BYTE_ORDER;
      interfaces = [];
    }
    const type = v.getUint32(0, le);
    const len = v.getUint32(4, le);
    if (len < 12 || len % 4 !== 0 || len > MAX_BLOCK_BYTES) {
      throw new CaptureFileError(`corrupt pcapng block (type ${type}, length ${len})`);
    }
    if (!(await fill(w, src, len))) return;
    v = w.view();
    const body = new DataView(v.buffer, v.byteOffset + 8, len - 12);
    if (type === 1) interfaces.push(parseInterfaceBlock(body, le));
    else if (type === 6 || type === 2) {
      const pkt = parsePacketBlock(type, body, le, interfaces);
      if (pkt) yield pkt;
    } else if (type === 3 && interfaces[0] && body.byteLength >= 4) {
      const origLen = body.getUint32(0, le);
      const capLen = Math.min(origLen, body.byteLength - 4);
      const data = new Uint8Array(body.buffer.slice(body.byteOffset + 4, body.byteOffset + 4 + capLen));
      yield { tsMs: 0, linkType: interfaces[0].linkType, data, origLen };
    }
    w.pos += len;
  }
}

function parseInterfaceBlock(body: DataView, le: boolean): PcapngInterface {
  const iface: PcapngInterface = { linkType: body.getUint16(0, le), ticksPerSecond: 1e6 };
  // Options start after linktype(2) reserved(2) snaplen(4).
  for (let o = 8; o + 4 <= body.byteLength;) {
    const code = body.getUint16(o, le);
    const olen = body.getUint16(o + 2, le);
    if (code === 0) break;
    if (code === 9 && olen >= 1 && o + 5 <= body.byteLength) {
      // if_tsresol: MSB set = power of 2, else power of 10 (pcapng §4.2).
      const r = body.getUint8(o + 4);
      iface.ticksPerSecond = r & 0x80 ? 2 ** (r & 0x7f) : 10 ** r;
    }
    o += 4 + ((olen + 3) & ~3);
  }
  return iface;
}

function parsePacketBlock(
  type: number,
  body: DataView,
  le: boolean,
  interfaces: PcapngInterface[],
): CapturedPacket | undefined {
  // EPB (6) and the obsolete PB (2) share this layout; PB's interface id is 16 bits + drops 16 bits.
  if (body.byteLength < 20) return undefined;
  const ifId = type === 6 ? body.getUint32(0, le) : body.getUint16(0, le);
  const iface = interfaces[ifId];
  if (!iface) return undefined;
  const ticks = body.getUint32(4, le) * 2 ** 32 + body.getUint32(8, le);
  const capLen = body.getUint32(12, le);
  const origLen = body.getUint32(16, le);
  if (20 + capLen > body.byteLength) return undefined;
  const data = new Uint8Array(body.buffer.slice(body.byteOffset + 20, body.byteOffset + 20 + capLen));
  return { tsMs: (ticks / iface.ticksPerSecond) * 1000, linkType: iface.linkType, data, origLen };
}
