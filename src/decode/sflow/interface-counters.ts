/**
 * Counter samples (sFlow v5 §5, "counters_sample" and "counters_sample_expanded"):
 * the generic interface counters (0:1, RFC 2863 ifTable/ifXTable) and Ethernet
 * counters (0:2, RFC 3635 dot3StatsTable) kept as the latest values per agent
 * and ifIndex. They produce no flow records.
 */
import { countError } from '../result.ts';
import {
  COUNTER_EXPANDED_FIXED_BYTES,
  COUNTER_SAMPLE_FIXED_BYTES,
  COUNTERS_ETHERNET,
  COUNTERS_GENERIC_INTERFACE,
  ETHERNET_COUNTERS_BYTES,
  FORMAT_BITS,
  FORMAT_MASK,
  GENERIC_INTERFACE_BYTES,
  SAMPLE_HEADER_BYTES,
  SOURCE_INDEX_MASK,
  SOURCE_TYPE_IFINDEX,
  SOURCE_TYPE_SHIFT,
} from './constants.ts';
import type { DecodeScope } from './decode-scope.ts';

/**
 * The latest counters of one interface of one agent. Generic fields are
 * absent until a generic interface record came, dot3 fields until an Ethernet
 * record came. 64-bit counters are numbers: exact up to 2^53.
 */
export interface InterfaceCounters {
  /** Agent address from the datagram (not necessarily its UDP source). */
  agent: string;
  subAgentId: number;
  ifIndex: number;
  ifType?: number;
  /** Bits per second. */
  ifSpeed?: number;
  /** 0 unknown, 1 full-duplex, 2 half-duplex, 3 in, 4 out. */
  ifDirection?: number;
  /** Bit 0 ifAdminStatus up, bit 1 ifOperStatus up. */
  ifStatus?: number;
  ifInOctets?: number;
  ifInUcastPkts?: number;
  ifInMulticastPkts?: number;
  ifInBroadcastPkts?: number;
  ifInDiscards?: number;
  ifInErrors?: number;
  ifInUnknownProtos?: number;
  ifOutOctets?: number;
  ifOutUcastPkts?: number;
  ifOutMulticastPkts?: number;
  ifOutBroadcastPkts?: number;
  ifOutDiscards?: number;
  ifOutErrors?: number;
  ifPromiscuousMode?: number;
  dot3StatsAlignmentErrors?: number;
  dot3StatsFCSErrors?: number;
  dot3StatsSingleCollisionFrames?: number;
  dot3StatsMultipleCollisionFrames?: number;
  dot3StatsSQETestErrors?: number;
  dot3StatsDeferredTransmissions?: number;
  dot3StatsLateCollisions?: number;
  dot3StatsExcessiveCollisions?: number;
  dot3StatsInternalMacTransmitErrors?: number;
  dot3StatsCarrierSenseErrors?: number;
  dot3StatsFrameTooLongs?: number;
  dot3StatsInternalMacReceiveErrors?: number;
  dot3StatsSymbolErrors?: number;
  /** When the latest counter sample for this interface was received (epoch ms). */
  updatedMs: number;
}

/** Decodes a (compact or expanded) counter sample spanning [p, end). */
export function decodeCounterSample(sc: DecodeScope, p: number, end: number, expanded: boolean): void {
  const v = sc.v;
  if (end - p < (expanded ? COUNTER_EXPANDED_FIXED_BYTES : COUNTER_SAMPLE_FIXED_BYTES)) {
    countError(sc.errors, 'bad_record');
    return;
  }
  let sourceType: number;
  let sourceIndex: number;
  let q: number;
  if (expanded) {
    sourceType = v.getUint32(p + 4);
    sourceIndex = v.getUint32(p + 8);
    q = p + 12;
  } else {
    const source = v.getUint32(p + 4);
    sourceType = source >>> SOURCE_TYPE_SHIFT;
    sourceIndex = source & SOURCE_INDEX_MASK;
    q = p + 8;
  }
  const count = v.getUint32(q);
  q += 4;
  if (count > (end - q) / SAMPLE_HEADER_BYTES) countError(sc.errors, 'bad_record');
  // Ethernet counters carry no ifIndex: they belong to the generic record's
  // interface, or to the data source when that is an ifIndex.
  let ifIndex = sourceType === SOURCE_TYPE_IFINDEX ? sourceIndex : -1;
  for (let i = 0; i < count && q + SAMPLE_HEADER_BYTES <= end; i++) {
    const format = v.getUint32(q);
    const length = v.getUint32(q + 4);
    q += SAMPLE_HEADER_BYTES;
    if (length > end - q) {
      countError(sc.errors, 'bad_record');
      return;
    }
    if (format >>> FORMAT_BITS === 0) {
      const kind = format & FORMAT_MASK;
      if (kind === COUNTERS_GENERIC_INTERFACE) ifIndex = readGeneric(sc, q, length);
      else if (kind === COUNTERS_ETHERNET) readEthernet(sc, q, length, ifIndex);
    }
    q += length;
  }
}

/** Returns the record's ifIndex, or -1 when the record is too short. */
function readGeneric(sc: DecodeScope, p: number, length: number): number {
  if (length < GENERIC_INTERFACE_BYTES) {
    countError(sc.errors, 'bad_record');
    return -1;
  }
  const v = sc.v;
  const ifIndex = v.getUint32(p);
  const c = sc.agents.interfaceOf(sc.agent, ifIndex, sc.errors);
  c.ifType = v.getUint32(p + 4);
  c.ifSpeed = readUint64(v, p + 8);
  c.ifDirection = v.getUint32(p + 16);
  c.ifStatus = v.getUint32(p + 20);
  c.ifInOctets = readUint64(v, p + 24);
  c.ifInUcastPkts = v.getUint32(p + 32);
  c.ifInMulticastPkts = v.getUint32(p + 36);
  c.ifInBroadcastPkts = v.getUint32(p + 40);
  c.ifInDiscards = v.getUint32(p + 44);
  c.ifInErrors = v.getUint32(p + 48);
  c.ifInUnknownProtos = v.getUint32(p + 52);
  c.ifOutOctets = readUint64(v, p + 56);
  c.ifOutUcastPkts = v.getUint32(p + 64);
  c.ifOutMulticastPkts = v.getUint32(p + 68);
  c.ifOutBroadcastPkts = v.getUint32(p + 72);
  c.ifOutDiscards = v.getUint32(p + 76);
  c.ifOutErrors = v.getUint32(p + 80);
  c.ifPromiscuousMode = v.getUint32(p + 84);
  c.updatedMs = sc.receivedMs;
  return ifIndex;
}

function readEthernet(sc: DecodeScope, p: number, length: number, ifIndex: number): void {
  if (length < ETHERNET_COUNTERS_BYTES) {
    countError(sc.errors, 'bad_record');
    return;
  }
  if (ifIndex < 0) return; // a VLAN or physical-entity source: no interface to file it under
  const v = sc.v;
  const c = sc.agents.interfaceOf(sc.agent, ifIndex, sc.errors);
  c.dot3StatsAlignmentErrors = v.getUint32(p);
  c.dot3StatsFCSErrors = v.getUint32(p + 4);
  c.dot3StatsSingleCollisionFrames = v.getUint32(p + 8);
  c.dot3StatsMultipleCollisionFrames = v.getUint32(p + 12);
  c.dot3StatsSQETestErrors = v.getUint32(p + 16);
  c.dot3StatsDeferredTransmissions = v.getUint32(p + 20);
  c.dot3StatsLateCollisions = v.getUint32(p + 24);
  c.dot3StatsExcessiveCollisions = v.getUint32(p + 28);
  c.dot3StatsInternalMacTransmitErrors = v.getUint32(p + 32);
  c.dot3StatsCarrierSenseErrors = v.getUint32(p + 36);
  c.dot3StatsFrameTooLongs = v.getUint32(p + 40);
  c.dot3StatsInternalMacReceiveErrors = v.getUint32(p + 44);
  c.dot3StatsSymbolErrors = v.getUint32(p + 48);
  c.updatedMs = sc.receivedMs;
}

/** An XDR unsigned hyper as a number (exact below 2^53). */
function readUint64(v: DataView, p: number): number {
  return v.getUint32(p) * 0x1_0000_0000 + v.getUint32(p + 4);
}
