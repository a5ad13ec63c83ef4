/**
 * What tshark (`-T json --no-duplicate-keys`) says the flow and counter
 * samples of a capture hold, in the shape of our output, for the capture
 * tests (not used by the decoder). tshark is the independent ground truth.
 */
import { execFileSync } from 'node:child_process';

type Json = Record<string, unknown>;

/** One flow sample as tshark reads it. */
export interface TsharkFlow {
  samplingRate: number | undefined;
  inIf: number | undefined;
  outIf: number | undefined;
  bytes: number | undefined;
  srcAddr: string | undefined;
  dstAddr: string | undefined;
  srcPort: number | undefined;
  dstPort: number | undefined;
  proto: number | undefined;
  vlan: number | undefined;
  srcMac: string | undefined;
  dstMac: string | undefined;
}

/** One generic interface counter record as tshark reads it. */
export interface TsharkCounters {
  key: string; // agent/subAgentId/ifIndex
  ifSpeed: number;
  ifInOctets: number;
  ifOutOctets: number;
  ifInUcastPkts: number;
  ifOutUcastPkts: number;
  ifInDiscards: number;
  ifInErrors: number;
  ifOutErrors: number;
}

/** One captured frame: undefined when tshark found no sFlow in it. */
export interface TsharkDatagram {
  malformed: boolean;
  flows: TsharkFlow[];
  counters: TsharkCounters[];
}

export function readWithTshark(tshark: string, file: string): (TsharkDatagram | undefined)[] {
  const text = execFileSync(tshark, ['-r', file, '-T', 'json', '--no-duplicate-keys'], {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  return (JSON.parse(text) as Json[]).map((p) => {
    const layers = obj(obj(p['_source'])?.['layers']);
    const sflow = obj(layers?.['sflow']);
    if (!layers || !sflow) return undefined;
    const out: TsharkDatagram = { malformed: '_ws.malformed' in layers, flows: [], counters: [] };
    const agent = str(sflow, 'sflow_245.agent') ?? str(sflow, 'sflow_245.agent.v6');
    const agentKey = `${agent}/${str(sflow, 'sflow_245.sub_agent_id')}`;
    for (const sample of childObjects(sflow)) {
      const type = num(sample, 'sflow_245.sampletype');
      if (type === 1 || type === 3) out.flows.push(readFlow(sample, type));
      if (type === 2 || type === 4) out.counters.push(...readCounters(sample, agentKey));
    }
    return out;
  });
}

function readFlow(s: Json, type: number): TsharkFlow {
  const header = childObjects(s).find((r) => 'sflow_245.header_protocol' in r);
  const tree = obj(header?.['sflow_245.header_tree']) ?? {};
  const ip = obj(tree['ip']) ?? obj(tree['ipv6']);
  const l4 = obj(tree['tcp']) ?? obj(tree['udp']);
  const eth = obj(tree['eth']);
  const tags = [tree['vlan']].flat().map(obj);
  const innerTag = tags.length > 0 ? num(tags[tags.length - 1], 'vlan.id') : undefined;
  const switchRec = childObjects(s).find((r) => 'sflow_245.vlan.in' in r);
  const switchVlan = num(switchRec, 'sflow_245.vlan.in');
  return {
    samplingRate: num(s, 'sflow.flow_sample.sampling_rate'),
    ...interfaces(s, type),
    bytes: num(header, 'sflow_245.header.frame_length'),
    srcAddr: str(ip, 'ip.src') ?? str(ip, 'ipv6.src'),
    dstAddr: str(ip, 'ip.dst') ?? str(ip, 'ipv6.dst'),
    srcPort: num(l4, 'tcp.srcport') ?? num(l4, 'udp.srcport'),
    dstPort: num(l4, 'tcp.dstport') ?? num(l4, 'udp.dstport'),
    proto: protoOf(tree),
    vlan:
      innerTag ??
      (switchVlan !== undefined && switchVlan >= 1 && switchVlan <= 4094 ? switchVlan : undefined),
    srcMac: str(eth, 'eth.src'),
    dstMac: str(eth, 'eth.dst'),
  };
}

/** The transport tshark dissected (ipv6.nxt is only the first next header). */
function protoOf(tree: Json): number | undefined {
  if (tree['tcp']) return 6;
  if (tree['udp']) return 17;
  if (tree['icmp']) return 1;
  if (tree['icmpv6']) return 58;
  return num(obj(tree['ip']), 'ip.proto');
}

function interfaces(s: Json, type: number): { inIf: number | undefined; outIf: number | undefined } {
  const ifIndex = (format: number | undefined, value: number | undefined) =>
    format === 0 && value !== undefined && value !== 0x3fffffff ? value : undefined;
  if (type === 3) {
    return {
      inIf: ifIndex(
        num(s, 'sflow.flow_sample.input_interface_format'),
        num(s, 'sflow.flow_sample.input_interface_value'),
      ),
      outIf: ifIndex(
        num(s, 'sflow.flow_sample.output_interface.format'),
        num(s, 'sflow.flow_sample.output_interface_value'),
      ),
    };
  }
  const input = num(s, 'sflow.flow_sample.input_interface');
  const output = num(s, 'sflow.flow_sample.output_interface');
  return {
    inIf: ifIndex(0, input),
    outIf: output === undefined ? undefined : ifIndex(output >>> 30, output & 0x3fffffff),
  };
}

function readCounters(s: Json, agentKey: string): TsharkCounters[] {
  return childObjects(s)
    .filter((r) => 'sflow_245.ifindex' in r)
    .map((g) => ({
      key: `${agentKey}/${num(g, 'sflow_245.ifindex')}`,
      ifSpeed: num(g, 'sflow_245.ifspeed') ?? NaN,
      ifInOctets: num(g, 'sflow_245.ifinoct') ?? NaN,
      ifOutOctets: num(g, 'sflow_245.ifoutoct') ?? NaN,
      ifInUcastPkts: num(g, 'sflow_245.ifinpkt') ?? NaN,
      ifOutUcastPkts: num(g, 'sflow_245.ifoutpkt') ?? NaN,
      ifInDiscards: num(g, 'sflow_245.ifindisc') ?? NaN,
      ifInErrors: num(g, 'sflow_245.ifinerr') ?? NaN,
      ifOutErrors: num(g, 'sflow_245.ifouterr') ?? NaN,
    }));
}

/** Sub-trees in document order; a repeated name arrives as an array. */
function childObjects(o: Json): Json[] {
  const out: Json[] = [];
  for (const v of Object.values(o)) {
    for (const item of [v].flat()) {
      const child = obj(item);
      if (child) out.push(child);
    }
  }
  return out;
}

function obj(v: unknown): Json | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : undefined;
}

function str(o: Json | undefined, key: string): string | undefined {
  const v = o?.[key];
  return typeof v === 'string' ? v : undefined;
}

function num(o: Json | undefined, key: string): number | undefined {
  const v = str(o, key);
  return v === undefined ? undefined : Number(v);
}
