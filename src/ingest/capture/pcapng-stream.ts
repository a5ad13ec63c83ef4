import type { Readable } from 'node:stream';
import type { CapturedPacket } from '../file/index.ts';

/**
 * pcapng parsing from a byte stream (dumpcap's `-w -`), push style: chunks go
 * in as they arrive and packets come out synchronously. The block logic is a
 * copy of src/ingest/file/pcap-reader.ts (which pulls from a file); both
 * should share this parser once the file reader is moved onto it.
 * Block layouts: draft-ietf-opsawg-pcapng (SHB §4.1, IDB §4.2, EPB §4.3,
 * SPB §4.4, ISB §4.6, obsolete PB Appendix A).
 */

const BT_SHB = 0x0a0d0d0a;
const BT_IDB = 1;
const BT_PB = 2;
const BT_SPB = 3;
const BT_ISB = 5;
const BT_EPB = 6;
const BYTE_ORDER_MAGIC = 0x1a2b3c4d;
/** A block larger than this is corrupt rather than real (a block carries one frame). */
const MAX_BLOCK_BYTES = 16 * 1024 * 1024;
/** ISB option codes (pcapng §4.6). */
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

/** Callbacks of the push parser. */
export interface PcapngSink {
  onPacket(packet: CapturedPacket): void;
  onStatistics?(stats: InterfaceStatistics): void;
  /** An interface description block arrived: the capture is open. */
  onInterface?(interfaceId: number, linkType: number, name: string | undefined): void;
}

/** A push parser: `write` chunks in order; throws PcapngStreamError on garbage. */
export interface PcapngParser {
  write(chunk: Uint8Array): void;
  /** Bytes held back waiting for the rest of a block (non-zero at end = truncated). */
  readonly pending: number;
}

interface Iface {
  linkType: number;
  ticksPerSecond: number;
  name: string | undefined;
}

/** Creates a push parser delivering to `sink`. */
export function createPcapngParser(sink: PcapngSink): PcapngParser {
  let le = true;
  let started = false;
  let interfaces: Iface[] = [];

  const block = (v: DataView, type: number, len: number): void => {
    const body = new DataView(v.buffer, v.byteOffset + 8, len - 12);
    if (type === BT_IDB) {
      const iface = parseIdb(body, le);
      interfaces.push(iface);
      sink.onInterface?.(interfaces.length - 1, iface.linkType, iface.name);
    } else if (type === BT_EPB || type === BT_PB) {
      const pkt = parsePacketBlock(type, body, le, interfaces);
      if (pkt) sink.onPacket(pkt);
    } else if (type === BT_SPB && interfaces[0] && body.byteLength >= 4) {
      const origLen = body.getUint32(0, le);
      const capLen = Math.min(origLen, body.byteLength - 4);
      const data = copyBytes(body, 4, capLen);
      sink.onPacket({ tsMs: 0, linkType: interfaces[0].linkType, data, origLen });
    } else if (type === BT_ISB && body.byteLength >= 12) {
      sink.onStatistics?.(parseIsb(body, le, interfaces));
    }
  };

  // Chunks wait here until a whole block is there: concatenating on every
  // small chunk would be quadratic in the block size.
  let held: Uint8Array[] = [];
  let heldBytes = 0;
  let need = 12;

  const parse = (buf: Uint8Array): void => {
    let pos = 0;
    need = 12;
    while (buf.length - pos >= 12) {
      const v = new DataView(buf.buffer, buf.byteOffset + pos, buf.length - pos);
      if (v.getUint32(0, true) === BT_SHB) {
        // A section header fixes the byte order of everything up to the next one.
        le = v.getUint32(8, true) === BYTE_ORDER_MAGIC;
        interfaces = [];
        started = true;
      } else if (!started) throw new PcapngStreamError('not a pcapng stream (no section header)');
      const type = v.getUint32(0, le);
      const len = v.getUint32(4, le);
      if (len < 12 || len % 4 !== 0 || len > MAX_BLOCK_BYTES) {
        throw new PcapngStreamError(`corrupt pcapng block (type ${type}, length ${len})`);
      }
      if (buf.length - pos < len) {
        need = len;
        break;
      }
      block(v, type, len);
      pos += len;
    }
    // Keep a copy of the unparsed tail (less than one block), so the chunk can be freed.
    held = pos === buf.length ? [] : [buf.slice(pos)];
    heldBytes = buf.length - pos;
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

/**
 * Streams the frames of a pcapng byte stream (for example dumpcap's stdout).
 * A truncated last block ends the stream quietly, as tshark does.
 */
export async function* readPacketsFromStream(stream: Readable): AsyncGenerator<CapturedPacket> {
  const ready: CapturedPacket[] = [];
  const parser = createPcapngParser({ onPacket: (p) => ready.push(p) });
  for await (const chunk of stream) {
    parser.write(typeof chunk === 'string' ? Buffer.from(chunk, 'latin1') : (chunk as Uint8Array));
    for (const p of ready) yield p;
    ready.length = 0;
  }
}

function copyBytes(v: DataView, offset: number, len: number): Uint8Array {
  return new Uint8Array(v.buffer.slice(v.byteOffset + offset, v.byteOffset + offset + len));
}

/** Walks the options of a block body from `start`, calling `fn(code, offset, length)`. */
function forEachOption(
  body: DataView,
  start: number,
  fn: (code: number, at: number, len: number) => void,
  le: boolean,
): void {
  for (let o = start; o + 4 <= body.byteLength;) {
    const code = body.getUint16(o, le);
    const olen = body.getUint16(o + 2, le);
    if (code === 0 || o + 4 + olen > body.byteLength) break;
    fn(code, o + 4, olen);
    o += 4 + ((olen + 3) & ~3);
  }
}

function parseIdb(body: DataView, le: boolean): Iface {
  const iface: Iface = { linkType: body.getUint16(0, le), ticksPerSecond: 1e6, name: undefined };
  // Options start after linktype(2) reserved(2) snaplen(4).
  forEachOption(
    body,
    8,
    (code, at, len) => {
      if (code === IF_TSRESOL && len >= 1) {
        // MSB set = power of 2, else power of 10 (pcapng §4.2).
        const r = body.getUint8(at);
        iface.ticksPerSecond = r & 0x80 ? 2 ** (r & 0x7f) : 10 ** r;
      } else if (code === IF_NAME) {
        iface.name = Buffer.from(body.buffer, body.byteOffset + at, len)
          .toString('utf8')
          .replace(/\0+$/, '');
      }
    },
    le,
  );
  return iface;
}

function parseIsb(body: DataView, le: boolean, interfaces: Iface[]): InterfaceStatistics {
  const interfaceId = body.getUint32(0, le);
  const stats: InterfaceStatistics = { interfaceId };
  const name = interfaces[interfaceId]?.name;
  if (name !== undefined) stats.name = name;
  // Options follow interface id(4) and the 64-bit timestamp(8).
  forEachOption(
    body,
    12,
    (code, at, len) => {
      if (len < 8) return;
      const n = Number(body.getBigUint64(at, le));
      if (code === ISB_IFRECV) stats.received = n;
      else if (code === ISB_IFDROP) stats.dropped = n;
    },
    le,
  );
  return stats;
}

function parsePacketBlock(
  type: number,
  body: DataView,
  le: boolean,
  interfaces: Iface[],
): CapturedPacket | undefined {
  // EPB and the obsolete PB share this layout; PB's interface id is 16 bits + drops 16 bits.
  if (body.byteLength < 20) return undefined;
  const iface = interfaces[type === BT_EPB ? body.getUint32(0, le) : body.getUint16(0, le)];
  if (!iface) return undefined;
  const ticks = body.getUint32(4, le) * 2 ** 32 + body.getUint32(8, le);
  const capLen = body.getUint32(12, le);
  const origLen = body.getUint32(16, le);
  if (20 + capLen > body.byteLength) return undefined;
  const data = copyBytes(body, 20, capLen);
  return { tsMs: (ticks / iface.ticksPerSecond) * 1000, linkType: iface.linkType, data, origLen };
}
