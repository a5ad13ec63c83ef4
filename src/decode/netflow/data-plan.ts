/**
 * The record loop: runs a template's compiled plan over one data record,
 * writing straight into the record and the scratch area. Bounds are checked
 * once per field against `end` (the data set's end), never past it.
 */
import { formatIpv6 } from '../../common/net.ts';
import { ipv4Text } from './ipv4-text.ts';
import { H } from './ie-numbers.ts';
import { applyOtherField } from './other-fields.ts';
import { readUint } from './read-uint.ts';
import type { FullRecord, RecordScratch } from './record.ts';
import { VARIABLE_LENGTH, type DataPlan } from './template.ts';

/** RFC 7011 §7: a one-byte length of 255 means a two-byte length follows. */
const VARLEN_LONG = 255;
/** True when the `len` (4 or 16) bytes at `off` are all zero: an unused address of the other family. */
function isZero(v: DataView, off: number, len: number): boolean {
  for (let i = 0; i < len; i += 4) if (v.getUint32(off + i) !== 0) return false;
  return true;
}

/**
 * Decodes one record at `off`; returns the offset after it, or -1 when a field
 * (or a variable-length prefix) would run past `end`.
 */
export function decodeRecordFields(
  plan: DataPlan,
  b: Uint8Array,
  v: DataView,
  off: number,
  end: number,
  r: FullRecord,
  s: RecordScratch,
): number {
  const { codes, lengths } = plan;
  const n = codes.length;
  for (let i = 0; i < n; i++) {
    let len = lengths[i] ?? 0;
    if (len === VARIABLE_LENGTH) {
      if (off + 1 > end) return -1;
      len = v.getUint8(off++);
      if (len === VARLEN_LONG) {
        if (off + 2 > end) return -1;
        len = v.getUint16(off);
        off += 2;
      }
    }
    if (off + len > end) return -1;
    const code = codes[i] ?? H.SKIP;
    if (code !== H.SKIP) {
      if (code < H.ICMP_TYPE_CODE) applyCoreField(code, b, v, off, len, r, s);
      else applyOtherField(code, plan, i, b, v, off, len, r, s);
    }
    off += len;
  }
  return off;
}

function applyCoreField(
  code: number,
  b: Uint8Array,
  v: DataView,
  off: number,
  len: number,
  r: FullRecord,
  s: RecordScratch,
): void {
  switch (code) {
    case H.BYTES:
      r.bytes = readUint(v, off, len);
      return;
    case H.PACKETS:
      r.packets = readUint(v, off, len);
      return;
    case H.PROTO:
      r.proto = readUint(v, off, len);
      return;
    case H.TOS:
      r.tos = readUint(v, off, len);
      return;
    case H.TCP_FLAGS:
      r.tcpFlags = readUint(v, off, len);
      return;
    case H.SRC_PORT:
      r.srcPort = readUint(v, off, len);
      return;
    case H.DST_PORT:
      r.dstPort = readUint(v, off, len);
      return;
    case H.SRC_V4:
      if (len === 4 && (r.srcAddr === undefined || !isZero(v, off, 4)))
        r.srcAddr = ipv4Text(s.ipv4Cache, v, off);
      return;
    case H.DST_V4:
      if (len === 4 && (r.dstAddr === undefined || !isZero(v, off, 4)))
        r.dstAddr = ipv4Text(s.ipv4Cache, v, off);
      return;
    case H.SRC_V6:
      if (len === 16 && (r.srcAddr === undefined || !isZero(v, off, 16))) r.srcAddr = formatIpv6(b, off);
      return;
    case H.DST_V6:
      if (len === 16 && (r.dstAddr === undefined || !isZero(v, off, 16))) r.dstAddr = formatIpv6(b, off);
      return;
    case H.SRC_MASK:
      r.srcMask = readUint(v, off, len);
      return;
    case H.DST_MASK:
      r.dstMask = readUint(v, off, len);
      return;
    case H.IN_IF:
      r.inIf = readUint(v, off, len);
      return;
    case H.OUT_IF:
      r.outIf = readUint(v, off, len);
      return;
    case H.NEXT_HOP_V4:
      if (len === 4 && (r.nextHop === undefined || !isZero(v, off, 4)))
        r.nextHop = ipv4Text(s.ipv4Cache, v, off);
      return;
    case H.NEXT_HOP_V6:
      if (len === 16 && (r.nextHop === undefined || !isZero(v, off, 16))) r.nextHop = formatIpv6(b, off);
      return;
    case H.SRC_AS:
      r.srcAs = readUint(v, off, len);
      return;
    case H.DST_AS:
      r.dstAs = readUint(v, off, len);
      return;
    case H.UP_START:
      s.upStart = readUint(v, off, len);
      return;
    case H.UP_END:
      s.upEnd = readUint(v, off, len);
      return;
    default:
      return;
  }
}
