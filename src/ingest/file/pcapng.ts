/**
 * pcapng blocks, walked in place in a buffer: the one parser behind capture
 * files (pcap-reader.ts), dumpcap's live stream (ingest/capture) and the
 * meter's file feed (meter/capture-feed.ts), which takes each frame as a view
 * of the buffer, without a copy or an object.
 * Block layouts: draft-ietf-opsawg-pcapng (SHB §4.1, IDB §4.2, EPB §4.3,
 * SPB §4.4, ISB §4.6, obsolete PB Appendix A).
 */
import type { CapturedPacket } from './pcap-reader.ts';

export const PCAPNG_SHB = 0x0a0d0d0a;
const BT_IDB = 1;
const BT_PB = 2;
const BT_SPB = 3;
const BT_ISB = 5;
const BT_EPB = 6;
const BYTE_ORDER_MAGIC = 0x1a2b3c4d;
/** Type and length come first in every block, then (in a section header) the byte-order magic. */
export const PCAPNG_BLOCK_HEADER_BYTES = 12;
/** A pcapng block or pcap record larger than this is corrupt rather than real (one carries one frame). */
export const MAX_BLOCK_BYTES = 16 * 1024 * 1024;
/** EPB/PB fields before the frame: interface, timestamp (2 words), captured and original length. */
const PACKET_BLOCK_FIELDS = 20;
/** ISB option codes (pcapng §4.6) and IDB option codes (§4.2). */
const ISB_IFRECV = 4;
const ISB_IFDROP = 5;
const IF_NAME = 2;
const IF_TSRESOL = 9;

/** A stream that is not pcapng or whose blocks make no sense; stable code. */
export class PcapngStreamError extends Error {
  readonly code = 'FLOWLENS_ERR_PCAPNG_STREAM';
}

/** Counters of an Interface Statistics Block (dumpcap writes one per interface when it stops). */
export interface InterfaceStatistics {
  /** Index of the interface in its section. */
  interfaceId: number;
  /** Name from the IDB's if_name option, when given. */
  name?: string;
  /** Packets the interface received (isb_ifrecv). */
  received?: number;
  /** Packets dropped for lack of resources (isb_ifdrop). */
  dropped?: number;
}

/** Where walkPcapngBlocks delivers what the blocks hold. */
export interface PcapngBlockSink {
  /** A frame is `data[start..end)`, cut from `origLen` bytes on the wire; `data` is reused after the call returns. */
  pushFrame(
    tsMs: number,
    linkType: number,
    data: Uint8Array,
    start: number,
    end: number,
    origLen: number,
  ): void;
  /** An interface description block arrived: the capture is open. */
  onInterface?(interfaceId: number, linkType: number, name: string | undefined): void;
  onStatistics?(stats: InterfaceStatistics): void;
}

/** What the blocks walked so far said: the section's byte order and interfaces; frames delivered. */
export interface PcapngSection {
  le: boolean;
  started: boolean;
  linkTypes: number[];
  ticksPerSecond: number[];
  names: (string | undefined)[];
  frames: number;
}

export function newPcapngSection(): PcapngSection {
  return { le: true, started: false, linkTypes: [], ticksPerSecond: [], names: [], frames: 0 };
}

/** The length of the block at `pos` (its first PCAPNG_BLOCK_HEADER_BYTES there), in its section's byte order. */
export function pcapngBlockBytes(s: PcapngSection, dv: DataView, pos: number): number {
  const shb = dv.getUint32(pos, true) === PCAPNG_SHB;
  return dv.getUint32(pos + 4, shb ? dv.getUint32(pos + 8, true) === BYTE_ORDER_MAGIC : s.le);
}

/**
 * Delivers the whole blocks of `buf[pos..have)` to `sink` and returns where
 * the first block not wholly there starts. `dv` views `buf`'s bytes from its
 * first (same offset). Throws PcapngStreamError when the bytes do not start
 * with a section header or a block's length cannot be right.
 */
export function walkPcapngBlocks(
  s: PcapngSection,
  sink: PcapngBlockSink,
  buf: Uint8Array,
  dv: DataView,
  pos: number,
  have: number,
): number {
  while (have - pos >= PCAPNG_BLOCK_HEADER_BYTES) {
    if (dv.getUint32(pos, true) === PCAPNG_SHB) {
      // A section header fixes the byte order of everything up to the next one.
      s.le = dv.getUint32(pos + 8, true) === BYTE_ORDER_MAGIC;
      s.linkTypes = [];
      s.ticksPerSecond = [];
      s.names = [];
      s.started = true;
    } else if (!s.started) throw new PcapngStreamError('not a pcapng stream (no section header)');
    const le = s.le;
    const type = dv.getUint32(pos, le);
    const len = dv.getUint32(pos + 4, le);
    if (len < PCAPNG_BLOCK_HEADER_BYTES || len % 4 !== 0 || len > MAX_BLOCK_BYTES)
      throw new PcapngStreamError(`corrupt pcapng block (type ${type}, length ${len})`);
    if (have - pos < len) break;
    const body = pos + 8;
    const bodyBytes = len - PCAPNG_BLOCK_HEADER_BYTES;
    if (type === BT_EPB || type === BT_PB) {
      // EPB and the obsolete PB share this layout; PB's interface id is 16 bits + drops 16 bits.
      if (bodyBytes >= PACKET_BLOCK_FIELDS) {
        const id = type === BT_EPB ? dv.getUint32(body, le) : dv.getUint16(body, le);
        const capLen = dv.getUint32(body + 12, le);
        if (id < s.linkTypes.length && PACKET_BLOCK_FIELDS + capLen <= bodyBytes) {
          const ticks = dv.getUint32(body + 4, le) * 2 ** 32 + dv.getUint32(body + 8, le);
          const start = body + PACKET_BLOCK_FIELDS;
          s.frames++;
          const tsMs = (ticks / s.ticksPerSecond[id]!) * 1000;
          sink.pushFrame(tsMs, s.linkTypes[id]!, buf, start, start + capLen, dv.getUint32(body + 16, le));
        }
      }
    } else if (type === BT_IDB) {
      interfaceBlock(s, sink, new DataView(dv.buffer, dv.byteOffset + body, bodyBytes));
    } else if (type === BT_SPB && s.linkTypes.length > 0 && bodyBytes >= 4) {
      const origLen = dv.getUint32(body, le);
      const start = body + 4;
      s.frames++;
      sink.pushFrame(0, s.linkTypes[0]!, buf, start, start + Math.min(origLen, bodyBytes - 4), origLen);
    } else if (type === BT_ISB && bodyBytes >= 12) {
      sink.onStatistics?.(statisticsBlock(s, new DataView(dv.buffer, dv.byteOffset + body, bodyBytes)));
    }
    pos += len;
  }
  return pos;
}

/** Push parser over a byte stream: `write` chunks in order; throws PcapngStreamError on garbage. */
export interface PcapngParser {
  write(chunk: Uint8Array): void;
  /** Bytes held back waiting for the rest of a block (non-zero at end = truncated). */
  readonly pending: number;
}

/**
 * A push parser delivering to `sink`, for bytes that arrive in chunks of any
 * size (a pipe, a file stream). A frame is a view of the chunk it came in
 * (or of the chunks joined, for a block across chunks), valid only during
 * the call: a consumer that keeps it copies it.
 */
export function createPcapngParser(sink: PcapngBlockSink): PcapngParser {
  const section = newPcapngSection();
  // Chunks wait here until a whole block is there: concatenating on every
  // small chunk would be quadratic in the block size.
  let held: Uint8Array[] = [];
  let heldBytes = 0;
  let need = PCAPNG_BLOCK_HEADER_BYTES;

  const parse = (buf: Uint8Array): void => {
    const dv = new DataView(buf.buffer, buf.byteOffset, buf.length);
    const pos = walkPcapngBlocks(section, sink, buf, dv, 0, buf.length);
    const rest = buf.length - pos;
    need = rest >= PCAPNG_BLOCK_HEADER_BYTES ? pcapngBlockBytes(section, dv, pos) : PCAPNG_BLOCK_HEADER_BYTES;
    // Keep a copy of the unparsed tail (less than one block), so the chunk can be freed: a copy, as
    // a Buffer's slice is a view that would keep the whole chunk.
    held = rest === 0 ? [] : [new Uint8Array(buf.subarray(pos))];
    heldBytes = rest;
  };

  return {
    get pending() {
      return heldBytes;
    },
    write(chunk) {
      held.push(chunk);
      heldBytes += chunk.length;
      if (heldBytes < need) return;
      parse(held.length === 1 ? chunk : Buffer.concat(held, heldBytes));
    },
  };
}

/** The frames of a pcapng byte stream, each its own copy; a truncated last block ends them quietly, as tshark does. */
export async function* pcapngPackets(
  chunks: AsyncIterable<Uint8Array | string>,
): AsyncGenerator<CapturedPacket> {
  const ready: CapturedPacket[] = [];
  const parser = createPcapngParser({
    pushFrame: (tsMs, linkType, data, start, end, origLen) =>
      ready.push({ tsMs, linkType, data: new Uint8Array(data.subarray(start, end)), origLen }),
  });
  for await (const chunk of chunks) {
    parser.write(typeof chunk === 'string' ? Buffer.from(chunk, 'latin1') : chunk);
    yield* ready;
    ready.length = 0;
  }
}

function interfaceBlock(s: PcapngSection, sink: PcapngBlockSink, body: DataView): void {
  const linkType = body.getUint16(0, s.le);
  let ticksPerSecond = 1e6;
  let name: string | undefined;
  // Options start after linktype(2) reserved(2) snaplen(4).
  forEachOption(body, 8, s.le, (code, at, len) => {
    if (code === IF_TSRESOL && len >= 1) {
      // MSB set = power of 2, else power of 10 (pcapng §4.2).
      const r = body.getUint8(at);
      ticksPerSecond = r & 0x80 ? 2 ** (r & 0x7f) : 10 ** r;
    } else if (code === IF_NAME) {
      name = Buffer.from(body.buffer, body.byteOffset + at, len)
        .toString('utf8')
        .replace(/\0+$/, '');
    }
  });
  s.linkTypes.push(linkType);
  s.ticksPerSecond.push(ticksPerSecond);
  s.names.push(name);
  sink.onInterface?.(s.linkTypes.length - 1, linkType, name);
}

function statisticsBlock(s: PcapngSection, body: DataView): InterfaceStatistics {
  const interfaceId = body.getUint32(0, s.le);
  const stats: InterfaceStatistics = { interfaceId };
  const name = s.names[interfaceId];
  if (name !== undefined) stats.name = name;
  // Options follow interface id(4) and the 64-bit timestamp(8).
  forEachOption(body, 12, s.le, (code, at, len) => {
    if (len < 8) return;
    const n = Number(body.getBigUint64(at, s.le));
    if (code === ISB_IFRECV) stats.received = n;
    else if (code === ISB_IFDROP) stats.dropped = n;
  });
  return stats;
}

/** Walks the options of a block body from `start`, calling `fn(code, offset, length)`. */
function forEachOption(
  body: DataView,
  start: number,
  le: boolean,
  fn: (code: number, at: number, len: number) => void,
): void {
  for (let o = start; o + 4 <= body.byteLength;) {
    const code = body.getUint16(o, le);
    const olen = body.getUint16(o + 2, le);
    if (code === 0 || o + 4 + olen > body.byteLength) break;
    fn(code, o + 4, olen);
    o += 4 + ((olen + 3) & ~3);
  }
}
