/**
 * Handlers for the less frequent fields (layer 2, ICMP, MPLS, NAT, times,
 * sampling, application id, enterprise fields); the hot ones are in data-plan.ts.
 */
import { formatHex, formatIpv4, formatIpv6, formatMac } from '../../common/net.ts';
import { H } from './ie-numbers.ts';
import type { FullRecord, RecordScratch } from './record.ts';
import type { DataPlan } from './template.ts';
import { readNtpMs, readUint } from './read-uint.ts';

/** Enterprise values this long or shorter are kept as numbers, longer ones as hex. */
const EXTRA_MAX_NUMERIC_LENGTH = 4;
/** IANA IE 61 flowDirection: 0 ingress, 1 egress. */
const DIRECTION_EGRESS = 1;
/** An MPLS label stack entry: label in the top 20 of 24 bits (RFC 3032 §2.1). */
const MPLS_LABEL_SHIFT = 4;
/** The selector id of IE 95 fits a double exactly up to 6 bytes. */
const APP_SELECTOR_MAX_NUMERIC_LENGTH = 6;

/** Applies a field whose handler code is >= H.ICMP_TYPE_CODE. */
export function applyOtherField(
  code: number,
  plan: DataPlan,
  i: number,
  b: Uint8Array,
  v: DataView,
  off: number,
  len: number,
  r: FullRecord,
  s: RecordScratch,
): void {
  if (code >= H.SEC_START && code <= H.SYS_INIT_MS) {
    applyTimeField(code, v, off, len, s);
    return;
  }
  switch (code) {
    case H.ICMP_TYPE_CODE: {
      const tc = readUint(v, off, len);
      r.icmpType = tc >>> 8;
      r.icmpCode = tc & 0xff;
      return;
    }
    case H.ICMP_TYPE:
      r.icmpType = readUint(v, off, len);
      return;
    case H.ICMP_CODE:
      r.icmpCode = readUint(v, off, len);
      return;
    case H.SRC_MAC:
      if (len === 6) r.srcMac = formatMac(b, off);
      return;
    case H.DST_MAC:
      if (len === 6) r.dstMac = formatMac(b, off);
      return;
    case H.VLAN:
      r.vlan = readUint(v, off, len);
      return;
    case H.OUTER_VLAN:
      r.outerVlan = readUint(v, off, len);
      return;
    case H.DIRECTION:
      r.direction = readUint(v, off, len) === DIRECTION_EGRESS ? 'egress' : 'ingress';
      return;
    case H.MPLS_LABEL:
      if (len === 3) {
        s.mpls[plan.aux[i] ?? 0] = readUint(v, off, 3) >>> MPLS_LABEL_SHIFT;
        s.mplsSeen = true;
      }
      return;
    case H.APP_ID:
      if (len >= 2) r.appId = formatAppId(b, v, off, len);
      return;
    case H.ETHER_TYPE:
      r.etherType = readUint(v, off, len);
      return;
    default:
      applyRareField(code, plan, i, b, v, off, len, r, s);
  }
}

function applyRareField(
  code: number,
  plan: DataPlan,
  i: number,
  b: Uint8Array,
  v: DataView,
  off: number,
  len: number,
  r: FullRecord,
  s: RecordScratch,
): void {
  switch (code) {
    case H.OUTER_SRC_V4:
      if (len === 4 && v.getUint32(off) !== 0) r.outerSrcAddr = formatIpv4(b, off);
      return;
    case H.OUTER_DST_V4:
      if (len === 4 && v.getUint32(off) !== 0) r.outerDstAddr = formatIpv4(b, off);
      return;
    case H.OUTER_SRC_V6:
      if (len === 16) r.outerSrcAddr = formatIpv6(b, off);
      return;
    case H.OUTER_DST_V6:
      if (len === 16) r.outerDstAddr = formatIpv6(b, off);
      return;
    case H.NAT_SRC_V4:
      if (len === 4) r.natSrcAddr = formatIpv4(b, off);
      return;
    case H.NAT_DST_V4:
      if (len === 4) r.natDstAddr = formatIpv4(b, off);
      return;
    case H.NAT_SRC_V6:
      if (len === 16) r.natSrcAddr = formatIpv6(b, off);
      return;
    case H.NAT_DST_V6:
      if (len === 16) r.natDstAddr = formatIpv6(b, off);
      return;
    case H.NAT_SRC_PORT:
      r.natSrcPort = readUint(v, off, len);
      return;
    case H.NAT_DST_PORT:
      r.natDstPort = readUint(v, off, len);
      return;
    case H.REV_BYTES:
      r.reverseBytes = readUint(v, off, len);
      return;
    case H.REV_PACKETS:
      r.reversePackets = readUint(v, off, len);
      return;
    case H.SAMPLING_INTERVAL:
      s.samplingInterval = readUint(v, off, len);
      return;
    case H.PKT_INTERVAL:
      s.packetInterval = readUint(v, off, len);
      return;
    case H.PKT_SPACE:
      s.packetSpace = readUint(v, off, len);
      return;
    case H.SAMPLER_ID:
      s.samplerId = readUint(v, off, len);
      return;
    // nProbe sends the two directions separately; the record carries their sum.
    case H.RETRANSMISSIONS:
      r.retransmissions = (r.retransmissions ?? 0) + readUint(v, off, len);
      return;
    case H.OUT_OF_ORDER:
      r.outOfOrder = (r.outOfOrder ?? 0) + readUint(v, off, len);
      return;
    case H.EXTRA:
      setExtra(r, plan.extraKeys[i] ?? '', b, v, off, len);
      return;
    default:
      return;
  }
}

function applyTimeField(code: number, v: DataView, off: number, len: number, s: RecordScratch): void {
  switch (code) {
    case H.SEC_START:
      s.absStart = readUint(v, off, len) * 1000;
      return;
    case H.SEC_END:
      s.absEnd = readUint(v, off, len) * 1000;
      return;
    case H.MS_START:
      s.absStart = readUint(v, off, len);
      return;
    case H.MS_END:
      s.absEnd = readUint(v, off, len);
      return;
    case H.NTP_START:
      if (len === 8) s.absStart = readNtpMs(v, off);
      return;
    case H.NTP_END:
      if (len === 8) s.absEnd = readNtpMs(v, off);
      return;
    case H.DURATION_MS:
      s.durationMs = readUint(v, off, len);
      return;
    case H.DURATION_US:
      s.durationMs = readUint(v, off, len) / 1000;
      return;
    case H.SYS_INIT_MS:
      s.sysInitMs = readUint(v, off, len);
      return;
    default:
      return;
  }
}

/** IE 95 (RFC 6759 §4): one byte classification engine id, then the selector id. */
function formatAppId(b: Uint8Array, v: DataView, off: number, len: number): string {
  const engine = v.getUint8(off);
  const selLen = len - 1;
  if (selLen <= APP_SELECTOR_MAX_NUMERIC_LENGTH) return `${engine}:${readUint(v, off + 1, selLen)}`;
  return `${engine}:${BigInt(`0x${formatHex(b, off + 1, selLen)}`).toString()}`;
}

function setExtra(r: FullRecord, key: string, b: Uint8Array, v: DataView, off: number, len: number): void {
  const value = len > 0 && len <= EXTRA_MAX_NUMERIC_LENGTH ? readUint(v, off, len) : formatHex(b, off, len);
  if (r.extra === undefined) r.extra = {};
  r.extra[key] = value;
}
