/**
 * Record construction. Every record is created with the same keys in the same
 * order (unknown ones undefined, which JSON output omits), so V8 gives all
 * records one hidden class and the stages after us stay monomorphic.
 */
import type { FlowRecord, FlowType } from '../../schema/flow-record.ts';
import { createIpv4TextCache, type Ipv4TextCache } from './ipv4-text.ts';

/** FlowRecord with every optional key present (value possibly undefined). */
export type FullRecord = { -readonly [K in keyof FlowRecord]-?: FlowRecord[K] | undefined };

/** A new record with every FlowRecord key, in one fixed order. */
export function newRecord(type: FlowType, exporter: string, domain: number | undefined): FullRecord {
  return {
    type,
    exporter,
    observationDomain: domain,
    start: undefined,
    end: undefined,
    srcAddr: undefined,
    dstAddr: undefined,
    srcPort: undefined,
    dstPort: undefined,
    proto: undefined,
    bytes: 0,
    packets: 0,
    reverseBytes: undefined,
    reversePackets: undefined,
    samplingRate: undefined,
    tcpFlags: undefined,
    tos: undefined,
    inIf: undefined,
    outIf: undefined,
    direction: undefined,
    srcAs: undefined,
    dstAs: undefined,
    nextHop: undefined,
    srcMask: undefined,
    dstMask: undefined,
    srcMac: undefined,
    dstMac: undefined,
    vlan: undefined,
    outerVlan: undefined,
    etherType: undefined,
    icmpType: undefined,
    icmpCode: undefined,
    mplsLabels: undefined,
    natSrcAddr: undefined,
    natDstAddr: undefined,
    natSrcPort: undefined,
    natDstPort: undefined,
    tunnelType: undefined,
    tunnelId: undefined,
    outerSrcAddr: undefined,
    outerDstAddr: undefined,
    rttUs: undefined,
    retransmissions: undefined,
    outOfOrder: undefined,
    lost: undefined,
    jitterUs: undefined,
    reverseTcpFlags: undefined,
    zeroWindows: undefined,
    serverRttUs: undefined,
    clientRttUs: undefined,
    appResponseUs: undefined,
    appId: undefined,
    appProto: undefined,
    appCategory: undefined,
    srcCountry: undefined,
    dstCountry: undefined,
    srcAsName: undefined,
    dstAsName: undefined,
    srcHost: undefined,
    dstHost: undefined,
    srcScope: undefined,
    dstScope: undefined,
    srcVendor: undefined,
    dstVendor: undefined,
    serverName: undefined,
    ja4: undefined,
    httpUserAgent: undefined,
    extra: undefined,
  };
}

/** The record as the public type (absent keys read as undefined either way). */
export function asFlowRecord(r: FullRecord): FlowRecord {
  return r as unknown as FlowRecord;
}

/**
 * Per-record values that are not record fields themselves: raw times before
 * they are resolved against the header, sampling parameters, the MPLS stack.
 * NaN means absent. One instance per decoder, reset for each record.
 */
export interface RecordScratch {
  upStart: number;
  upEnd: number;
  absStart: number;
  absEnd: number;
  durationMs: number;
  sysInitMs: number;
  samplingInterval: number;
  packetInterval: number;
  packetSpace: number;
  samplerId: number;
  /** Label of each MPLS stack position (IE 70 + i), -1 when absent. */
  mpls: Int32Array;
  mplsSeen: boolean;
  /** Recent IPv4 texts (see ipv4-text.ts); lives here because the scratch is per decoder. */
  ipv4Cache: Ipv4TextCache;
}

/** RFC 7012: IEs 70..79 are the ten MPLS stack positions. */
const MPLS_STACK_DEPTH = 10;

/** A scratch area, all absent. */
export function createScratch(): RecordScratch {
  return {
    upStart: NaN,
    upEnd: NaN,
    absStart: NaN,
    absEnd: NaN,
    durationMs: NaN,
    sysInitMs: NaN,
    samplingInterval: NaN,
    packetInterval: NaN,
    packetSpace: NaN,
    samplerId: NaN,
    mpls: new Int32Array(MPLS_STACK_DEPTH).fill(-1),
    mplsSeen: false,
    ipv4Cache: createIpv4TextCache(),
  };
}

/** Marks every scratch value absent again. */
export function resetScratch(s: RecordScratch): void {
  s.upStart = NaN;
  s.upEnd = NaN;
  s.absStart = NaN;
  s.absEnd = NaN;
  s.durationMs = NaN;
  s.sysInitMs = NaN;
  s.samplingInterval = NaN;
  s.packetInterval = NaN;
  s.packetSpace = NaN;
  s.samplerId = NaN;
  if (s.mplsSeen) {
    s.mpls.fill(-1);
    s.mplsSeen = false;
  }
}

/** The MPLS labels collected in the scratch, top of stack first. */
export function collectMplsLabels(s: RecordScratch): number[] | undefined {
  if (!s.mplsSeen) return undefined;
  const labels: number[] = [];
  for (const label of s.mpls) if (label >= 0) labels.push(label);
  return labels.length > 0 ? labels : undefined;
}

/** Sampling rate carried by the record itself (IE 34/50, or 305/306), NaN if none. */
export function ownSamplingRate(s: RecordScratch): number {
  if (s.samplingInterval > 0) return s.samplingInterval;
  if (s.packetInterval > 0) {
    // RFC 5475 §6.5.2.1: count-based systematic sampling selects `interval`
    // packets out of every `interval + space`.
    const space = s.packetSpace > 0 ? s.packetSpace : 0;
    return (s.packetInterval + space) / s.packetInterval;
  }
  return NaN;
}
