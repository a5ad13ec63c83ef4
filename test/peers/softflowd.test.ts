/**
 * softflowd (a real NetFlow v5 / v9 / IPFIX exporter) reads mixed captures
 * and exports to a capture sink that forwards every datagram to a running
 * `flowlens serve`. Both `flowlens decode` of the sink's pcap and serve's
 * /metrics must give the record count and byte/packet sums that tshark
 * decodes from the same datagrams and that softflowd itself reports.
 *
 * What softflowd (1.1.0) counts, from its source (softflowd.c, flow_cb and
 * process_packet) and checked against its exit statistics:
 * - every frame whose EtherType is IPv4, and IPv6 only when the export
 *   version can carry it (v9, IPFIX; not v5, where IPv6 frames count as
 *   "non-IP" and are ignored); ARP, EAPOL, STP and other frames are ignored;
 * - as a packet's octets the wire length minus the link header
 *   (`phdr->len - 14` on Ethernet), i.e. the IP total length PLUS any
 *   Ethernet padding of short frames (teams.pcap: 58 padded frames, 336
 *   bytes more than the sum of the IP total lengths);
 * - at the end of the file every flow is flushed and exported, one record
 *   per direction.
 * The exporter's truth is therefore tshark's sum of (frame.len - 14) over
 * those frames, which the test also checks against softflowd's printed
 * per-protocol totals and "Flows exported: F (R records) in D packets".
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { readCaptureIpTotals } from '../support/capture-ip-totals.ts';
import { runToExit } from '../support/child-process.ts';
import { checkDecode, checkServe } from '../support/export-checks.ts';
import { readTsharkFlowKeys } from '../support/flow-record-keys.ts';
import { startFlowlensServe, type FlowlensServer } from '../support/flowlens-serve.ts';
import { parseSoftflowdStats } from '../support/softflowd-stats.ts';
import { requireTool, sharedCapture } from '../support/system-tool.ts';
import { sumTsharkFields } from '../support/tshark-fields.ts';
import { startUdpCaptureSink, type UdpCaptureSink } from '../support/udp-capture-sink.ts';

/** Mixed captures: TCP, UDP and ICMP over IPv4 plus STP (teams); IPv6, ARP and EAPOL too (android). */
const CAPTURES = ['mixed_voip_retrans/teams.pcap', 'mixed_voip_retrans/android.pcap'];

const VERSIONS = [
  { version: 5, type: 'netflow5', listener: 'netflow', ipv6: false },
  { version: 9, type: 'netflow9', listener: 'netflow', ipv6: true },
  { version: 10, type: 'ipfix', listener: 'ipfix', ipv6: true },
] as const;

describe('softflowd exports, decoded by flowlens decode and serve', () => {
  for (const capture of CAPTURES) {
    for (const v of VERSIONS) {
      test(`softflowd -v ${v.version} -r ${capture}`, async (t) => {
        const tshark = requireTool(t, 'tshark');
        const softflowd = requireTool(t, 'softflowd');
        if (!tshark || !softflowd) return;
        const input = sharedCapture(capture);
        const dir = mkdtempSync(join(tmpdir(), 'flowlens-softflowd-'));
        let server: FlowlensServer | undefined;
        let sink: UdpCaptureSink | undefined;
        try {
          server = await startFlowlensServe();
          sink = await startUdpCaptureSink({ forwardPort: server.ports[v.listener] });
          const sf = await exportWithSoftflowd(softflowd, input, sink.port, v.version, dir);
          await sink.waitQuiet({ min: sf.datagramsExported, quietMs: 300, timeoutMs: 15_000 });
          assert.equal(
            sink.datagrams.length,
            sf.datagramsExported,
            'datagrams received vs softflowd "in N packets"',
          );
          const pcap = join(dir, 'export.pcap');
          sink.writePcap(pcap);

          // The exporter's truth, from tshark over the input capture.
          const ip = await readCaptureIpTotals(tshark, input);
          const truth = {
            packets: ip.ipv4.packets + (v.ipv6 ? ip.ipv6.packets : 0),
            bytes: ip.ipv4.l2PayloadBytes + (v.ipv6 ? ip.ipv6.l2PayloadBytes : 0),
          };
          assert.deepEqual(
            { packets: sf.packets, bytes: sf.octets },
            truth,
            'softflowd totals vs tshark on the input',
          );
          assert.equal(
            sf.ignoredNonIp,
            ip.other.packets + (v.ipv6 ? 0 : ip.ipv6.packets),
            'frames softflowd ignored',
          );

          // tshark over the export capture.
          const cflow = await sumTsharkFields(tshark, pcap, ['cflow.octets', 'cflow.packets'], {
            decodeAs: [`udp.port==${sink.port},cflow`],
          });
          const totals = { records: sf.recordsExported, bytes: truth.bytes, packets: truth.packets };
          assert.deepEqual(
            {
              records: cflow['cflow.octets']?.count,
              bytes: cflow['cflow.octets']?.sum,
              packets: cflow['cflow.packets']?.sum,
            },
            totals,
            'tshark on the export capture',
          );
          const keys = await readTsharkFlowKeys(tshark, pcap, sink.port);
          const expectation = { pcap, type: v.type, datagrams: sf.datagramsExported, totals, keys };
          await checkDecode(expectation);
          await checkServe(server, expectation);
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
      });
    }
  }
});

/** Runs softflowd over `input` to 127.0.0.1:`port` and returns its exit statistics. */
async function exportWithSoftflowd(
  softflowd: string,
  input: string,
  port: number,
  version: number,
  dir: string,
) {
  // -c none: softflowd 1.1.0 blocks in accept() on its control socket when a
  // -c path is given with -r; -r alone keeps it in the foreground and makes it
  // flush every flow and exit at the end of the file.
  const r = await runToExit(
    softflowd,
    [
      '-r',
      input,
      '-c',
      'none',
      '-p',
      join(dir, 'softflowd.pid'),
      '-n',
      `127.0.0.1:${port}`,
      '-v',
      String(version),
    ],
    { timeoutMs: 60_000 },
  );
  assert.equal(r.code, 0, `softflowd exit status\n${r.stderr}`);
  const stats = parseSoftflowdStats(`${r.stdout}\n${r.stderr}`);
  assert.equal(stats.exportFailures, 0, 'softflowd export failures');
  return stats;
}
