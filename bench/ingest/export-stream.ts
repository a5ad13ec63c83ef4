/**
 * Pre-generated NetFlow v9 (RFC 3954) and IPFIX (RFC 7011) streams: one
 * template datagram and a ring of data datagrams of about `maxDatagramBytes`,
 * built once so that sending costs only a sequence-number stamp and a send().
 */
import { createRandom, IE, nextFlow, type FlowValues, type TemplateField } from './flow-fields.ts';

/** The two export protocols the bench replays. */
export type Protocol = 'v9' | 'ipfix';

/** A stream ready to send; `stamp*` write the per-send header fields in place. */
export interface ExportStream {
  protocol: Protocol;
  template: Buffer;
  /** Data datagrams, sent round-robin. */
  data: Buffer[];
  flowsPerDatagram: number;
  /** Writes the sequence number of a template datagram about to be sent. */
  stampTemplate(buf: Buffer): void;
  /** Writes the sequence number of a data datagram about to be sent. */
  stampData(buf: Buffer): void;
}

/** How a stream is built. */
export interface StreamOptions {
  protocol: Protocol;
  /** NetFlow v9 source id / IPFIX observation domain: one per sender, so sequences are independent. */
  domain: number;
  seed: number;
  /** Distinct data datagrams in the ring (flows repeat after ring * flowsPerDatagram). */
  ringDatagrams: number;
  maxDatagramBytes: number;
  /** Export time (epoch ms) written in headers; record times lie up to 100 s before it. */
  nowMs: number;
}

const TEMPLATE_ID = 256;
const V9_VERSION = 9;
const V9_HEADER_BYTES = 20;
const V9_TEMPLATE_FLOWSET_ID = 0;
const V9_SEQUENCE_OFFSET = 12;
const IPFIX_VERSION = 10;
const IPFIX_HEADER_BYTES = 16;
const IPFIX_TEMPLATE_SET_ID = 2;
const IPFIX_SEQUENCE_OFFSET = 8;
const SET_HEADER_BYTES = 4;
/** The v9 exporter's sysUptime at export time: 10 days, in ms. */
const V9_SYS_UPTIME_MS = 864_000_000;
/** Record times start this long before export time. */
const RECORD_AGE_MS = 100_000;

/** The 18 fields, with v9 widths (4-byte counters and sysUptime times). */
const V9_FIELDS: TemplateField[] = [
  { id: IE.srcAddr, length: 4 },
  { id: IE.dstAddr, length: 4 },
  { id: IE.nextHop, length: 4 },
  { id: IE.inIf, length: 4 },
  { id: IE.outIf, length: 4 },
  { id: IE.packets, length: 4 },
  { id: IE.octets, length: 4 },
  { id: IE.firstSwitched, length: 4 },
  { id: IE.lastSwitched, length: 4 },
  { id: IE.srcPort, length: 2 },
  { id: IE.dstPort, length: 2 },
  { id: IE.tcpFlags, length: 1 },
  { id: IE.proto, length: 1 },
  { id: IE.tos, length: 1 },
  { id: IE.srcAs, length: 4 },
  { id: IE.dstAs, length: 4 },
  { id: IE.srcMask, length: 1 },
  { id: IE.dstMask, length: 1 },
];

/** The same fields in IPFIX: 8-byte counters and absolute millisecond times. */
const IPFIX_FIELDS: TemplateField[] = V9_FIELDS.map((f) => {
  if (f.id === IE.packets || f.id === IE.octets) return { id: f.id, length: 8 };
  if (f.id === IE.firstSwitched) return { id: IE.flowStartMs, length: 8 };
  if (f.id === IE.lastSwitched) return { id: IE.flowEndMs, length: 8 };
  return f;
});

/** Builds a stream; deterministic for given options. */
export function buildExportStream(o: StreamOptions): ExportStream {
  const v9 = o.protocol === 'v9';
  const fields = v9 ? V9_FIELDS : IPFIX_FIELDS;
  const headerBytes = v9 ? V9_HEADER_BYTES : IPFIX_HEADER_BYTES;
  const recordBytes = fields.reduce((n, f) => n + f.length, 0);
  const flowsPerDatagram = Math.floor((o.maxDatagramBytes - headerBytes - SET_HEADER_BYTES) / recordBytes);
  if (flowsPerDatagram < 1) throw new RangeError(`maxDatagramBytes ${o.maxDatagramBytes} holds no record`);
  const exportSecs = Math.floor(o.nowMs / 1000);
  const baseMs = v9 ? V9_SYS_UPTIME_MS - RECORD_AGE_MS : exportSecs * 1000 - RECORD_AGE_MS;
  const header = (b: Buffer, records: number): void => {
    b.writeUInt16BE(v9 ? V9_VERSION : IPFIX_VERSION, 0);
    if (v9) {
      b.writeUInt16BE(records, 2);
      b.writeUInt32BE(V9_SYS_UPTIME_MS, 4);
      b.writeUInt32BE(exportSecs, 8);
      b.writeUInt32BE(o.domain, 16);
    } else {
      b.writeUInt16BE(b.length, 2);
      b.writeUInt32BE(exportSecs, 4);
      b.writeUInt32BE(o.domain, 12);
    }
  };

  const templateSetBytes = SET_HEADER_BYTES + 4 + fields.length * 4;
  const template = Buffer.alloc(headerBytes + templateSetBytes);
  header(template, 1);
  let p = headerBytes;
  p = template.writeUInt16BE(v9 ? V9_TEMPLATE_FLOWSET_ID : IPFIX_TEMPLATE_SET_ID, p);
  p = template.writeUInt16BE(templateSetBytes, p);
  p = template.writeUInt16BE(TEMPLATE_ID, p);
  p = template.writeUInt16BE(fields.length, p);
  for (const f of fields) {
    p = template.writeUInt16BE(f.id, p);
    p = template.writeUInt16BE(f.length, p);
  }

  // v9 flowsets are padded to 4 bytes (RFC 3954 §5.3); IPFIX sets need no padding.
  const setBytes = SET_HEADER_BYTES + flowsPerDatagram * recordBytes;
  const paddedSetBytes = v9 ? (setBytes + 3) & ~3 : setBytes;
  const rnd = createRandom(o.seed);
  const data: Buffer[] = [];
  for (let d = 0; d < o.ringDatagrams; d++) {
    const b = Buffer.alloc(headerBytes + paddedSetBytes);
    header(b, flowsPerDatagram);
    let q = b.writeUInt16BE(TEMPLATE_ID, headerBytes);
    q = b.writeUInt16BE(paddedSetBytes, q);
    for (let r = 0; r < flowsPerDatagram; r++) q = writeRecord(b, q, fields, nextFlow(rnd), baseMs);
    data.push(b);
  }

  let sequence = 0;
  const sequenceOffset = v9 ? V9_SEQUENCE_OFFSET : IPFIX_SEQUENCE_OFFSET;
  return {
    protocol: o.protocol,
    template,
    data,
    flowsPerDatagram,
    // v9 numbers every export packet; IPFIX counts data records sent before this message.
    stampTemplate(b) {
      b.writeUInt32BE(sequence >>> 0, sequenceOffset);
      if (v9) sequence++;
    },
    stampData(b) {
      b.writeUInt32BE(sequence >>> 0, sequenceOffset);
      sequence += v9 ? 1 : flowsPerDatagram;
    },
  };
}

function fieldValue(id: number, f: FlowValues, baseMs: number): number {
  switch (id) {
    case IE.srcAddr:
      return f.src;
    case IE.dstAddr:
      return f.dst;
    case IE.nextHop:
      return f.nextHop;
    case IE.inIf:
      return f.inIf;
    case IE.outIf:
      return f.outIf;
    case IE.packets:
      return f.packets;
    case IE.octets:
      return f.bytes;
    case IE.firstSwitched:
    case IE.flowStartMs:
      return baseMs + f.startOffsetMs;
    case IE.lastSwitched:
    case IE.flowEndMs:
      return baseMs + f.endOffsetMs;
    case IE.srcPort:
      return f.srcPort;
    case IE.dstPort:
      return f.dstPort;
    case IE.tcpFlags:
      return f.tcpFlags;
    case IE.proto:
      return f.proto;
    case IE.tos:
      return f.tos;
    case IE.srcAs:
      return f.srcAs;
    case IE.dstAs:
      return f.dstAs;
    case IE.srcMask:
      return f.srcMask;
    case IE.dstMask:
      return f.dstMask;
    default:
      throw new RangeError(`no value for element ${id}`);
  }
}

/** Writes one record at `p`; returns the offset after it. */
function writeRecord(b: Buffer, p: number, fields: TemplateField[], f: FlowValues, baseMs: number): number {
  for (const field of fields) {
    const v = fieldValue(field.id, f, baseMs);
    if (field.length === 8) {
      b.writeUInt32BE(Math.floor(v / 2 ** 32), p);
      b.writeUInt32BE(v >>> 0, p + 4);
    } else {
      b.writeUIntBE(v, p, field.length);
    }
    p += field.length;
  }
  return p;
}
