/**
 * NetFlow v5 export packets (Cisco "NetFlow Export Datagram Format", v5): a
 * 24-byte header and up to 30 fixed 48-byte records.
 */
import { formatIpv4 } from '../../common/net.ts';
import { countError, type DecodeOutput } from '../result.ts';
import { asFlowRecord, newRecord } from './record.ts';
import { nextSequence, sequenceGap } from './sequence.ts';
import type { ExporterState } from './template-registry.ts';

const V5_HEADER_LENGTH = 24;
const V5_RECORD_LENGTH = 48;
/** Cisco documents 1-30 records per v5 datagram. */
const V5_MAX_COUNT = 30;
/** sampling_interval: low 14 bits the interval, top 2 bits the mode. */
const V5_SAMPLING_INTERVAL_MASK = 0x3fff;

/** Decodes one v5 datagram (version already checked); `ex` undefined when no state may be kept. */
export function decodeV5(
  b: Uint8Array,
  v: DataView,
  exporter: string,
  ex: ExporterState | undefined,
  out: DecodeOutput,
): void {
  if (b.length < V5_HEADER_LENGTH) {
    countError(out.errors, 'truncated');
    return;
  }
  const count = v.getUint16(2);
  const fit = Math.floor((b.length - V5_HEADER_LENGTH) / V5_RECORD_LENGTH);
  let n = count;
  if (count === 0 || count > V5_MAX_COUNT || count > fit) {
    // The header disagrees with the datagram: decode the records that are really there.
    countError(out.errors, 'bad_header');
    n = Math.min(fit, V5_MAX_COUNT);
  }
  const sysUptime = v.getUint32(4);
  const exportMs = v.getUint32(8) * 1000 + Math.floor(v.getUint32(12) / 1_000_000);
  const sequence = v.getUint32(16);
  const engine = v.getUint16(20);
  const interval = v.getUint16(22) & V5_SAMPLING_INTERVAL_MASK;
  if (ex !== undefined) trackSequence(ex, engine, sequence, n, out);
  for (let i = 0; i < n; i++) {
    const o = V5_HEADER_LENGTH + i * V5_RECORD_LENGTH;
    const r = newRecord('netflow5', exporter, undefined);
    r.srcAddr = formatIpv4(b, o);
    r.dstAddr = formatIpv4(b, o + 4);
    r.nextHop = formatIpv4(b, o + 8);
    r.inIf = v.getUint16(o + 12);
    r.outIf = v.getUint16(o + 14);
    r.packets = v.getUint32(o + 16);
    r.bytes = v.getUint32(o + 20);
    // first/last are sysUptime ms; `| 0` keeps uptime wrap-around right.
    r.start = exportMs - ((sysUptime - v.getUint32(o + 24)) | 0);
    r.end = exportMs - ((sysUptime - v.getUint32(o + 28)) | 0);
    r.srcPort = v.getUint16(o + 32);
    r.dstPort = v.getUint16(o + 34);
    r.tcpFlags = v.getUint8(o + 37);
    r.proto = v.getUint8(o + 38);
    r.tos = v.getUint8(o + 39);
    r.srcAs = v.getUint16(o + 40);
    r.dstAs = v.getUint16(o + 42);
    r.srcMask = v.getUint8(o + 44);
    r.dstMask = v.getUint8(o + 45);
    if (interval > 0) r.samplingRate = interval;
    out.records.push(asFlowRecord(r));
  }
}

/** flow_sequence counts flows, per engine (type, id). */
function trackSequence(
  ex: ExporterState,
  engine: number,
  sequence: number,
  n: number,
  out: DecodeOutput,
): void {
  const lost = sequenceGap(ex.v5NextSequence.get(engine) ?? -1, sequence);
  if (lost > 0) out.lostRecords = (out.lostRecords ?? 0) + lost;
  ex.v5NextSequence.set(engine, nextSequence(sequence, n));
}
