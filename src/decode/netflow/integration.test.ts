/**
 * Every NetFlow/IPFIX capture of the shared corpus, decoded file by file
 * (templates fed before their data), compared with what tshark's cflow
 * dissector reads: the 5-tuple, bytes, packets and in-record sampling rate.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { readUdpDatagrams } from '../../ingest/file/index.ts';
import type { FlowRecord } from '../../schema/flow-record.ts';
import { requireTool, sharedCapture } from '../../../test/support/system-tool.ts';
import type { DecodeErrorKind } from '../result.ts';
import { createNetflowDecoder } from './index.ts';
import { tsharkFlows, type TsharkFlow } from './tshark-flows.ts';

const NF = 'netflow_ipfix';
const VW = 'netflow_ipfix_vendor_wrapped';

/** Files fed in order to one decoder (templates first). */
interface Case {
  files: string[];
  /** Flows with addresses tshark and we must both find (guards against both reading nothing). */
  minFlows: number;
  /**
   * Why tshark reads fewer flows than we do (then every tshark flow must still
   * match one of ours, and we must decode at least `minOurs` records).
   */
  tsharkReadsLess?: { reason: string; minOurs: number };
}

const single = (dir: string, f: string, minFlows = 1): Case => ({ files: [`${dir}/${f}`], minFlows });
const pair = (dir: string, first: string, then: string, minFlows = 1): Case => ({
  files: [`${dir}/${first}`, `${dir}/${then}`],
  minFlows,
});

const CASES: Case[] = [
  single(NF, '100-IPFIXv10-CISCO__traffic-00.pcap'),
  single(NF, '101-NFv9-CISCO-cust_primitives__traffic-00.pcap'),
  single(NF, '104-IPFIXv10-IPv6-CISCO-sampling_option__traffic-00.pcap'),
  single(NF, '106-IPFIXv10-HUAWEI-vrf_name__traffic-00.pcap'),
  single(NF, '111-IPFIXv10-NFv9-IPv6-IPv4-mix_sources__traffic-01.pcap'),
  {
    ...single(NF, '112-IPFIXv10-CISCO-options-map-reassignment__traffic-00.pcap', 0),
    // The exporter changes its UDP source port mid-capture; tshark keys templates
    // by address and port and loses them, we key by exporter address (as specified).
    tsharkReadsLess: { reason: 'templates survive a source-port change', minOurs: 9 },
  },
  single(NF, '500-IPFIXv10-BGP-CISCO-SRv6__traffic-00.pcap'),
  single(NF, '502-IPFIXv10-BGP-IPv6-CISCO-SRv6-lcomms__traffic-00.pcap'),
  single(NF, 'srv6.pcap'),
  single(NF, 'icmp-template.pcap'),
  single(NF, 'mpls.pcap'),
  single(NF, 'nat.pcap'),
  single(NF, 'netflow-fritz.pcap', 0),
  single(NF, 'nfv5.pcap', 29),
  single(NF, 'physicalinterfaces.pcap'),
  pair(NF, 'template.pcap', 'data.pcap', 4),
  pair(NF, 'template.pcap', 'options-data.pcap', 0),
  pair(NF, 'multiplesamplingrates-options-template.pcap', 'multiplesamplingrates-options-data.pcap', 0),
  pair(NF, 'ipfixprobe-templates.pcap', 'ipfixprobe-data.pcap'),
  pair(
    NF,
    'ethernet-over-mpls-with-control-word-template.pcap',
    'ethernet-over-mpls-with-control-word-data.pcap',
    0,
  ),
  pair(NF, 'juniper-cpid-template.pcap', 'ipfix-srv6-data.pcap', 0),
  ...[
    'ipfix_barracuda.pcap',
    'ipfix_barracuda_extended_uniflow.pcap',
    'ipfix_ixia.pcap',
    'ipfix_juniper_mx240.pcap',
    'ipfix_nokia_bras.pcap',
    'ipfix_openbsd_pflow.pcap',
    'ipfix_sample_two_messages.pcap',
    'ipfix_viptela.pcap',
    'ipfix_yaf.pcap',
    'nf5_invalid_counts.pcap',
    'nf5_mikrotik.pcap',
    'nf5_sample_two_datagrams.pcap',
    'nf9_cisco_aci.pcap',
    'nf9_cisco_asa_nsel_1.pcap',
    'nf9_cisco_asr1001x.pcap',
    'nf9_cisco_asr9k.pcap',
    'nf9_cisco_wlc.pcap',
    'nf9_fortigate_fortios521.pcap',
    'nf9_h3c_netstream_varstring.pcap',
    'nf9_ipt_netflow.pcap',
    'nf9_juniper_srx.pcap',
    'nf9_macaddr.pcap',
    'nf9_nprobe.pcap',
    'nf9_paloalto_81.pcap',
    'nf9_paloalto_panos.pcap',
    'nf9_streamcore.pcap',
    'nf9_ubnt_edgerouter.pcap',
    'nf9_zero_length_fields.pcap',
  ].map((f) => single(VW, f, 0)),
  {
    ...single(VW, 'nf9_h3c_netstream.pcap'),
    // A field of unexpected length makes tshark give up on the datagram after one flow.
    tsharkReadsLess: { reason: 'tshark stops at a malformed field', minOurs: 16 },
  },
  {
    ...single(VW, 'nf9_valid_and_invalid.pcap', 7),
    // The second datagram's header count covers its templates only; tshark stops
    // there, we decode every flowset (many exporters get the count wrong).
    tsharkReadsLess: { reason: 'tshark stops at the header count', minOurs: 9 },
  },
];

interface OurResult {
  records: FlowRecord[];
  errors: Partial<Record<DecodeErrorKind, number>>;
}

async function decodeFiles(paths: string[]): Promise<OurResult> {
  const dec = createNetflowDecoder();
  const res: OurResult = { records: [], errors: {} };
  for (const p of paths) {
    for await (const d of readUdpDatagrams(p)) {
      const out = dec.decode(d.payload, { exporter: d.srcAddr, receivedMs: d.tsMs });
      res.records.push(...out.records);
      for (const [k, n] of Object.entries(out.errors)) {
        const kind = k as DecodeErrorKind;
        res.errors[kind] = (res.errors[kind] ?? 0) + (n ?? 0);
      }
    }
  }
  return res;
}

const COMPARED = ['srcAddr', 'dstAddr', 'srcPort', 'dstPort', 'proto', 'bytes', 'packets'] as const;

function matches(f: TsharkFlow, r: FlowRecord): boolean {
  for (const k of COMPARED) if (f[k] !== undefined && f[k] !== r[k]) return false;
  if (f.samplingInterval !== undefined && f.samplingInterval > 0 && r.samplingRate !== f.samplingInterval)
    return false;
  return true;
}

function describe(x: object): string {
  return JSON.stringify(x, (k, v: unknown) => (k === 'extra' ? undefined : v));
}

/** Every tshark flow with addresses matches a distinct record of ours, and the counts agree. */
function assertSameFlows(expected: TsharkFlow[], ours: FlowRecord[], c: Case): void {
  const theirs = expected.filter((f) => f.srcAddr !== undefined);
  const mine = ours.filter((r) => r.srcAddr !== undefined);
  assert.ok(
    theirs.length >= c.minFlows,
    `tshark found ${theirs.length} flows, expected at least ${c.minFlows}`,
  );
  const used = new Array<boolean>(mine.length).fill(false);
  for (const f of theirs) {
    const i = mine.findIndex((r, j) => !used[j] && matches(f, r));
    assert.ok(
      i >= 0,
      `no decoded record matches tshark flow ${describe(f)}; first of ours: ${describe(mine[0] ?? {})}`,
    );
    used[i] = true;
  }
  if (c.tsharkReadsLess === undefined)
    assert.equal(mine.length, theirs.length, 'records with addresses: ours vs tshark');
  else
    assert.ok(
      mine.length >= c.tsharkReadsLess.minOurs,
      `${mine.length} records; ${c.tsharkReadsLess.reason}`,
    );
}

for (const c of CASES) {
  test(`matches tshark: ${c.files.map((f) => f.split('/').pop()).join(' + ')}`, async (t) => {
    const tshark = requireTool(t, 'tshark');
    if (tshark === undefined) return;
    const paths = c.files.map((f) => sharedCapture(f));
    let pcap = paths[0] ?? '';
    const dir = mkdtempSync(join(tmpdir(), 'flowlens-nf-'));
    try {
      if (paths.length > 1) {
        const mergecap = requireTool(t, 'mergecap');
        if (mergecap === undefined) return;
        pcap = join(dir, 'merged.pcap');
        // -a concatenates in argument order, so templates stay before their data.
        execFileSync(mergecap, ['-a', '-F', 'pcap', '-w', pcap, ...paths]);
      }
      const expected = tsharkFlows(tshark, pcap);
      const ours = await decodeFiles(paths);
      assertSameFlows(expected, ours.records, c);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
