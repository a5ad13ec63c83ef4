/** Flow fields the explorer shows and the filter language knows (names as in the API's flow records). */

export interface FieldInfo {
  name: string;
  label: string;
  kind: 'addr' | 'int' | 'text' | 'time' | 'bytes' | 'count' | 'us' | 'proto' | 'country' | 'as';
  /** Shown by default in the explorer. */
  default?: boolean;
}

export const FLOW_FIELDS: FieldInfo[] = [
  { name: 'end', label: 'Time', kind: 'time', default: true },
  { name: 'start', label: 'Start', kind: 'time' },
  { name: 'exporter', label: 'Exporter', kind: 'addr' },
  { name: 'type', label: 'Type', kind: 'text' },
  { name: 'srcAddr', label: 'Source', kind: 'addr', default: true },
  { name: 'srcPort', label: 'Src port', kind: 'int', default: true },
  { name: 'dstAddr', label: 'Destination', kind: 'addr', default: true },
  { name: 'dstPort', label: 'Dst port', kind: 'int', default: true },
  { name: 'proto', label: 'Protocol', kind: 'proto', default: true },
  { name: 'appProto', label: 'Application', kind: 'text', default: true },
  { name: 'appCategory', label: 'Category', kind: 'text' },
  { name: 'bytes', label: 'Bytes', kind: 'bytes', default: true },
  { name: 'packets', label: 'Packets', kind: 'count', default: true },
  { name: 'srcCountry', label: 'Src country', kind: 'country', default: true },
  { name: 'dstCountry', label: 'Dst country', kind: 'country', default: true },
  { name: 'srcAs', label: 'Src AS', kind: 'as' },
  { name: 'dstAs', label: 'Dst AS', kind: 'as' },
  { name: 'srcAsName', label: 'Src AS name', kind: 'text' },
  { name: 'dstAsName', label: 'Dst AS name', kind: 'text' },
  { name: 'srcHost', label: 'Src host', kind: 'text' },
  { name: 'dstHost', label: 'Dst host', kind: 'text' },
  { name: 'rttUs', label: 'RTT', kind: 'us' },
  { name: 'retransmissions', label: 'Retrans.', kind: 'count' },
  { name: 'tcpFlags', label: 'TCP flags', kind: 'int' },
  { name: 'tos', label: 'ToS', kind: 'int' },
  { name: 'inIf', label: 'In if', kind: 'int' },
  { name: 'outIf', label: 'Out if', kind: 'int' },
  { name: 'vlan', label: 'VLAN', kind: 'int' },
  { name: 'srcMac', label: 'Src MAC', kind: 'text' },
  { name: 'dstMac', label: 'Dst MAC', kind: 'text' },
  { name: 'srcVendor', label: 'Src vendor', kind: 'text' },
  { name: 'dstVendor', label: 'Dst vendor', kind: 'text' },
  { name: 'tunnelType', label: 'Tunnel', kind: 'text' },
  { name: 'samplingRate', label: 'Sampling', kind: 'int' },
  { name: 'serverName', label: 'Server name', kind: 'text' },
];

/** Names and aliases the filter language accepts (for completion). */
export const FILTER_NAMES = [
  'src',
  'dst',
  'host',
  'sport',
  'dport',
  'port',
  'proto',
  'app',
  'category',
  'country',
  'as',
  'srcas',
  'dstas',
  'exporter',
  'vlan',
  'mac',
  'tunnel',
  'inif',
  'outif',
  'srcCountry',
  'dstCountry',
  'srcAsName',
  'dstAsName',
  'srcHost',
  'dstHost',
  'appProto',
  'appCategory',
  'type',
  'tos',
  'flags',
  'srcScope',
  'dstScope',
  'serverName',
  'srcVendor',
  'dstVendor',
];
export const FILTER_WORDS = ['and', 'or', 'not', 'in'];

/** A filter clause that matches `value` in `field` (quoted when needed). */
export function clause(field: string, value: string | number): string {
  const v = String(value);
  return `${field} ${/^[\w.:/-]+$/.test(v) ? v : JSON.stringify(v)}`;
}
