/**
 * A real Prometheus server (Debian's `prometheus`) scrapes the in-process
 * service's /metrics every second; its query API must return the collector's
 * record count and a client's traffic, equal to what the same datagrams
 * decode to in-process. Skips without prometheus unless
 * FLOWLENS_REQUIRE_SYSTEM_TESTS=1.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freeTcpPort } from '../../bench/common/free-port.ts';
import { createService } from '../../src/app/index.ts';
import { createSystemClock } from '../../src/common/clock.ts';
import { createSilentLogger } from '../../src/common/logger.ts';
import { loadConfig } from '../../src/config/index.ts';
import { createFlowDecoder } from '../../src/decode/index.ts';
import { readUdpDatagrams } from '../../src/ingest/file/index.ts';
import type { FlowRecord } from '../../src/schema/flow-record.ts';
import { spawnTracked } from '../support/child-process.ts';
import { pollUntil } from '../support/poll-until.ts';
import { requireTool, sharedCapture } from '../support/system-tool.ts';

const CAPTURES = [
  'netflow_ipfix/template.pcap',
  'netflow_ipfix/data.pcap',
  'netflow_ipfix/nfv5.pcap',
  'netflow_ipfix/101-NFv9-CISCO-cust_primitives__traffic-00.pcap',
];
const WAIT_MS = 60_000;

async function datagrams(): Promise<Buffer[]> {
  const out: Buffer[] = [];
  for (const rel of CAPTURES)
    for await (const d of readUdpDatagrams(sharedCapture(rel))) out.push(Buffer.from(d.payload));
  return out;
}

/** Records of the datagrams, decoded in-process, and the busiest destination with the bytes it received. */
function expected(list: Buffer[]): { records: number; client: string; clientBytesIn: number } {
  const dec = createFlowDecoder();
  const records: FlowRecord[] = list.flatMap(
    (d) => dec.decode(d, { exporter: '127.0.0.1', receivedMs: 0 }).records,
  );
  const inBytes = new Map<string, number>();
  for (const r of records) {
    const scale = r.samplingRate ?? 1;
    if (r.dstAddr) inBytes.set(r.dstAddr, (inBytes.get(r.dstAddr) ?? 0) + r.bytes * scale);
    if (r.srcAddr && r.reverseBytes)
      inBytes.set(r.srcAddr, (inBytes.get(r.srcAddr) ?? 0) + r.reverseBytes * scale);
  }
  const [client, clientBytesIn] = [...inBytes].sort((a, b) => b[1] - a[1])[0]!;
  return { records: records.length, client, clientBytesIn };
}

async function promQuery(base: string, query: string): Promise<number | undefined> {
  const res = await fetch(`${base}/api/v1/query?query=${encodeURIComponent(query)}`);
  const body = (await res.json()) as { data?: { result?: { value: [number, string] }[] } };
  const v = body.data?.result?.[0]?.value[1];
  return v === undefined ? undefined : Number(v);
}

test('Prometheus scrapes /metrics: collector records and a client_traffic_bytes series', async (t) => {
  const prometheus = requireTool(t, 'prometheus');
  if (!prometheus) return;
  const list = await datagrams();
  const want = expected(list);
  assert.ok(want.records > 50, `fixture sanity: ${want.records} records`);
  const dir = mkdtempSync(join(tmpdir(), 'flowlens-prom-'));
  const { config } = loadConfig({
    cwd: dir,
    env: {
      FLOWLENS_HTTP_LISTEN: '127.0.0.1:0',
      FLOWLENS_COLLECTOR_NETFLOW_LISTEN: '127.0.0.1:0',
      FLOWLENS_COLLECTOR_IPFIX_LISTEN: '',
      FLOWLENS_COLLECTOR_SFLOW_LISTEN: '',
      FLOWLENS_STORAGE_PATH: join(dir, 'data'),
      FLOWLENS_LOG_LEVEL: 'silent',
      // The busiest destination of the captures is the client under test.
      FLOWLENS_LIVE_LOCALNETWORKS: `["${want.client}/${want.client.includes(':') ? 128 : 32}"]`,
    },
  });
  const clock = createSystemClock();
  // The service wires live state and the per-client metrics itself (src/app/service.ts).
  const svc = createService({ config, clock, log: createSilentLogger(), cwd: dir });
  let prom: ReturnType<typeof spawnTracked> | undefined;
  try {
    await svc.start();
    const promPort = await freeTcpPort();
    writeFileSync(
      join(dir, 'prometheus.yml'),
      [
        'global: { scrape_interval: 1s, evaluation_interval: 1s }',
        'scrape_configs:',
        '  - job_name: flowlens',
        `    static_configs: [{ targets: ["${svc.httpAddress()}"] }]`,
        '',
      ].join('\n'),
    );
    prom = spawnTracked(prometheus, [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--web.listen-address=127.0.0.1:${promPort}`,
      `--storage.tsdb.path=${join(dir, 'tsdb')}`,
      '--log.level=warn',
    ]);
    const base = `http://127.0.0.1:${promPort}`;
    const port = svc.collector.listeners().find((l) => l.name.startsWith('collector.netflow'))!.port;
    const sock = createSocket('udp4');
    for (const d of list)
      await new Promise<void>((resolve, reject) =>
        sock.send(d, port, '127.0.0.1', (e) => (e ? reject(e) : resolve())),
      );
    sock.close();
    await svc.collector.settle();

    const poll = (query: string, value: number) =>
      pollUntil(async () => (await promQuery(base, query)) === value, {
        timeoutMs: WAIT_MS,
        intervalMs: 250,
        what: `Prometheus to return ${value} for ${query} (stderr: ${prom?.stderr().slice(-500)})`,
      });
    await poll('up{job="flowlens"}', 1);
    await poll('sum(flowlens_collector_records_total{job="flowlens"})', want.records);
    await poll(
      `client_traffic_bytes{job="flowlens",direction="in",ip="${want.client}",client="${want.client}",device_type="unknown"}`,
      want.clientBytesIn,
    );
    await poll('network_clients_total{job="flowlens"}', 1);
  } finally {
    await prom?.stop('SIGTERM', 10_000);
    await svc.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
