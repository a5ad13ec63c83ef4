/**
 * Test support: the flow records tshark's cflow dissector reads from a
 * capture, as ground truth for the integration tests. Not used by the decoder.
 */
import { execFileSync } from 'node:child_process';

/** The comparable fields of one flow as tshark shows it (strings as tshark prints them). */
export interface TsharkFlow {
  srcAddr?: string;
  dstAddr?: string;
  srcPort?: number;
  dstPort?: number;
  proto?: number;
  bytes?: number;
  packets?: number;
  samplingInterval?: number;
}

/** UDP ports the captures export on; tshark is told to read each as cflow. */
const CFLOW_PORTS = [2055, 2100, 4739, 8096, 9990, 9991, 9992, 9995, 9996];

const FIELD_MAP: Record<string, keyof TsharkFlow> = {
  'cflow.srcaddr': 'srcAddr',
  'cflow.srcaddrv6': 'srcAddr',
  'cflow.dstaddr': 'dstAddr',
  'cflow.dstaddrv6': 'dstAddr',
  'cflow.srcport': 'srcPort',
  'cflow.dstport': 'dstPort',
  'cflow.protocol': 'proto',
  'cflow.octets': 'bytes',
  'cflow.packets': 'packets',
  'cflow.sampling_interval': 'samplingInterval',
};

const FLOW_KEY = /^(Flow \d+|pdu \d+\/\d+)( |$)/;
const ZERO_ADDRESSES = new Set(['0.0.0.0', '::']);

/** With --no-duplicate-keys, repeated keys become arrays: visit every element. */
function each(value: unknown, fn: (v: unknown) => void): void {
  if (Array.isArray(value)) for (const v of value) fn(v);
  else fn(value);
}

function collectFlows(node: unknown, flows: TsharkFlow[]): void {
  if (typeof node !== 'object' || node === null) return;
  for (const [key, value] of Object.entries(node)) {
    if (FLOW_KEY.test(key)) {
      each(value, (v) => {
        const f: TsharkFlow = {};
        fillFlow(v, f);
        flows.push(f);
      });
    } else each(value, (v) => collectFlows(v, flows));
  }
}

/**
 * Counters: the first value (reverse-direction IPFIX elements carry the same
 * tshark field names and come later). Addresses, ports, protocol: the last
 * non-zero address and the last value (tunnel-aware templates give the outer
 * header first, then the inner one, which is the flow's 5-tuple); a zero
 * address never replaces a real one (dual-stack templates).
 */
function fillFlow(node: unknown, f: TsharkFlow): void {
  if (typeof node !== 'object' || node === null) return;
  for (const [key, raw] of Object.entries(node)) {
    const name = FIELD_MAP[key];
    if (name === undefined) continue;
    const values = (Array.isArray(raw) ? raw : [raw]).filter((x): x is string => typeof x === 'string');
    if (name === 'srcAddr' || name === 'dstAddr') {
      for (const a of values) if (f[name] === undefined || !ZERO_ADDRESSES.has(a)) f[name] = a;
    } else if (name === 'bytes' || name === 'packets' || name === 'samplingInterval') {
      if (f[name] === undefined && values[0] !== undefined) f[name] = Number(values[0]);
    } else if (values.length > 0) f[name] = Number(values[values.length - 1]);
  }
}

/** Flows of every cflow PDU in `pcap`, in order (tshark keeps templates across the file). */
export function tsharkFlows(tshark: string, pcap: string): TsharkFlow[] {
  const args = ['-r', pcap, '-T', 'json', '--no-duplicate-keys'];
  for (const p of CFLOW_PORTS) args.push('-d', `udp.port==${p},cflow`);
  const json = execFileSync(tshark, args, {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const packets = JSON.parse(json) as { _source: { layers: Record<string, unknown> } }[];
  const flows: TsharkFlow[] = [];
  for (const p of packets) {
    const c = p._source.layers['cflow'];
    collectFlows(c, flows);
  }
  return flows;
}
