/**
 * pmacctd (pmacct 1.7) reads a mixed capture (pcap_savefile) and exports it
 * with its nfprobe plugin (NetFlow v9, IPFIX) and its sfprobe plugin
 * (sFlow v5) to a capture sink that forwards every datagram to a running
 * `flowlens serve`. `flowlens decode` of the sink's pcap and serve's /metrics
 * must equal what tshark decodes from the same datagrams and what pmacct
 * exported.
 *
 * What pmacct counts (established by running it over the shared captures
 * and comparing with tshark, and from its source, sfprobe_plugin.c):
 * - nfprobe: IPv4 and IPv6 packets only; a packet's bytes are its IP total
 *   length (IPv4 total length, IPv6 payload length + 40), without Ethernet
 *   padding (teams.pcap: 655,687 bytes where softflowd counts 656,023). With
 *   no `pcap_savefile_wait`, pmacctd exits after the file and nfprobe
 *   flushes every flow, one record per direction.
 * - sfprobe: one flow sample per IPv4/IPv6 packet at sampling_rate 1, in
 *   capture order, frame_length = wire length + 4 (the FCS it adds), header
 *   protocol Ethernet. It exports only while running, so the test uses
 *   `pcap_savefile_wait: true` and stops it with SIGINT once the sink is
 *   quiet. On that SIGINT pmacct 1.7.7 re-reads an earlier plugin-pipe
 *   buffer and samples those packets again (teams.pcap: 33 IPv4 frames,
 *   1440-1472, a second time; its sample pool says 1531, not 1498). The test
 *   checks that the first samples are exactly the capture's IPv4 frames and
 *   that any extra ones repeat a contiguous run of them.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test, type TestContext } from 'node:test';
import { readCaptureIpTotals } from '../support/capture-ip-totals.ts';
import { checkDecode, checkServe } from '../support/export-checks.ts';
import { readTsharkFlowKeys } from '../support/flow-record-keys.ts';
import { runFlowlensDecode } from '../support/flowlens-decode.ts';
import { startFlowlensServe, type FlowlensServer } from '../support/flowlens-serve.ts';
import { startPmacctd, waitPmacctdExit } from '../support/pmacctd-run.ts';
import { requireTool, sharedCapture } from '../support/system-tool.ts';
import { readTsharkFields, sumTsharkFields } from '../support/tshark-fields.ts';
import { startUdpCaptureSink, type UdpCaptureSink } from '../support/udp-capture-sink.ts';

const NFPROBE_CAPTURES = ['mixed_voip_retrans/teams.pcap', 'mixed_voip_retrans/android.pcap'];
const NFPROBE_VERSIONS = [
  { version: 9, type: 'netflow9', listener: 'netflow' },
  { version: 10, type: 'ipfix', listener: 'ipfix' },
] as const;
/** IPv4 only (plus STP), so every sampled packet is an IPv4 frame. */
const SFPROBE_CAPTURE = 'mixed_voip_retrans/teams.pcap';
const PMACCTD_TIMEOUT_MS = 60_000;

/** Tools, a temp folder, a server and a sink for one test; everything released in `finally`. */
async function withRig(
  t: TestContext,
  listener: 'netflow' | 'ipfix' | 'sflow',
  body: (rig: {
    tshark: string;
    pmacctd: string;
    dir: string;
    server: FlowlensServer;
    sink: UdpCaptureSink;
  }) => Promise<void>,
): Promise<void> {
  const tshark = requireTool(t, 'tshark');
  const pmacctd = requireTool(t, 'pmacctd');
  if (!tshark || !pmacctd) return;
  const dir = mkdtempSync(join(tmpdir(), 'flowlens-pmacct-'));
  let server: FlowlensServer | undefined;
  let sink: UdpCaptureSink | undefined;
  try {
    server = await startFlowlensServe();
    sink = await startUdpCaptureSink({ forwardPort: server.ports[listener] });
    await body({ tshark, pmacctd, dir, server, sink });
    const exit = await server.stop();
    assert.deepEqual(
      exit,
      { code: 0, signal: null },
      `flowlens serve exit\n${server.child.stderr().slice(-2000)}`,
    );
  } finally {
    await sink?.close();
    await server?.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('pmacctd nfprobe exports, decoded by flowlens decode and serve', () => {
  for (const capture of NFPROBE_CAPTURES) {
    for (const v of NFPROBE_VERSIONS) {
      test(`nfprobe_version ${v.version}, ${capture}`, (t) =>
        withRig(t, v.listener, async ({ tshark, pmacctd, dir, server, sink }) => {
          const input = sharedCapture(capture);
          const child = startPmacctd(pmacctd, dir, input, {
            plugins: 'nfprobe',
            nfprobe_receiver: `127.0.0.1:${sink.port}`,
            nfprobe_version: v.version,
          });
          try {
            const exit = await waitPmacctdExit(child, PMACCTD_TIMEOUT_MS);
            // pmacctd 1.7.7 exits 1 when its nfprobe plugin finishes the file before the
            // core notices ("connection lost ... no more plugins active"): a shutdown race,
            // not a failure. It must exit by itself, though; the exported data is checked below.
            assert.ok(exit.code === 0 || exit.code === 1, `pmacctd exit ${exit.code}\n${child.stderr()}`);
          } finally {
            await child.stop('SIGKILL', 5_000);
          }
          await sink.waitQuiet({ min: 1, quietMs: 500, timeoutMs: 15_000 });
          const pcap = join(dir, 'export.pcap');
          sink.writePcap(pcap);

          const ip = await readCaptureIpTotals(tshark, input);
          const truth = {
            packets: ip.ipv4.packets + ip.ipv6.packets,
            bytes: ip.ipv4.ipBytes + ip.ipv6.ipBytes,
          };
          const cflow = await sumTsharkFields(tshark, pcap, ['cflow.octets', 'cflow.packets'], {
            decodeAs: [`udp.port==${sink.port},cflow`],
          });
          const records = cflow['cflow.octets']?.count ?? 0;
          assert.deepEqual(
            { bytes: cflow['cflow.octets']?.sum, packets: cflow['cflow.packets']?.sum },
            truth,
            'tshark on the export capture vs IP totals of the input',
          );
          const keys = await readTsharkFlowKeys(tshark, pcap, sink.port);
          const expectation = {
            pcap,
            type: v.type,
            datagrams: sink.datagrams.length,
            totals: { records, ...truth },
            keys,
          };
          await checkDecode(expectation);
          await checkServe(server, expectation);
        }));
    }
  }
});

describe('pmacctd sfprobe exports, decoded by flowlens decode and serve', () => {
  for (const rate of [1, 10]) {
    test(`sfprobe sampling_rate ${rate}, ${SFPROBE_CAPTURE}`, (t) =>
      withRig(t, 'sflow', async ({ tshark, pmacctd, dir, server, sink }) => {
        const input = sharedCapture(SFPROBE_CAPTURE);
        const child = startPmacctd(pmacctd, dir, input, {
          plugins: 'sfprobe',
          sfprobe_receiver: `127.0.0.1:${sink.port}`,
          sfprobe_agentip: '127.0.0.1',
          sfprobe_agentsubid: 7,
          sampling_rate: rate,
          pcap_savefile_wait: true,
        });
        try {
          // sfprobe sends as its datagrams fill; wait for the stream to stop, then
          // SIGINT makes it flush the last one (and its counter sample) and exit.
          await sink.waitQuiet({ min: 1, quietMs: 2_000, timeoutMs: PMACCTD_TIMEOUT_MS });
          const exit = await child.stop('SIGINT', 20_000);
          assert.equal(exit.signal, null, `pmacctd exit\n${child.stderr()}`);
        } finally {
          await child.stop('SIGKILL', 5_000);
        }
        await sink.waitQuiet({ min: 1, quietMs: 1_000, timeoutMs: 15_000 });
        const pcap = join(dir, 'export.pcap');
        sink.writePcap(pcap);

        const samples = await readSflowSamples(tshark, pcap, sink.port);
        assert.ok(samples.frameLengths.length > 0, 'sfprobe exported flow samples');
        assert.deepEqual([...new Set(samples.rates)], [rate], 'sampling rate of every flow sample (tshark)');
        if (rate === 1) {
          // The exporter's own count of packets it sampled is its sample pool.
          assert.equal(samples.lastPool, samples.frameLengths.length, 'flow samples vs sample pool');
          const wire = await readTsharkFields(tshark, input, ['frame.len'], { filter: 'eth.type == 0x0800' });
          const expected = wire.map((row) => Number(row[0]?.[0]) + 4);
          assert.deepEqual(
            samples.frameLengths.slice(0, expected.length),
            expected,
            'samples = IPv4 frames + FCS',
          );
          assertRepeatsRun(samples.frameLengths.slice(expected.length), expected);
        }
        const bytes = samples.frameLengths.reduce((a, b) => a + b, 0);
        const records = samples.frameLengths.length;
        const expectation = {
          pcap,
          type: 'sflow5' as const,
          datagrams: sink.datagrams.length,
          totals: { records, bytes, packets: records },
        };
        await checkDecode(expectation);
        const decoded = await runFlowlensDecode([pcap]);
        assert.deepEqual(
          [...new Set(decoded.records.map((r) => r.samplingRate))],
          [rate],
          'decoded samplingRate',
        );
        assert.deepEqual(
          decoded.records.map((r) => r.bytes),
          samples.frameLengths,
          'decoded bytes, record by record, vs tshark frame_length',
        );
        await checkServe(server, expectation);
      }));
  }
});

/** Flow samples of an sFlow export capture as tshark reads them, in order. */
async function readSflowSamples(tshark: string, pcap: string, port: number) {
  const rows = await readTsharkFields(
    tshark,
    pcap,
    ['sflow_245.header.frame_length', 'sflow.flow_sample.sampling_rate', 'sflow.flow_sample.sample_pool'],
    { decodeAs: [`udp.port==${port},sflow`] },
  );
  const frameLengths = rows.flatMap((r) => (r[0] ?? []).map(Number));
  const rates = rows.flatMap((r) => (r[1] ?? []).map(Number));
  const pools = rows.flatMap((r) => (r[2] ?? []).map(Number));
  return { frameLengths, rates, lastPool: Math.max(0, ...pools) };
}

/** Asserts that `extra` (pmacct's replayed samples) is empty or a contiguous run of `all`. */
function assertRepeatsRun(extra: number[], all: number[]): void {
  if (extra.length === 0) return;
  const found = all.some((_, i) => extra.every((v, k) => all[i + k] === v));
  assert.ok(
    found,
    `the ${extra.length} samples after the capture's frames repeat none of its runs: ${extra.join(',')}`,
  );
}
