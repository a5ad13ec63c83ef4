/**
 * NetFlow v9 (RFC 3954) datagrams carrying the benchmark's flows, so that
 * nfcapd stores exactly what FlowLens stores. Times: v9 FIRST/LAST_SWITCHED
 * are sysUptime milliseconds, and a collector computes the absolute time as
 * `unix_secs * 1000 - sysUptime + switched`. Every header here claims the same
 * boot time (BOOT_LEAD_MS before the range), so every flow lands on its
 * intended millisecond whatever the datagram's export time.
 */
import type { SyntheticOptions } from '../../src/store/index.ts';
import { IE, type TemplateField } from '../ingest/flow-fields.ts';
import { benchFlow, emptyFlow, ipv4ToInt } from './flows.ts';

const V9_VERSION = 9;
const V9_HEADER_BYTES = 20;
const SET_HEADER_BYTES = 4;
const TEMPLATE_FLOWSET_ID = 0;
const TEMPLATE_ID = 256;
const SEQUENCE_OFFSET = 12;
/** The exporter "booted" this long before the range starts (sysUptime stays far below 2^32 ms). */
const BOOT_LEAD_MS = 3_600_000;

/** The fields both stores are compared on (46 bytes a record). */
const FIELDS: readonly TemplateField[] = [
  { id: IE.srcAddr, length: 4 },
  { id: IE.dstAddr, length: 4 },
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
  { id: IE.srcAs, length: 4 },
  { id: IE.dstAs, length: 4 },
];
const RECORD_BYTES = FIELDS.reduce((n, f) => n + f.length, 0);

/** Encodes flows [first, end) of a synthetic set into v9 datagrams, in order. */
export interface V9Encoder {
  readonly flowsPerDatagram: number;
  /** The template datagram (sequence number stamped on each call). */
  template(): Buffer;
  /** The next data datagram, or undefined when every flow is encoded. */
  next(): Buffer | undefined;
}

/** An encoder over flows [first, end) with datagrams of at most maxDatagramBytes. */
export function createV9Encoder(
  o: SyntheticOptions,
  first: number,
  end: number,
  sourceId: number,
  maxDatagramBytes: number,
): V9Encoder {
  const perDatagram = Math.floor((maxDatagramBytes - V9_HEADER_BYTES - SET_HEADER_BYTES) / RECORD_BYTES);
  const bootMs = o.fromMs - BOOT_LEAD_MS;
  const r = emptyFlow();
  let i = first;
  let sequence = 0;

  const header = (b: Buffer, count: number, exportSecs: number): void => {
    b.writeUInt16BE(V9_VERSION, 0);
    b.writeUInt16BE(count, 2);
    b.writeUInt32BE(exportSecs * 1000 - bootMs, 4);
    b.writeUInt32BE(exportSecs, 8);
    b.writeUInt32BE(sequence++ >>> 0, SEQUENCE_OFFSET);
    b.writeUInt32BE(sourceId, 16);
  };

  return {
    flowsPerDatagram: perDatagram,
    template() {
      const b = Buffer.alloc(V9_HEADER_BYTES + SET_HEADER_BYTES + 4 + FIELDS.length * 4);
      header(b, 1, Math.floor(o.fromMs / 1000));
      let p = b.writeUInt16BE(TEMPLATE_FLOWSET_ID, V9_HEADER_BYTES);
      p = b.writeUInt16BE(b.length - V9_HEADER_BYTES, p);
      p = b.writeUInt16BE(TEMPLATE_ID, p);
      p = b.writeUInt16BE(FIELDS.length, p);
      for (const f of FIELDS) {
        p = b.writeUInt16BE(f.id, p);
        p = b.writeUInt16BE(f.length, p);
      }
      return b;
    },
    next() {
      if (i >= end) return undefined;
      const n = Math.min(perDatagram, end - i);
      // Flowsets are padded to 4 bytes (RFC 3954 §5.3).
      const setBytes = (SET_HEADER_BYTES + n * RECORD_BYTES + 3) & ~3;
      const b = Buffer.alloc(V9_HEADER_BYTES + setBytes);
      let p = b.writeUInt16BE(TEMPLATE_ID, V9_HEADER_BYTES);
      p = b.writeUInt16BE(setBytes, p);
      let lastEnd = 0;
      for (let k = 0; k < n; k++, i++) {
        benchFlow(i, o, r);
        const endMs = r.end!;
        lastEnd = Math.max(lastEnd, endMs);
        p = b.writeUInt32BE(ipv4ToInt(r.srcAddr!), p);
        p = b.writeUInt32BE(ipv4ToInt(r.dstAddr!), p);
        p = b.writeUInt32BE(r.inIf!, p);
        p = b.writeUInt32BE(r.outIf!, p);
        p = b.writeUInt32BE(r.packets, p);
        p = b.writeUInt32BE(r.bytes, p);
        p = b.writeUInt32BE(r.start! - bootMs, p);
        p = b.writeUInt32BE(endMs - bootMs, p);
        p = b.writeUInt16BE(r.srcPort!, p);
        p = b.writeUInt16BE(r.dstPort!, p);
        p = b.writeUInt8(r.tcpFlags!, p);
        p = b.writeUInt8(r.proto!, p);
        p = b.writeUInt32BE(r.srcAs!, p);
        p = b.writeUInt32BE(r.dstAs!, p);
      }
      header(b, n, Math.floor(lastEnd / 1000) + 1);
      return b;
    },
  };
}
