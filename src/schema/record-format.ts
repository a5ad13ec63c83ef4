import type { FlowRecord } from './flow-record.ts';

/**
 * The flow-record fields in output order (contracts.md). CSV columns follow
 * it; JSON Lines omit unknown fields.
 */
export const FLOW_FIELDS = [
  'type',
  'exporter',
  'observationDomain',
  'start',
  'end',
  'srcAddr',
  'dstAddr',
  'srcPort',
  'dstPort',
  'proto',
  'bytes',
  'packets',
  'reverseBytes',
  'reversePackets',
  'samplingRate',
  'tcpFlags',
  'tos',
  'inIf',
  'outIf',
  'direction',
  'srcAs',
  'dstAs',
  'nextHop',
  'srcMask',
  'dstMask',
  'srcMac',
  'dstMac',
  'vlan',
  'outerVlan',
  'etherType',
  'icmpType',
  'icmpCode',
  'mplsLabels',
  'natSrcAddr',
  'natDstAddr',
  'natSrcPort',
  'natDstPort',
  'tunnelType',
  'tunnelId',
  'outerSrcAddr',
  'outerDstAddr',
  'rttUs',
  'retransmissions',
  'outOfOrder',
  'lost',
  'jitterUs',
  'appId',
  'appProto',
  'appCategory',
  'srcCountry',
  'dstCountry',
  'srcAsName',
  'dstAsName',
  'srcHost',
  'dstHost',
  'reverseTcpFlags',
  'zeroWindows',
  'serverRttUs',
  'clientRttUs',
  'appResponseUs',
  'srcScope',
  'dstScope',
  'srcVendor',
  'dstVendor',
  'serverName',
  'ja4',
  'httpUserAgent',
] as const satisfies readonly (keyof FlowRecord)[];

/** Output formats of `decode` and `meter`. */
export type RecordFormat = 'jsonl' | 'csv';

/** The CSV header line (with newline). */
export function csvHeader(): string {
  return `${FLOW_FIELDS.join(',')}\n`;
}

/** One record as a line (with newline) in the given format. */
export function formatRecordLine(r: FlowRecord, format: RecordFormat): string {
  if (format === 'jsonl') return `${JSON.stringify(r)}\n`;
  let line = '';
  for (let i = 0; i < FLOW_FIELDS.length; i++) {
    const v = r[FLOW_FIELDS[i]!];
    if (i > 0) line += ',';
    if (v === undefined) continue;
    line += Array.isArray(v) ? v.join(' ') : csvCell(String(v));
  }
  return `${line}\n`;
}

function csvCell(s: string): string {
  return /[",\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}
