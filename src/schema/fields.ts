/**
 * The flow field table: one row per FlowRecord field, with an abstract kind
 * that every store dialect maps to its own column type, whether it can be
 * grouped/filtered (dimension) or summed/averaged (metric), whether the
 * rollup tables keep it, and the label and description the API and UI show.
 * The store DDL, the columnar batches between threads, the query dimensions
 * and the filter language are all generated from it, so a field added here
 * reaches every one of them.
 */
import type { FlowRecord } from './flow-record.ts';

/**
 * Abstract value kinds. `ip` is any address (IPv4 kept as IPv4-mapped IPv6,
 * so one 16-byte column orders every address and a CIDR is a range); `mac` is
 * a 48-bit integer; `lowcard` is a string with few distinct values (a
 * dictionary column where the engine has one); `enum` a closed set.
 */
export type FieldKind =
  | 'u8'
  | 'u16'
  | 'u32'
  | 'u64'
  | 'float'
  | 'ip'
  | 'mac'
  | 'time'
  | 'enum'
  | 'lowcard'
  | 'string'
  | 'u32list'
  | 'json';

/** One field of the flow record as the store, the queries and the UI see it. */
export interface FieldDef {
  readonly name: keyof FlowRecord;
  readonly kind: FieldKind;
  /** Groupable and filterable. */
  readonly dimension: boolean;
  /** Summable (counters) or averageable (quality measurements). */
  readonly metric: boolean;
  /** Kept by the rollup tables (low cardinality dimensions only). */
  readonly rollup: boolean;
  /** Values of an `enum` field, in code order (a batch stores the 0-based index). */
  readonly values?: readonly string[];
  readonly label: string;
  readonly description: string;
}

type Flags = 'd' | 'm' | 'dr' | '-';

function f(
  name: keyof FlowRecord,
  kind: FieldKind,
  flags: Flags,
  label: string,
  description: string,
  values?: readonly string[],
): FieldDef {
  const def = {
    name,
    kind,
    dimension: flags === 'd' || flags === 'dr',
    metric: flags === 'm',
    rollup: flags === 'dr',
    label,
    description,
  };
  return values ? { ...def, values } : def;
}

/** Flow types in code order; a new type is appended (the stores migrate enum columns). */
export const FLOW_TYPES = ['netflow5', 'netflow9', 'ipfix', 'sflow5', 'packets'] as const;

/** Every FlowRecord field, in contracts.md order. */
export const FIELDS: readonly FieldDef[] = [
  f('type', 'enum', 'dr', 'Type', 'Export protocol of the record, or packets for the meter', FLOW_TYPES),
  f(
    'exporter',
    'lowcard',
    'dr',
    'Exporter',
    'Device that sent the flow export (an address), or the interface or file the meter read',
  ),
  f('observationDomain', 'u32', 'd', 'Observation domain', 'IPFIX domain / v9 source id / sFlow sub-agent'),
  f('start', 'time', '-', 'Start', 'First packet of the flow'),
  f('end', 'time', '-', 'End', 'Last packet of the flow'),
  f('srcAddr', 'ip', 'd', 'Source address', 'Source IP address'),
  f('dstAddr', 'ip', 'd', 'Destination address', 'Destination IP address'),
  f('srcPort', 'u16', 'd', 'Source port', 'Source TCP/UDP port'),
  f('dstPort', 'u16', 'd', 'Destination port', 'Destination TCP/UDP port'),
  f('proto', 'u8', 'dr', 'Protocol', 'IANA IP protocol number'),
  f('bytes', 'u64', 'm', 'Bytes', 'Bytes as carried by the record (queries scale by the sampling rate)'),
  f('packets', 'u64', 'm', 'Packets', 'Packets as carried by the record'),
  f('reverseBytes', 'u64', 'm', 'Reverse bytes', 'Bytes of the other direction (biflows)'),
  f('reversePackets', 'u64', 'm', 'Reverse packets', 'Packets of the other direction (biflows)'),
  f('samplingRate', 'u32', 'd', 'Sampling rate', '1-in-N packet sampling of this record'),
  f('tcpFlags', 'u8', 'd', 'TCP flags', 'OR of the TCP flags seen'),
  f('tos', 'u8', 'd', 'ToS', 'IP type of service / DSCP byte'),
  f('inIf', 'u32', 'dr', 'Input interface', 'SNMP index of the input interface'),
  f('outIf', 'u32', 'dr', 'Output interface', 'SNMP index of the output interface'),
  f('direction', 'enum', 'dr', 'Direction', 'Ingress or egress', ['ingress', 'egress']),
  f('srcAs', 'u32', 'dr', 'Source AS', 'Source autonomous system'),
  f('dstAs', 'u32', 'dr', 'Destination AS', 'Destination autonomous system'),
  f('nextHop', 'ip', 'd', 'Next hop', 'IP next hop'),
  f('srcMask', 'u8', 'd', 'Source mask', 'Source prefix length'),
  f('dstMask', 'u8', 'd', 'Destination mask', 'Destination prefix length'),
  f('srcMac', 'mac', 'd', 'Source MAC', 'Source MAC address'),
  f('dstMac', 'mac', 'd', 'Destination MAC', 'Destination MAC address'),
  f('vlan', 'u16', 'dr', 'VLAN', 'VLAN id'),
  f('outerVlan', 'u16', 'd', 'Outer VLAN', 'Service VLAN id (QinQ)'),
  f('etherType', 'u16', 'dr', 'EtherType', 'Ethernet type of the payload'),
  f('icmpType', 'u8', 'd', 'ICMP type', 'ICMP / ICMPv6 type'),
  f('icmpCode', 'u8', 'd', 'ICMP code', 'ICMP / ICMPv6 code'),
  f('mplsLabels', 'u32list', '-', 'MPLS labels', 'MPLS label stack, top first'),
  f('natSrcAddr', 'ip', 'd', 'NAT source address', 'Post-NAT source address'),
  f('natDstAddr', 'ip', 'd', 'NAT destination address', 'Post-NAT destination address'),
  f('natSrcPort', 'u16', 'd', 'NAT source port', 'Post-NAT source port'),
  f('natDstPort', 'u16', 'd', 'NAT destination port', 'Post-NAT destination port'),
  f('tunnelType', 'lowcard', 'dr', 'Tunnel', 'Tunnel that carried the flow (GRE, VXLAN, ...)'),
  f('tunnelId', 'u32', 'd', 'Tunnel id', 'GRE key, VXLAN VNI, GTP TEID, ...'),
  f('outerSrcAddr', 'ip', 'd', 'Outer source address', 'Tunnel source address'),
  f('outerDstAddr', 'ip', 'd', 'Outer destination address', 'Tunnel destination address'),
  f('rttUs', 'u32', 'm', 'RTT (µs)', 'TCP round-trip time'),
  f('retransmissions', 'u32', 'm', 'Retransmissions', 'TCP retransmitted segments'),
  f('outOfOrder', 'u32', 'm', 'Out of order', 'TCP segments out of order'),
  f('lost', 'u32', 'm', 'Lost', 'Segments or packets lost'),
  f('jitterUs', 'u32', 'm', 'Jitter (µs)', 'Inter-arrival jitter'),
  f('reverseTcpFlags', 'u8', 'd', 'Reverse TCP flags', 'OR of the TCP flags the responder sent'),
  f('zeroWindows', 'u32', 'm', 'Zero windows', 'TCP segments advertising a zero window'),
  f('serverRttUs', 'u32', 'm', 'Server RTT (µs)', 'SYN to SYN/ACK at the probe'),
  f('clientRttUs', 'u32', 'm', 'Client RTT (µs)', 'SYN/ACK to ACK at the probe'),
  f('appResponseUs', 'u32', 'm', 'App response (µs)', 'First request to first response payload'),
  f('appId', 'string', 'd', 'Application id', 'Application id as exported (IANA IE 95)'),
  f('appProto', 'lowcard', 'dr', 'Application', 'Application protocol'),
  f('appCategory', 'lowcard', 'dr', 'Category', 'Application category'),
  f('srcCountry', 'lowcard', 'dr', 'Source country', 'ISO 3166 country of the source'),
  f('dstCountry', 'lowcard', 'dr', 'Destination country', 'ISO 3166 country of the destination'),
  f('srcAsName', 'lowcard', 'dr', 'Source AS name', 'Name of the source AS'),
  f('dstAsName', 'lowcard', 'dr', 'Destination AS name', 'Name of the destination AS'),
  f('srcHost', 'string', 'd', 'Source host', 'Host name of the source'),
  f('dstHost', 'string', 'd', 'Destination host', 'Host name of the destination'),
  f(
    'srcScope',
    'lowcard',
    'dr',
    'Source scope',
    'Private or special range of the source (private, cgnat, ...)',
  ),
  f('dstScope', 'lowcard', 'dr', 'Destination scope', 'Private or special range of the destination'),
  f('srcVendor', 'lowcard', 'd', 'Source vendor', 'Vendor of the source MAC (IEEE registries)'),
  f('dstVendor', 'lowcard', 'd', 'Destination vendor', 'Vendor of the destination MAC'),
  f('serverName', 'string', 'd', 'Server name', 'Name the client asked for (SNI, HTTP Host, DNS query)'),
  f('ja4', 'string', 'd', 'JA4', 'JA4 TLS client fingerprint'),
  f('httpUserAgent', 'string', 'd', 'User agent', 'HTTP User-Agent of the client'),
  f('extra', 'json', '-', 'Other fields', 'Enterprise-specific fields by "<pen>.<ie>"'),
];

const byName = new Map<string, FieldDef>(FIELDS.map((d) => [d.name, d]));

/** The field of that name, or undefined. */
export function fieldByName(name: string): FieldDef | undefined {
  return byName.get(name);
}

/** Fields that can be grouped and filtered. */
export const DIMENSIONS: readonly FieldDef[] = FIELDS.filter((d) => d.dimension);
