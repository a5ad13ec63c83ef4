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
  putFloorMsField,
  putIpv4Field,
  putIpv6Quoted,
  putKey,
  putMacField,
  putNumberField,
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
    let o = putRun(d, out.used, prefix);
    o = putMain(d, o, c, slot);
    o = putLayer2(d, o, c, slot);
    const meta = c.keyMeta[slot]!;
    const tunnelType = (meta >>> 16) & 0xff;
    if (tunnelType !== 0) o = putTunnel(d, o, c, slot, tunnelType, (meta >>> 12) & 0xf);
    if ((meta & 0xff) === TCP) o = putTcp(d, o, c, slot);
    const app = c.app[slot * 2 + 1]!;
    if (app >= 0) o = putNumberField(d, o, KEY.appResponseUs, Math.round(app * 1000));
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

/**
 * Times, 5-tuple, counters, tos, EtherType, ICMP type/code (the start's key
 * is the prefix's end). Columns of 32 bits or less hold integers below 2^32:
 * putUintField; the Float64 ones (bytes, times) may hold more: putNumberField.
 */
function putMain(d: DataView, o: number, c: FlowColumns, slot: number): number {
  const meta = c.keyMeta[slot]!;
  const proto = meta & 0xff;
  const family = (meta >>> 8) & 0xf;
  const initiatorIsB = (meta >>> 24) & 1;
  const ports = c.keyPorts[slot]!;
  const s = slot * 2;
  const a = slot * 8;
  const bytes = c.bytes;
  const packets = c.packets;
  o = putFloorMs(d, o, c.first[slot]!);
  o = putFloorMsField(d, o, KEY.end, c.last[slot]!);
  o = putAddress(d, o, KEY.srcAddr, c.keyAddr, a + (initiatorIsB ? 4 : 0), family);
  o = putAddress(d, o, KEY.dstAddr, c.keyAddr, a + (initiatorIsB ? 0 : 4), family);
  o = putUintField(d, o, KEY.srcPort, initiatorIsB ? ports & 0xffff : ports >>> 16);
  o = putUintField(d, o, KEY.dstPort, initiatorIsB ? ports >>> 16 : ports & 0xffff);
  o = putUintField(d, o, KEY.proto, proto);
  o = putNumberField(d, o, KEY.bytes, bytes[s]!);
  o = putUintField(d, o, KEY.packets, packets[s]!);
  o = putNumberField(d, o, KEY.reverseBytes, bytes[s + 1]!);
  o = putUintField(d, o, KEY.reversePackets, packets[s + 1]!);
  o = putUintField(d, o, KEY.tos, c.tos[slot]!);
  o = putUintField(d, o, KEY.etherType, c.l2[slot * 3 + 2]!);
  if (proto === ICMP || proto === ICMPV6) {
    const icmp = c.icmp[slot]!;
    o = putUintField(d, o, KEY.icmpType, icmp >>> 8);
    o = putUintField(d, o, KEY.icmpCode, icmp & 0xff);
  }
  return o;
}

/** Key `k` and the address in words `w[at..at+3]` of IP version `family` (IPv6 is rarer: no field writer). */
function putAddress(d: DataView, o: number, k: number, w: Uint32Array, at: number, family: number): number {
  return family === 4 ? putIpv4Field(d, o, k, w[at + 3]!) : putIpv6Quoted(d, putKey(d, o, k), w, at);
}

function putLayer2(d: DataView, o: number, c: FlowColumns, slot: number): number {
  const mac = c.mac;
  const src = mac[slot * 2]!;
  if (src >= 0) {
    o = putMacField(d, o, KEY.srcMac, src);
    o = putMacField(d, o, KEY.dstMac, mac[slot * 2 + 1]!);
  }
  const l2 = c.l2;
  const vlan = l2[slot * 3]!;
  const outer = l2[slot * 3 + 1]!;
  if (vlan !== 0) o = putUintField(d, o, KEY.vlan, vlan);
  if (outer !== 0) o = putUintField(d, o, KEY.outerVlan, outer);
  const n = Math.min(c.mplsCount[slot]!, 3, MAX_KEPT_MPLS_LABELS);
  if (n > 0) {
    o = putKey(d, o, KEY.mplsLabels);
    for (let i = 0; i < n; i++) {
      if (i > 0) d.setUint8(o++, COMMA);
      o = putUint32(d, o, c.mpls[slot * 3 + i]!);
    }
    d.setUint8(o++, BRACKET);
  }
  return o;
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

function putTcp(d: DataView, o: number, c: FlowColumns, slot: number): number {
  const q = slot * 4;
  const quality = c.quality;
  o = putUintField(d, o, KEY.tcpFlags, c.tcpFlags[slot * 2]!);
  o = putUintField(d, o, KEY.reverseTcpFlags, c.tcpFlags[slot * 2 + 1]!);
  o = putUintField(d, o, KEY.retransmissions, quality[q]!);
  o = putUintField(d, o, KEY.outOfOrder, quality[q + 1]!);
  o = putUintField(d, o, KEY.lost, quality[q + 2]!);
  o = putUintField(d, o, KEY.zeroWindows, quality[q + 3]!);
  const h = slot * 3;
  const hs = c.handshake;
  const syn = hs[h]!;
  const synAck = hs[h + 1]!;
  const ack = hs[h + 2]!;
  if (syn > 0 && synAck >= syn && ack >= synAck) {
    o = putNumberField(d, o, KEY.rttUs, Math.round((ack - syn) * 1000));
    o = putNumberField(d, o, KEY.serverRttUs, Math.round((synAck - syn) * 1000));
    o = putNumberField(d, o, KEY.clientRttUs, Math.round((ack - synAck) * 1000));
  }
  return o;
}
