import type { FlowRecord } from '../../src/schema/flow-record.ts';
import { runToExit } from './child-process.ts';

/** The fields of a flow record the peer tests compare one by one. */
export type KeyFields = Pick<
  FlowRecord,
  'srcAddr' | 'dstAddr' | 'proto' | 'srcPort' | 'dstPort' | 'bytes' | 'packets'
>;

/**
 * One comparable string per flow record: "proto src:port>dst:port
 * bytes/packets". ICMP ports are left out: exporters put type and code in
 * them (or leave them out) and decoders may move them to icmpType/icmpCode.
 */
export function flowKey(r: KeyFields): string {
  const icmp = r.proto === 1 || r.proto === 58;
  const port = (p: number | undefined): string => (icmp ? '' : `:${p ?? '?'}`);
  return `${r.proto ?? '?'} ${r.srcAddr ?? '?'}${port(r.srcPort)}>${r.dstAddr ?? '?'}${port(r.dstPort)} ${r.bytes}/${r.packets}`;
}

/** Sorted `flowKey`s of decoded records, to compare as multisets. */
export function flowKeys(records: readonly KeyFields[]): string[] {
  return records.map(flowKey).sort();
}

type JsonTree = { [key: string]: JsonTree | string | JsonTree[] | string[] };

/**
 * Sorted `flowKey`s of every NetFlow/IPFIX flow record tshark decodes in an
 * export capture (`-d udp.port==PORT,cflow`, JSON output): each object of the
 * dissection tree that holds `cflow.octets` is one record.
 */
export async function readTsharkFlowKeys(tshark: string, pcap: string, port: number): Promise<string[]> {
  const r = await runToExit(
    tshark,
    ['-n', '-r', pcap, '-d', `udp.port==${port},cflow`, '-T', 'json', '-J', 'cflow'],
    {
      timeoutMs: 120_000,
    },
  );
  if (r.code !== 0) throw new Error(`tshark exited ${r.code}: ${r.stderr}`);
  const packets = JSON.parse(r.stdout) as { _source: { layers: JsonTree } }[];
  const keys: string[] = [];
  const visit = (node: JsonTree): void => {
    if (typeof node['cflow.octets'] === 'string') keys.push(flowKey(recordOf(node)));
    for (const v of Object.values(node)) {
      for (const child of Array.isArray(v) ? v : [v]) if (typeof child === 'object') visit(child);
    }
  };
  for (const p of packets) visit(p._source.layers);
  return keys.sort();
}

function recordOf(n: JsonTree): KeyFields {
  const text = (k: string): string | undefined => (typeof n[k] === 'string' ? n[k] : undefined);
  const num = (k: string): number | undefined => {
    const s = text(k);
    return s === undefined ? undefined : Number(s);
  };
  const r: KeyFields = { bytes: num('cflow.octets') ?? NaN, packets: num('cflow.packets') ?? NaN };
  const src = text('cflow.srcaddr') ?? text('cflow.srcaddrv6');
  const dst = text('cflow.dstaddr') ?? text('cflow.dstaddrv6');
  const proto = num('cflow.protocol');
  const srcPort = num('cflow.srcport');
  const dstPort = num('cflow.dstport');
  if (src !== undefined) r.srcAddr = src;
  if (dst !== undefined) r.dstAddr = dst;
  if (proto !== undefined) r.proto = proto;
  if (srcPort !== undefined) r.srcPort = srcPort;
  if (dstPort !== undefined) r.dstPort = dstPort;
  return r;
}
