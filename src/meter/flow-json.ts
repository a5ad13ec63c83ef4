/**
 * Flow slot -> one JSON Lines line as UTF-8 bytes, written straight from the
 * columns into a reused buffer: the same text as
 * `JSON.stringify(buildFlowRecord(...))` (same fields, same order;
 * test/meter/flow-json.test.ts holds them equal on every test capture)
 * without the record object and its strings, whose allocation, garbage
 * collection and generic serialisation cost more than metering the flow's
 * packets did. Only the exporter and application labels can need JSON
 * escaping; they are escaped once, by JSON.stringify.
 */
import { MAX_KEPT_MPLS_LABELS, TUNNEL_TYPES } from '../decode/packet/index.ts';
import type { FlowColumns } from './flow-columns.ts';
import {
  encodeText,
  keyOf,
  putBytes,
  putFloorMs,
  putIpv4Field,
  putIpv4Quoted,
  putIpv6Quoted,
  putKey,
  putMacQuoted,
  putNumberFields,
  putRun,
  putUint32,
  putUintField,
  runOf,
  type Run,
} from './json-bytes.ts';
import type { FlowNames } from './app-labels.ts';
import type { AppLabel } from './payload-inspector.ts';

const ICMP = 1;
const TCP = 6;
const ICMPV6 = 58;
/** Bytes a line takes at most besides the exporter and the label: keys ~700, values ~800, padding (SCRATCH_BYTES). */
const MAX_FIXED_LINE_BYTES = 2048;

const run = (s: string): Run => runOf(encodeText(s));
/** A number's key: comma before, colon after. */
const num = (name: string): number => keyOf(`,"${name}":`);
/** A string's key: also the opening quote (string values write their closing one). */
const str = (name: string): number => keyOf(`,"${name}":"`);
/** Keys by field name (plain properties: monomorphic loads on the hot path). */
const KEY = {
  end: num('end'),
  srcPort: num('srcPort'),
  dstPort: num('dstPort'),
  proto: num('proto'),
  bytes: num('bytes'),
  packets: num('packets'),
  reverseBytes: num('reverseBytes'),
  reversePackets: num('reversePackets'),
  tos: num('tos'),
  etherType: num('etherType'),
  icmpType: num('icmpType'),
  icmpCode: num('icmpCode'),
  vlan: num('vlan'),
  outerVlan: num('outerVlan'),
  mplsLabels: keyOf(',"mplsLabels":['),
  tcpFlags: num('tcpFlags'),
  reverseTcpFlags: num('reverseTcpFlags'),
  retransmissions: num('retransmissions'),
  outOfOrder: num('outOfOrder'),
  lost: num('lost'),
  zeroWindows: num('zeroWindows'),
  rttUs: num('rttUs'),
  serverRttUs: num('serverRttUs'),
  clientRttUs: num('clientRttUs'),
  appResponseUs: num('appResponseUs'),
  srcAddr: str('srcAddr'),
  dstAddr: str('dstAddr'),
  srcMac: str('srcMac'),
  dstMac: str('dstMac'),
  outerSrcAddr: str('outerSrcAddr'),
  outerDstAddr: str('outerDstAddr'),
};
/** The tunnel type's key, value and the tunnel id's key in one run, by tunnel type number. */
const TUNNEL = Array.from({ length: 256 }, (_, t) =>
  run(`,"tunnelType":"${TUNNEL_TYPES[t] ?? ''}","tunnelId":`),
);
const CLOSE_LINE = run('}\n');
const COMMA = 0x2c;
const BRACKET = 0x5d;

/**
 * Where lines are appended: `buf` from `used` on. `reserve(n)` makes room for
 * `n` more bytes (it may replace `buf`, after taking what was written).
 */
export interface JsonOut {
  buf: Uint8Array;
  used: number;
  reserve(bytes: number): void;
}

/** Formats lines of one meter (one exporter). */
export interface FlowJsonFormatter {
  /** The line of flow `slot`, newline included; a view of a reused buffer, valid until the next call. */
  format(c: FlowColumns, slot: number, labels: readonly AppLabel[], names?: FlowNames): Uint8Array;
  /** Appends the line of flow `slot` to `out` (no copy, no view: the fast path of `flowlens meter`). */
  append(out: JsonOut, c: FlowColumns, slot: number, labels: readonly AppLabel[], names?: FlowNames): void;
}

export function createFlowJsonFormatter(exporter: string): FlowJsonFormatter {
  // Every line starts with the same text up to the first value.
  const prefix = run(`{"type":"packets","exporter":${JSON.stringify(exporter)},"start":`);
  const labelRuns = new WeakMap<AppLabel, Run>();
  /** A DataView of the last output buffer written (`viewed`). */
  let viewed: Uint8Array | undefined;
  let d: DataView = new DataView(new ArrayBuffer(0));
  const labelJson = (l: AppLabel): Run => {
    let r = labelRuns.get(l);
    if (!r) {
      const cat = l.appCategory === undefined ? '' : `,"appCategory":${JSON.stringify(l.appCategory)}`;
      r = run(`,"appProto":${JSON.stringify(l.appProto)}${cat}`);
      labelRuns.set(l, r);
    }
    return r;
  };
  const append = (
    out: JsonOut,
    c: FlowColumns,
    slot: number,
    labels: readonly AppLabel[],
    names?: FlowNames,
  ): void => {
    // Index 0 is "no label": labels[-1] would be a slow named-property lookup.
    const li = c.appLabel[slot]!;
    const l = li === 0 ? undefined : labels[li - 1];
    const label = l ? labelJson(l) : undefined;
    // Names come from the network: any text, escaped by JSON.stringify (rare: one per named flow).
    const named = names ? encodeText(namesJson(names)) : undefined;
    const room = MAX_FIXED_LINE_BYTES + prefix.length + (label?.length ?? 0) + (named?.length ?? 0);
    // Checked here rather than by calling reserve for every line: it only has work once a buffer is full.
    if (out.used + room > out.buf.length) out.reserve(room);
    const b = out.buf;
    if (b !== viewed) {
      viewed = b;
      d = new DataView(b.buffer, b.byteOffset, b.byteLength);
    }
    let o = putLine(d, putRun(d, out.used, prefix), c, slot);
    if (label) o = putRun(d, o, label);
    if (named) o = putBytes(b, o, named);
    out.used = putRun(d, o, CLOSE_LINE);
  };
  // One line at a time for `format`: the buffer restarts at 0 for each.
  const single: JsonOut = {
    buf: new Uint8Array(MAX_FIXED_LINE_BYTES + prefix.length),
    used: 0,
    reserve(bytes) {
      if (this.buf.length < bytes) this.buf = new Uint8Array(bytes);
    },
  };
  return {
    append,
    format(c, slot, labels, names) {
      single.used = 0;
      append(single, c, slot, labels, names);
      return single.buf.subarray(0, single.used);
    },
  };
}

/** `,"serverName":...,"ja4":...` of the fields present. */
function namesJson(n: FlowNames): string {
  const server = n.serverName === undefined ? '' : `,"serverName":${JSON.stringify(n.serverName)}`;
  return n.ja4 === undefined ? server : `${server},"ja4":${JSON.stringify(n.ja4)}`;
}

/** Key `k` and the address in words `w[at..at+3]` of IP version `family` (IPv6 is rarer: no field writer). */
function putAddress(d: DataView, o: number, k: number, w: Uint32Array, at: number, family: number): number {
  return family === 4 ? putIpv4Field(d, o, k, w[at + 3]!) : putIpv6Quoted(d, putKey(d, o, k), w, at);
}

function putTunnel(
  d: DataView,
  o: number,
  c: FlowColumns,
  slot: number,
  type: number,
  family: number,
): number {
  o = putUint32(d, putRun(d, o, TUNNEL[type]!), c.tunnelId[slot]!);
  if (family !== 0) {
    o = putAddress(d, o, KEY.outerSrcAddr, c.outerAddr, slot * 8, family);
    o = putAddress(d, o, KEY.outerDstAddr, c.outerAddr, slot * 8 + 4, family);
  }
  return o;
}

/** Numeric fields of the line being written, gathered for putNumberFields (writing is synchronous). */
const fieldKeys = new Int32Array(16);
const fieldValues = new Float64Array(16);

/**
 * Every field of flow `slot` after the prefix (whose last key is the
 * start's), up to the application label: times, addresses, ports, counters,
 * layer 2, tunnel, TCP analysis, application response time. The numbers go
 * in three runs through putNumberFields; the rarer fields (IPv6 and outer
 * addresses, MPLS labels, tunnels) are calls of their own. Written as a call
 * a field, each calling another for its key, the command ran 2.9 % more
 * instructions on the benchmark's 200,000 lines (callgrind: 4,552 M against
 * 4,421 M), and V8 compiled a dozen small functions one after another while
 * the flush ran.
 */
function putLine(d: DataView, o: number, c: FlowColumns, slot: number): number {
  const fk = fieldKeys;
  const fv = fieldValues;
  o = putFloorMs(d, o, c.first[slot]!); // the prefix ends with the start's key
  o = putFloorMs(d, putKey(d, o, KEY.end), c.last[slot]!);
  const meta = c.keyMeta[slot]!;
  const proto = meta & 0xff;
  const family = (meta >>> 8) & 0xf;
  const initiatorIsB = (meta >>> 24) & 1;
  // Source then destination: the initiator's endpoint first.
  for (let i = 0; i < 2; i++) {
    o = putKey(d, o, i === 0 ? KEY.srcAddr : KEY.dstAddr);
    const at = slot * 8 + ((i ^ initiatorIsB) === 0 ? 0 : 4);
    o = family === 4 ? putIpv4Quoted(d, o, c.keyAddr[at + 3]!) : putIpv6Quoted(d, o, c.keyAddr, at);
  }
  const ports = c.keyPorts[slot]!;
  const s = slot * 2;
  fk[0] = KEY.srcPort;
  fv[0] = initiatorIsB ? ports & 0xffff : ports >>> 16;
  fk[1] = KEY.dstPort;
  fv[1] = initiatorIsB ? ports >>> 16 : ports & 0xffff;
  fk[2] = KEY.proto;
  fv[2] = proto;
  fk[3] = KEY.bytes;
  fv[3] = c.bytes[s]!;
  fk[4] = KEY.packets;
  fv[4] = c.packets[s]!;
  fk[5] = KEY.reverseBytes;
  fv[5] = c.bytes[s + 1]!;
  fk[6] = KEY.reversePackets;
  fv[6] = c.packets[s + 1]!;
  fk[7] = KEY.tos;
  fv[7] = c.tos[slot]!;
  fk[8] = KEY.etherType;
  fv[8] = c.l2[slot * 3 + 2]!;
  let n = 9;
  if (proto === ICMP || proto === ICMPV6) {
    const icmp = c.icmp[slot]!;
    fk[n] = KEY.icmpType;
    fv[n++] = icmp >>> 8;
    fk[n] = KEY.icmpCode;
    fv[n++] = icmp & 0xff;
  }
  o = putNumberFields(d, o, fk, fv, n);
  // The initiator's source and destination MACs, as formatMacNumber writes them (-1: none).
  if (c.mac[s]! >= 0)
    for (let i = 0; i < 2; i++) {
      o = putKey(d, o, i === 0 ? KEY.srcMac : KEY.dstMac);
      o = putMacQuoted(d, o, c.mac[s + i]!);
    }
  const vlan = c.l2[slot * 3]!;
  const outerVlan = c.l2[slot * 3 + 1]!;
  if (vlan !== 0) o = putUintField(d, o, KEY.vlan, vlan);
  if (outerVlan !== 0) o = putUintField(d, o, KEY.outerVlan, outerVlan);
  if (c.mplsCount[slot]! > 0) o = putMpls(d, o, c, slot);
  const tunnelType = (meta >>> 16) & 0xff;
  if (tunnelType !== 0) o = putTunnel(d, o, c, slot, tunnelType, (meta >>> 12) & 0xf);
  n = 0;
  if (proto === TCP) {
    const q = slot * 4;
    const quality = c.quality;
    fk[0] = KEY.tcpFlags;
    fv[0] = c.tcpFlags[s]!;
    fk[1] = KEY.reverseTcpFlags;
    fv[1] = c.tcpFlags[s + 1]!;
    fk[2] = KEY.retransmissions;
    fv[2] = quality[q]!;
    fk[3] = KEY.outOfOrder;
    fv[3] = quality[q + 1]!;
    fk[4] = KEY.lost;
    fv[4] = quality[q + 2]!;
    fk[5] = KEY.zeroWindows;
    fv[5] = quality[q + 3]!;
    n = 6;
    const h = slot * 3;
    const syn = c.handshake[h]!;
    const synAck = c.handshake[h + 1]!;
    const ack = c.handshake[h + 2]!;
    if (syn > 0 && synAck >= syn && ack >= synAck) {
      fk[6] = KEY.rttUs;
      fv[6] = Math.round((ack - syn) * 1000);
      fk[7] = KEY.serverRttUs;
      fv[7] = Math.round((synAck - syn) * 1000);
      fk[8] = KEY.clientRttUs;
      fv[8] = Math.round((ack - synAck) * 1000);
      n = 9;
    }
  }
  const app = c.app[s + 1]!;
  if (app >= 0) {
    fk[n] = KEY.appResponseUs;
    fv[n++] = Math.round(app * 1000);
  }
  return n > 0 ? putNumberFields(d, o, fk, fv, n) : o;
}

/** The MPLS label stack (as many labels as were kept). */
function putMpls(d: DataView, o: number, c: FlowColumns, slot: number): number {
  const n = Math.min(c.mplsCount[slot]!, 3, MAX_KEPT_MPLS_LABELS);
  o = putKey(d, o, KEY.mplsLabels);
  for (let i = 0; i < n; i++) {
    if (i > 0) d.setUint8(o++, COMMA);
    o = putUint32(d, o, c.mpls[slot * 3 + i]!);
  }
  d.setUint8(o++, BRACKET);
  return o;
}
