/**
 * NetFlow v9 (RFC 3954) and IPFIX (RFC 7011) encoders for the demo: one
 * template, data sets of up to MAX_RECORDS records, templates resent every
 * TEMPLATE_EVERY datagrams as routers do.
 */
import { APP_NAME_BYTES, APP_NAME_IE, APP_NAME_PEN, APP_NAME_V9_IE, IF_LAN, IF_WAN } from './catalog.ts';
import type { DemoFlow } from './traffic.ts';

const TEMPLATE_ID = 300;
const MAX_RECORDS = 16;
const TEMPLATE_EVERY = 20;
const ENTERPRISE_BIT = 0x8000;

/** IANA IEs (the same numbers in NetFlow v9 §8). */
const IE = {
  octets: 1,
  packets: 2,
  proto: 4,
  tos: 5,
  tcpFlags: 6,
  srcPort: 7,
  srcAddr: 8,
  srcMask: 9,
  inIf: 10,
  dstPort: 11,
  dstAddr: 12,
  dstMask: 13,
  outIf: 14,
  srcAs: 16,
  dstAs: 17,
  lastSwitched: 21,
  firstSwitched: 22,
  srcMac: 56,
  vlan: 58,
  dstMac: 80,
  flowStartMs: 152,
  flowEndMs: 153,
} as const;

interface Field {
  id: number;
  length: number;
  pen?: number;
}

const COMMON: Field[] = [
  { id: IE.srcAddr, length: 4 },
  { id: IE.dstAddr, length: 4 },
  { id: IE.srcPort, length: 2 },
  { id: IE.dstPort, length: 2 },
  { id: IE.proto, length: 1 },
  { id: IE.tcpFlags, length: 1 },
  { id: IE.tos, length: 1 },
  { id: IE.inIf, length: 2 },
  { id: IE.outIf, length: 2 },
  { id: IE.srcMask, length: 1 },
  { id: IE.dstMask, length: 1 },
  { id: IE.vlan, length: 2 },
  { id: IE.srcMac, length: 6 },
  { id: IE.dstMac, length: 6 },
];

const V9_FIELDS: Field[] = [
  ...COMMON,
  { id: IE.octets, length: 4 },
  { id: IE.packets, length: 4 },
  { id: IE.firstSwitched, length: 4 },
  { id: IE.lastSwitched, length: 4 },
  { id: APP_NAME_V9_IE, length: APP_NAME_BYTES },
];
const IPFIX_FIELDS: Field[] = [
  ...COMMON,
  { id: IE.octets, length: 8 },
  { id: IE.packets, length: 8 },
  { id: IE.flowStartMs, length: 8 },
  { id: IE.flowEndMs, length: 8 },
  { id: APP_NAME_IE, length: APP_NAME_BYTES, pen: APP_NAME_PEN },
];

const ROUTER_MAC = [0x00, 0x1b, 0x21, 0x3a, 0x4f, 0x01];
const HOST_MAC_PREFIX = [0x3c, 0x22, 0xfb, 0x10];

/** Encodes flows of one exporter into datagrams. */
export interface FlowEncoder {
  encode(flows: DemoFlow[], nowMs: number): Buffer[];
}

/** `bootMs`: when the v9 exporter booted (its sysUptime origin). */
export function createFlowEncoder(
  protocol: 'netflow9' | 'ipfix',
  domain: number,
  bootMs: number,
): FlowEncoder {
  const v9 = protocol === 'netflow9';
  const fields = v9 ? V9_FIELDS : IPFIX_FIELDS;
  const recordBytes = fields.reduce((n, f) => n + f.length, 0);
  let sequence = 0;
  let datagrams = 0;

  const templateSet = (): Buffer => {
    const body = fields.flatMap((f) =>
      f.pen ? [f.id | ENTERPRISE_BIT, f.length, f.pen >>> 16, f.pen & 0xffff] : [f.id, f.length],
    );
    const b = Buffer.alloc(8 + body.length * 2);
    b.writeUInt16BE(v9 ? 0 : 2, 0);
    b.writeUInt16BE(b.length, 2);
    b.writeUInt16BE(TEMPLATE_ID, 4);
    b.writeUInt16BE(fields.length, 6);
    body.forEach((v, i) => b.writeUInt16BE(v, 8 + i * 2));
    return b;
  };

  const dataSet = (flows: DemoFlow[]): Buffer => {
    const raw = 4 + flows.length * recordBytes;
    const b = Buffer.alloc(v9 ? (raw + 3) & ~3 : raw);
    b.writeUInt16BE(TEMPLATE_ID, 0);
    b.writeUInt16BE(b.length, 2);
    let p = 4;
    for (const f of flows) p = writeRecord(b, p, f);
    return b;
  };

  const writeRecord = (b: Buffer, p: number, f: DemoFlow): number => {
    const hostMac = [...HOST_MAC_PREFIX, f.vlan, f.localHost];
    for (const field of fields) {
      const n = field.length;
      if (field.pen === APP_NAME_PEN || field.id === APP_NAME_V9_IE) {
        b.write(f.app.slice(0, n), p, 'latin1');
        p += n;
        continue;
      }
      switch (field.id) {
        case IE.srcMac:
        case IE.dstMac: {
          const mac = (field.id === IE.srcMac) === f.inbound ? ROUTER_MAC : hostMac;
          Buffer.from(mac).copy(b, p);
          break;
        }
        default:
          writeUint(b, p, n, valueOf(field.id, f));
      }
      p += n;
    }
    return p;
  };

  const valueOf = (id: number, f: DemoFlow): number => {
    switch (id) {
      case IE.srcAddr:
        return f.src;
      case IE.dstAddr:
        return f.dst;
      case IE.srcPort:
        return f.srcPort;
      case IE.dstPort:
        return f.dstPort;
      case IE.proto:
        return f.proto;
      case IE.tcpFlags:
        return f.tcpFlags;
      case IE.tos:
        return f.app === 'Zoom' ? 0xb8 : 0;
      case IE.inIf:
        return f.inbound ? IF_WAN : IF_LAN;
      case IE.outIf:
        return f.inbound ? IF_LAN : IF_WAN;
      case IE.srcMask:
        return f.inbound ? 16 : 24;
      case IE.dstMask:
        return f.inbound ? 24 : 16;
      case IE.vlan:
        return f.vlan;
      case IE.octets:
        return f.bytes;
      case IE.packets:
        return f.packets;
      case IE.firstSwitched:
        return f.startMs - bootMs;
      case IE.lastSwitched:
        return f.endMs - bootMs;
      case IE.flowStartMs:
        return f.startMs;
      case IE.flowEndMs:
        return f.endMs;
      default:
        return 0;
    }
  };

  const message = (sets: Buffer[], records: number, nowMs: number): Buffer => {
    const header = Buffer.alloc(v9 ? 20 : 16);
    const body = Buffer.concat(sets);
    if (v9) {
      header.writeUInt16BE(9, 0);
      header.writeUInt16BE(sets.length === 2 ? records + 1 : records, 2);
      header.writeUInt32BE((nowMs - bootMs) >>> 0, 4);
      header.writeUInt32BE(Math.floor(nowMs / 1000), 8);
      header.writeUInt32BE(sequence++ >>> 0, 12);
      header.writeUInt32BE(domain, 16);
    } else {
      header.writeUInt16BE(10, 0);
      header.writeUInt16BE(header.length + body.length, 2);
      header.writeUInt32BE(Math.floor(nowMs / 1000), 4);
      header.writeUInt32BE(sequence >>> 0, 8);
      header.writeUInt32BE(domain, 12);
      sequence += records;
    }
    return Buffer.concat([header, body]);
  };

  return {
    encode(flows, nowMs) {
      const out: Buffer[] = [];
      for (let i = 0; i < flows.length; i += MAX_RECORDS) {
        const chunk = flows.slice(i, i + MAX_RECORDS);
        const sets = datagrams++ % TEMPLATE_EVERY === 0 ? [templateSet(), dataSet(chunk)] : [dataSet(chunk)];
        out.push(message(sets, chunk.length, nowMs));
      }
      return out;
    },
  };
}

function writeUint(b: Buffer, p: number, length: number, v: number): void {
  if (length === 8) {
    b.writeUInt32BE(Math.floor(v / 2 ** 32), p);
    b.writeUInt32BE(v >>> 0, p + 4);
  } else {
    b.writeUIntBE(v % 2 ** (length * 8), p, length);
  }
}
