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
import { formatAddressWords } from './flow-export.ts';
import type { FlowColumns } from './flow-columns.ts';
import { encodeText, putAscii, putBytes, putIpv4, putMac, putNumber } from './json-bytes.ts';
import type { FlowNames } from './app-labels.ts';
import type { AppLabel } from './payload-inspector.ts';

const ICMP = 1;
const TCP = 6;
const ICMPV6 = 58;
/** Bytes a line takes at most besides the exporter and the label: keys ~700, values ~800 (and putText padding, 3). */
const MAX_FIXED_LINE_BYTES = 2048;

/**
 * Fixed text (keys, the line's start and end) as little-endian 32-bit words,
 * zero-padded: `putText` writes it four bytes a step (keys are 5-25 bytes; a
 * byte loop took about 60 ms of the 200,000 lines of the benchmark, words 25).
 * The padding lands after the text and is overwritten by what follows (a
 * line has room to spare: MAX_FIXED_LINE_BYTES).
 */
interface Text {
  words: Int32Array;
  length: number;
}

function text(s: string): Text {
  const bytes = encodeText(s);
  const words = new Int32Array(Math.ceil(bytes.length / 4));
  new Uint8Array(words.buffer).set(bytes);
  return { words, length: bytes.length };
}

/** Writes `t` at `o` (and up to 3 bytes of padding after it); returns the offset after the text. */
function putText(d: DataView, o: number, t: Text): number {
  const w = t.words;
  for (let i = 0; i < w.length; i++) d.setInt32(o + 4 * i, w[i]!, true);
  return o + t.length;
}

/** A number's key: comma before, colon after. */
const num = (name: string): Text => text(`,"${name}":`);
/** A string's key: also the opening quote. */
const str = (name: string): Text => text(`,"${name}":"`);
/** Key bytes by field name (plain properties: monomorphic loads on the hot path). */
const KEY = {
  start: num('start'),
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
  tunnelId: num('tunnelId'),
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
  tunnelType: str('tunnelType'),
  outerSrcAddr: str('outerSrcAddr'),
  outerDstAddr: str('outerDstAddr'),
};
const QUOTE = 0x22;
const CLOSE_LINE = text('}\n');

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
  const prefix = text(`{"type":"packets","exporter":${JSON.stringify(exporter)}`);
  const labelBytes = new WeakMap<AppLabel, Uint8Array>();
  /** A DataView of the last output buffer written (`viewed`). */
  let viewed: Uint8Array | undefined;
  let d: DataView = new DataView(new ArrayBuffer(0));
  const labelJson = (l: AppLabel): Uint8Array => {
    let bytes = labelBytes.get(l);
    if (!bytes) {
      const cat = l.appCategory === undefined ? '' : `,"appCategory":${JSON.stringify(l.appCategory)}`;
      bytes = encodeText(`,"appProto":${JSON.stringify(l.appProto)}${cat}`);
      labelBytes.set(l, bytes);
    }
    return bytes;
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
    out.reserve(MAX_FIXED_LINE_BYTES + prefix.length + (label?.length ?? 0) + (named?.length ?? 0));
    const b = out.buf;
    if (b !== viewed) {
      viewed = b;
      d = new DataView(b.buffer, b.byteOffset, b.byteLength);
    }
    let o = putText(d, out.used, prefix);
    o = putMain(b, d, o, c, slot);
    o = putLayer2(b, d, o, c, slot);
    const meta = c.keyMeta[slot]!;
    const tunnelType = (meta >>> 16) & 0xff;
    if (tunnelType !== 0) o = putTunnel(b, d, o, c, slot, tunnelType, (meta >>> 12) & 0xf);
    if ((meta & 0xff) === TCP) o = putTcp(b, d, o, c, slot);
    const app = c.app[slot * 2 + 1]!;
    if (app >= 0) o = putNumber(b, putText(d, o, KEY.appResponseUs), Math.round(app * 1000));
    if (label) o = putBytes(b, o, label);
    if (named) o = putBytes(b, o, named);
    out.used = putText(d, o, CLOSE_LINE);
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

/** Times, 5-tuple, counters, tos, EtherType, ICMP type/code. */
function putMain(b: Uint8Array, d: DataView, o: number, c: FlowColumns, slot: number): number {
  const meta = c.keyMeta[slot]!;
  const proto = meta & 0xff;
  const family = (meta >>> 8) & 0xf;
  const initiatorIsB = (meta >>> 24) & 1;
  const ports = c.keyPorts[slot]!;
  const s = slot * 2;
  const a = slot * 8;
  o = putNumber(b, putText(d, o, KEY.start), Math.floor(c.first[slot]!));
  o = putNumber(b, putText(d, o, KEY.end), Math.floor(c.last[slot]!));
  o = putAddress(b, putText(d, o, KEY.srcAddr), c.keyAddr, a + (initiatorIsB ? 4 : 0), family);
  o = putAddress(b, putText(d, o, KEY.dstAddr), c.keyAddr, a + (initiatorIsB ? 0 : 4), family);
  o = putNumber(b, putText(d, o, KEY.srcPort), initiatorIsB ? ports & 0xffff : ports >>> 16);
  o = putNumber(b, putText(d, o, KEY.dstPort), initiatorIsB ? ports >>> 16 : ports & 0xffff);
  o = putNumber(b, putText(d, o, KEY.proto), proto);
  o = putNumber(b, putText(d, o, KEY.bytes), c.bytes[s]!);
  o = putNumber(b, putText(d, o, KEY.packets), c.packets[s]!);
  o = putNumber(b, putText(d, o, KEY.reverseBytes), c.bytes[s + 1]!);
  o = putNumber(b, putText(d, o, KEY.reversePackets), c.packets[s + 1]!);
  o = putNumber(b, putText(d, o, KEY.tos), c.tos[slot]!);
  o = putNumber(b, putText(d, o, KEY.etherType), c.l2[slot * 3 + 2]!);
  if (proto === ICMP || proto === ICMPV6) {
    o = putNumber(b, putText(d, o, KEY.icmpType), c.icmp[slot]! >>> 8);
    o = putNumber(b, putText(d, o, KEY.icmpCode), c.icmp[slot]! & 0xff);
  }
  return o;
}

/** An address in quotes (the opening quote is part of the key). IPv6 is rarer: through the text form. */
function putAddress(b: Uint8Array, o: number, w: Uint32Array, at: number, family: number): number {
  o = family === 4 ? putIpv4(b, o, w[at + 3]!) : putAscii(b, o, formatAddressWords(w, at, family));
  b[o] = QUOTE;
  return o + 1;
}

function putLayer2(b: Uint8Array, d: DataView, o: number, c: FlowColumns, slot: number): number {
  const src = c.mac[slot * 2]!;
  if (src >= 0) {
    o = putMac(b, putText(d, o, KEY.srcMac), src);
    b[o++] = QUOTE;
    o = putMac(b, putText(d, o, KEY.dstMac), c.mac[slot * 2 + 1]!);
    b[o++] = QUOTE;
  }
  const vlan = c.l2[slot * 3]!;
  const outer = c.l2[slot * 3 + 1]!;
  if (vlan !== 0) o = putNumber(b, putText(d, o, KEY.vlan), vlan);
  if (outer !== 0) o = putNumber(b, putText(d, o, KEY.outerVlan), outer);
  const n = Math.min(c.mplsCount[slot]!, 3, MAX_KEPT_MPLS_LABELS);
  if (n > 0) o = putAscii(b, o, `,"mplsLabels":[${c.mpls.subarray(slot * 3, slot * 3 + n).join(',')}]`);
  return o;
}

function putTunnel(
  b: Uint8Array,
  d: DataView,
  o: number,
  c: FlowColumns,
  slot: number,
  type: number,
  family: number,
): number {
  o = putAscii(b, putText(d, o, KEY.tunnelType), TUNNEL_TYPES[type] ?? '');
  b[o++] = QUOTE;
  o = putNumber(b, putText(d, o, KEY.tunnelId), c.tunnelId[slot]!);
  if (family !== 0) {
    o = putAddress(b, putText(d, o, KEY.outerSrcAddr), c.outerAddr, slot * 8, family);
    o = putAddress(b, putText(d, o, KEY.outerDstAddr), c.outerAddr, slot * 8 + 4, family);
  }
  return o;
}

function putTcp(b: Uint8Array, d: DataView, o: number, c: FlowColumns, slot: number): number {
  const q = slot * 4;
  o = putNumber(b, putText(d, o, KEY.tcpFlags), c.tcpFlags[slot * 2]!);
  o = putNumber(b, putText(d, o, KEY.reverseTcpFlags), c.tcpFlags[slot * 2 + 1]!);
  o = putNumber(b, putText(d, o, KEY.retransmissions), c.quality[q]!);
  o = putNumber(b, putText(d, o, KEY.outOfOrder), c.quality[q + 1]!);
  o = putNumber(b, putText(d, o, KEY.lost), c.quality[q + 2]!);
  o = putNumber(b, putText(d, o, KEY.zeroWindows), c.quality[q + 3]!);
  const h = slot * 3;
  const syn = c.handshake[h]!;
  const synAck = c.handshake[h + 1]!;
  const ack = c.handshake[h + 2]!;
  if (syn > 0 && synAck >= syn && ack >= synAck) {
    o = putNumber(b, putText(d, o, KEY.rttUs), Math.round((ack - syn) * 1000));
    o = putNumber(b, putText(d, o, KEY.serverRttUs), Math.round((synAck - syn) * 1000));
    o = putNumber(b, putText(d, o, KEY.clientRttUs), Math.round((ack - synAck) * 1000));
  }
  return o;
}
