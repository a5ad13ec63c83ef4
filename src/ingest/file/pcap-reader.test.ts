import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { readPackets, readUdpDatagrams, CaptureFileError } from './index.ts';
import { requireTool, sharedCapture } from '../../../test/support/system-tool.ts';

/**
 * Captures covering the link types and layouts the reader must handle: pcap
 * Ethernet, Linux cooked v1, IPv6 transport, pcapng, IPv4 fragments (GTP).
 */
const FILES = [
  'netflow_ipfix/nfv5.pcap',
  'netflow_ipfix/112-IPFIXv10-CISCO-options-map-reassignment__traffic-00.pcap',
  'netflow_ipfix/104-IPFIXv10-IPv6-CISCO-sampling_option__traffic-00.pcap',
  'sflow/sflow_multiple_counter_30_pdus.pcap',
  'tunnels/gtp1_gn_normal_incl_fragmentation.pcap',
  'dhcp/dhcp-option-108.pcapng',
];

for (const rel of FILES) {
  test(`UDP datagrams of ${rel} match tshark (reassembled)`, async (t) => {
    const tshark = requireTool(t, 'tshark');
    if (!tshark) return;
    const file = sharedCapture(rel);
    // tshark reassembles IP fragments by default; udp.length is the whole datagram's.
    const out = execFileSync(
      tshark,
      [
        '-r',
        file,
        '-Y',
        'udp && !icmp && !icmpv6',
        '-T',
        'fields',
        '-e',
        'udp.srcport',
        '-e',
        'udp.dstport',
        '-e',
        'udp.length',
        '-e',
        'frame.time_epoch',
        '-E',
        'occurrence=f',
      ],
      { encoding: 'utf8' },
    );
    const want = out
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((l) => {
        const [sp, dp, len, ts] = l.split('\t');
        return {
          srcPort: Number(sp),
          dstPort: Number(dp),
          len: Number(len) - 8,
          tsMs: Math.round(Number(ts) * 1000),
        };
      });
    const got = [];
    for await (const d of readUdpDatagrams(file))
      got.push({ srcPort: d.srcPort, dstPort: d.dstPort, len: d.payload.length, tsMs: Math.round(d.tsMs) });
    assert.ok(want.length > 0);
    assert.deepEqual(got, want);
  });
}

test('frames and timestamps of a pcapng file, and of it gzip-compressed, match tshark', async (t) => {
  const tshark = requireTool(t, 'tshark');
  if (!tshark) return;
  const plain = sharedCapture('mixed_voip_retrans/rtp.pcapng');
  const dir = mkdtempSync(join(tmpdir(), 'flowlens-pcap-'));
  const gz = join(dir, 'rtp.pcapng.gz');
  writeFileSync(gz, gzipSync(readFileSync(plain)));
  for (const file of [plain, gz]) {
    const out: string = execFileSync(
      tshark,
      ['-r', file, '-T', 'fields', '-e', 'frame.cap_len', '-e', 'frame.len', '-e', 'frame.time_epoch'],
      { encoding: 'utf8' },
    );
    const want: number[][] = out
      .trim()
      .split('\n')
      .map((l) => l.split('\t').map(Number));
    const got: number[][] = [];
    for await (const p of readPackets(file)) got.push([p.data.length, p.origLen, p.tsMs]);
    assert.equal(got.length, want.length, file);
    for (let i = 0; i < got.length; i++) {
      assert.equal(got[i]![0], want[i]![0]);
      assert.equal(got[i]![1], want[i]![1]);
      assert.ok(Math.abs(got[i]![2]! - want[i]![2]! * 1000) < 0.01, `${file}: frame ${i + 1} time`);
    }
  }
});

test('a file that is not a capture is a CaptureFileError; a truncated one ends quietly', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'flowlens-pcap-'));
  const text = join(dir, 'text.pcap');
  writeFileSync(text, 'hello, not a capture');
  await assert.rejects(async () => {
    for await (const _ of readPackets(text)) void _;
  }, CaptureFileError);
  await assert.rejects(async () => {
    for await (const _ of readPackets(join(dir, 'missing.pcap'))) void _;
  }, /cannot open/);
  const whole = readFileSync(sharedCapture('netflow_ipfix/101-NFv9-CISCO-cust_primitives__traffic-00.pcap'));
  const cut = join(dir, 'cut.pcap');
  writeFileSync(cut, whole.subarray(0, whole.length - 100));
  let n = 0;
  for await (const _ of readPackets(cut)) n++;
  assert.equal(n, 39);
});
