/**
 * `flowlens meter` on worker threads (one shard of the flows each) writes the
 * same lines and the same summary as on one thread: on the shared captures
 * with fragments and tunnels, on a capture with orphan fragments, and on a
 * slice of the benchmark's synthetic capture.
 */
import assert from 'node:assert/strict';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { runMeter, type MeterSummary } from '../../src/app/commands/meter.ts';
import { readPackets } from '../../src/ingest/file/index.ts';
import { writeSyntheticPcap } from '../../bench/meter/synthetic-pcap.ts';
import { classicPcap } from '../support/classic-pcap.ts';
import { sharedCapture } from '../support/system-tool.ts';

/** Captures with fragments of inner and outer (tunnel) packets, tunnels, retransmissions, many flows. */
const CAPTURES = [
  'tunnels/erspan.pcap',
  'tunnels/gtp1_gn_normal_incl_fragmentation.pcap',
  'tunnels/gtp2_different_udp_port.pcap',
  'tunnels/gtp9_unknown_or_too_short_payload.pcap',
  'tunnels/gre.pcapng',
  'tunnels/vxlan.pcap',
  'mixed_voip_retrans/teams.pcap',
  'mixed_voip_retrans/wireshark-retrans.pcap',
  'dhcp/gnutella.pcap',
  'mixed_voip_retrans/iphone.pcap',
  'tunnels/vlan-ipv6.pcap',
  'tunnels/4in6.pcap',
];

interface Run {
  lines: string[];
  summary: MeterSummary;
  stderr: string;
}

async function meter(files: string[], threads: number, format: 'jsonl' | 'csv' = 'jsonl'): Promise<Run> {
  const sink = (parts: string[]): Writable =>
    new Writable({
      write(chunk: Buffer, _enc, done) {
        parts.push(chunk.toString('utf8'));
        done();
      },
    });
  const out: string[] = [];
  const err: string[] = [];
  const summary = await runMeter(
    files,
    format,
    { stdout: sink(out), stderr: sink(err) },
    {},
    {
      threads,
      minShardedFileBytes: 0,
    },
  );
  return { lines: out.join('').split('\n').filter(Boolean), summary, stderr: err.join('') };
}

for (const rel of CAPTURES) {
  test(`two and three threads meter ${rel} as one does`, async () => {
    const path = sharedCapture(rel);
    const one = await meter([path], 1);
    assert.ok(one.lines.length > 0);
    for (const threads of [2, 3]) {
      const many = await meter([path], threads);
      assert.deepEqual(many.summary, one.summary);
      assert.equal(many.stderr, one.stderr);
      assert.deepEqual([...many.lines].sort(), [...one.lines].sort());
    }
  });
}

test('several files and CSV: the same lines; the order is the same on every run', async () => {
  const files = ['tunnels/erspan.pcap', 'mixed_voip_retrans/teams.pcap'].map(sharedCapture);
  const one = await meter(files, 1, 'csv');
  const two = await meter(files, 2, 'csv');
  assert.equal(two.lines[0], one.lines[0]); // the header
  assert.deepEqual([...two.lines].sort(), [...one.lines].sort());
  assert.deepEqual((await meter(files, 2, 'csv')).lines, two.lines);
});

/** An IPv4 UDP fragment from 10.0.0.`host`: offset in 8-byte units, `more` = MF, 16 data bytes. */
function fragment(host: number, id: number, offset: number, more: boolean): Uint8Array {
  const b = new Uint8Array(14 + 20 + 16);
  b.set([0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 6, 0x08, 0x00], 0);
  const flags = (more ? 0x2000 : 0) | offset;
  b.set([0x45, 0, 0, 36, id >> 8, id & 255, flags >> 8, flags & 255, 64, 17, 0, 0], 14);
  b.set([10, 0, 0, host, 192, 0, 2, 1], 26);
  if (offset === 0) b.set([0x30, 0x39, 0, 53, 0, 40, 0, 0], 34); // UDP header: 12345 -> 53, 32 bytes in all
  return b;
}

test('fragments: matched ones are counted once, orphans once, whichever shard owns the flow', async () => {
  const frames: Uint8Array[] = [];
  for (let host = 1; host <= 40; host++) {
    frames.push(fragment(host, host, 0, true), fragment(host, host, 2, false)); // matched
    frames.push(fragment(host, 1000 + host, 2, false)); // orphan: its first fragment was not captured
  }
  const dir = await mkdtemp(join(tmpdir(), 'flowlens-shards-'));
  try {
    const path = join(dir, 'fragments.pcap');
    await writeFile(path, classicPcap(frames));
    const one = await meter([path], 1);
    assert.equal(one.summary.flows, 40);
    assert.equal(one.summary.fragments, 40);
    assert.equal(one.summary.errors.orphan_fragment, 40);
    for (const threads of [2, 4]) {
      const many = await meter([path], threads);
      assert.deepEqual(many.summary, one.summary);
      assert.deepEqual([...many.lines].sort(), [...one.lines].sort());
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('the benchmark capture: 20,000 flows over 100,000 packets, the same flows on two threads', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'flowlens-shards-'));
  try {
    const path = join(dir, 'synthetic.pcap');
    await writeSyntheticPcap(path, 100_000, 20_000);
    const one = await meter([path], 1);
    const two = await meter([path], 2);
    assert.equal(one.summary.flows, 20_000);
    assert.deepEqual(two.summary, one.summary);
    assert.deepEqual([...two.lines].sort(), [...one.lines].sort());
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('to a file (output buffers used again once written): the same lines, in order on one thread', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'flowlens-shards-'));
  try {
    const path = join(dir, 'synthetic.pcap');
    await writeSyntheticPcap(path, 50_000, 10_000);
    const collected = await meter([path], 1);
    for (const threads of [1, 2]) {
      const file = join(dir, `out-${threads}.jsonl`);
      const stdout = createWriteStream(file);
      const summary = await runMeter(
        [path],
        'jsonl',
        { stdout, stderr: new Writable({ write: (_c, _e, done) => done() }) },
        {},
        { threads, minShardedFileBytes: 0 },
      );
      await new Promise<void>((resolve, reject) =>
        stdout.end((err?: Error | null) => (err ? reject(err) : resolve())),
      );
      const lines = (await readFile(file, 'utf8')).split('\n').filter(Boolean);
      assert.deepEqual(summary, collected.summary);
      if (threads === 1) assert.deepEqual(lines, collected.lines);
      else assert.deepEqual(lines.sort(), [...collected.lines].sort());
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('an unreadable or corrupt file is a usage error on threads too', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'flowlens-shards-'));
  try {
    const path = join(dir, 'corrupt.pcap');
    const good = classicPcap([fragment(1, 1, 0, true)]);
    const bad = new Uint8Array(good.length + 16);
    bad.set(good);
    new DataView(bad.buffer).setUint32(good.length + 8, 0x7fffffff, true); // a record of 2 GB
    await writeFile(path, bad);
    await assert.rejects(meter([path], 2), { code: 'FLOWLENS_ERR_USAGE', message: /corrupt pcap record/ });
    await assert.rejects(meter([join(dir, 'missing.pcap')], 2), { code: 'FLOWLENS_ERR_USAGE' });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('cut frames: every error and non-IP frame is counted once on any number of threads', async () => {
  // Prefixes of every Ethernet frame of a few captures: cut in the VLAN tag, IP header, ports, TCP header.
  const frames: Uint8Array[] = [];
  for (const rel of ['tunnels/vlan-collisions.pcap', 'mixed_voip_retrans/teams.pcap', 'dhcp/gnutella.pcap'])
    for await (const p of readPackets(sharedCapture(rel)))
      if (p.linkType === 1)
        for (const n of [12, 16, 20, 30, 34, 37, 38, 45, 54, p.data.length])
          if (n <= p.data.length) frames.push(p.data.subarray(0, n));
  const dir = await mkdtemp(join(tmpdir(), 'flowlens-shards-'));
  try {
    const path = join(dir, 'cut.pcap');
    await writeFile(path, classicPcap(frames));
    const one = await meter([path], 1);
    assert.ok((one.summary.errors.truncated ?? 0) > 1000, JSON.stringify(one.summary));
    for (const threads of [2, 3]) {
      const many = await meter([path], threads);
      assert.deepEqual(many.summary, one.summary);
      assert.deepEqual([...many.lines].sort(), [...one.lines].sort());
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
