/**
 * The collector behind `flowlens serve`, in-process: real UDP sockets on
 * loopback, real decode workers, statistics read from the Prometheus registry.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Registry } from 'prom-client';
import { createService, type Service } from '../src/app/index.ts';
import { createSystemClock } from '../src/common/clock.ts';
import { createSilentLogger } from '../src/common/logger.ts';
import { loadConfig } from '../src/config/index.ts';
import { createFlowDecoder } from '../src/decode/index.ts';
import { readUdpDatagrams } from '../src/ingest/file/index.ts';
import { pollUntil } from './support/poll-until.ts';
import { sharedCapture } from './support/system-tool.ts';

function makeService(dataDir: string, env: Record<string, string> = {}): Service {
  const { config } = loadConfig({
    cwd: dataDir,
    env: {
      FLOWLENS_HTTP_LISTEN: '127.0.0.1:0',
      FLOWLENS_COLLECTOR_NETFLOW_LISTEN: '127.0.0.1:0',
      FLOWLENS_COLLECTOR_IPFIX_LISTEN: '127.0.0.1:0',
      FLOWLENS_COLLECTOR_SFLOW_LISTEN: '127.0.0.1:0',
      FLOWLENS_STORAGE_PATH: join(dataDir, 'data'),
      FLOWLENS_LOG_LEVEL: 'silent',
      ...env,
    },
  });
  return createService({ config, clock: createSystemClock(), log: createSilentLogger(), cwd: dataDir });
}

async function payloads(...rels: string[]): Promise<Buffer[]> {
  const out: Buffer[] = [];
  for (const rel of rels)
    for await (const d of readUdpDatagrams(sharedCapture(rel))) out.push(Buffer.from(d.payload));
  return out;
}

async function send(port: number, datagrams: Buffer[]): Promise<void> {
  const s = createSocket('udp4');
  for (const d of datagrams)
    await new Promise<void>((resolve, reject) =>
      s.send(d, port, '127.0.0.1', (e) => (e ? reject(e) : resolve())),
    );
  s.close();
}

/** Sum of a counter's values whose labels match `where`. */
async function counter(
  registry: Registry,
  name: string,
  where: Record<string, string> = {},
): Promise<number> {
  const m = registry.getSingleMetric(name);
  if (!m) return 0;
  const { values } = await m.get();
  return values
    .filter((v) => Object.entries(where).every(([k, x]) => v.labels[k] === x))
    .reduce((a, v) => a + v.value, 0);
}

const port = (svc: Service, key: string): number =>
  svc.collector.listeners().find((l) => l.name.startsWith(key))!.port;

/** What the same datagrams decode to, in-process, for comparison. */
function expected(datagrams: Buffer[]): { records: number; bytes: number; packets: number } {
  const dec = createFlowDecoder();
  const t = { records: 0, bytes: 0, packets: 0 };
  for (const d of datagrams) {
    for (const r of dec.decode(d, { exporter: '127.0.0.1', receivedMs: Date.now() }).records) {
      t.records++;
      t.bytes += r.bytes;
      t.packets += r.packets;
    }
  }
  return t;
}

test('serve decodes NetFlow v5/v9, IPFIX and sFlow from its listeners and counts them per exporter', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'flowlens-serve-'));
  const svc = makeService(dir);
  await svc.start();
  try {
    const nf = await payloads(
      'netflow_ipfix/nfv5.pcap',
      'netflow_ipfix/template.pcap',
      'netflow_ipfix/data.pcap',
      'netflow_ipfix/101-NFv9-CISCO-cust_primitives__traffic-00.pcap',
    );
    const ipfix = await payloads('netflow_ipfix/100-IPFIXv10-CISCO__traffic-00.pcap');
    const sflow = await payloads('sflow/data-1140.pcap', 'sflow/sflow.pcap');
    await send(port(svc, 'collector.netflow'), nf);
    await send(port(svc, 'collector.ipfix'), ipfix);
    await send(port(svc, 'collector.sflow'), sflow);
    await svc.collector.settle();
    const want = expected([...nf, ...ipfix, ...sflow]);
    assert.ok(want.records > 100, `fixture sanity: ${want.records} records`);
    assert.equal(
      await counter(svc.registry, 'flowlens_collector_records_total', { exporter: '127.0.0.1' }),
      want.records,
    );
    assert.equal(await counter(svc.registry, 'flowlens_collector_record_bytes_total'), want.bytes);
    assert.equal(await counter(svc.registry, 'flowlens_collector_record_packets_total'), want.packets);
    assert.equal(await counter(svc.registry, 'flowlens_collector_datagrams_total', { type: 'netflow5' }), 1);
    assert.equal(
      await counter(svc.registry, 'flowlens_collector_datagrams_total', { type: 'ipfix' }),
      ipfix.length,
    );
    assert.equal(
      await counter(svc.registry, 'flowlens_collector_datagrams_total', { type: 'sflow5' }),
      sflow.length,
    );
    const [exp] = svc.collector.exporters();
    assert.equal(exp?.exporter, '127.0.0.1');
    assert.equal(exp?.records, want.records);
    const recent = await svc.collector.recent(10);
    assert.equal(recent.length, 10);
    assert.ok(recent.every((r) => r.exporter === '127.0.0.1' && r.bytes >= 0));
  } finally {
    await svc.stop();
  }
});

test('garbage on a collector port is counted per exporter and kind, and nothing else is lost', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'flowlens-serve-'));
  const svc = makeService(dir);
  await svc.start();
  try {
    const good = await payloads('netflow_ipfix/nfv5.pcap');
    const junk = [
      Buffer.from('GET / HTTP/1.1\r\n\r\n'),
      Buffer.from([0, 5, 0, 30, 1, 2]),
      Buffer.from([0, 10, 0, 200, 0, 0, 0, 0]),
    ];
    await send(port(svc, 'collector.netflow'), [...junk, ...good]);
    await svc.collector.settle();
    assert.equal(await counter(svc.registry, 'flowlens_collector_records_total'), 29);
    assert.equal(
      await counter(svc.registry, 'flowlens_collector_errors_total', {
        exporter: '127.0.0.1',
        kind: 'unknown_format',
      }),
      1,
    );
    assert.ok(
      (await counter(svc.registry, 'flowlens_collector_errors_total', { exporter: '127.0.0.1' })) >= 3,
    );
    const res = await fetch(`http://${svc.httpAddress()}/metrics`);
    assert.equal(res.status, 200);
    const text = await res.text();
    assert.match(text, /flowlens_collector_errors_total\{exporter="127\.0\.0\.1",kind="unknown_format"\} 1/);
    assert.match(text, /flowlens_process_cpu_seconds_total/);
    const health = await fetch(`http://${svc.httpAddress()}/healthz`);
    assert.equal(health.status, 200);
    const body = (await health.json()) as { status: string; enrichmentLoaded: boolean };
    assert.equal(body.status, 'ok');
    // The workers load the enrichment databases in the background; /healthz says when they are in.
    await pollUntil(
      async () => {
        const h = (await (await fetch(`http://${svc.httpAddress()}/healthz`)).json()) as typeof body;
        return h.enrichmentLoaded;
      },
      { timeoutMs: 60_000, what: '/healthz enrichmentLoaded' },
    );
  } finally {
    await svc.stop();
  }
});

test('a graceful stop decodes every datagram already received', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'flowlens-serve-'));
  const svc = makeService(dir);
  await svc.start();
  const one = await payloads('netflow_ipfix/nfv5.pcap');
  const burst = Array.from({ length: 3000 }, () => one[0]!);
  await send(port(svc, 'collector.netflow'), burst);
  await svc.stop(); // no settle(): stop itself must drain
  assert.equal(await counter(svc.registry, 'flowlens_collector_datagrams_total'), 3000);
  assert.equal(await counter(svc.registry, 'flowlens_collector_records_total'), 3000 * 29);
});

test('templates persist across restarts in the data folder', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'flowlens-serve-'));
  const first = makeService(dir);
  await first.start();
  await send(port(first, 'collector.netflow'), await payloads('netflow_ipfix/template.pcap'));
  await first.collector.settle();
  await first.stop();
  assert.deepEqual(
    readdirSync(join(dir, 'data')).filter((f) => f.startsWith('templates-')),
    ['templates-w0.json'],
  );
  const second = makeService(dir);
  await second.start();
  try {
    await send(port(second, 'collector.netflow'), await payloads('netflow_ipfix/data.pcap'));
    await second.collector.settle();
    assert.equal(await counter(second.registry, 'flowlens_collector_records_total'), 4);
    assert.equal(
      await counter(second.registry, 'flowlens_collector_errors_total', { kind: 'template_missing' }),
      0,
    );
  } finally {
    await second.stop();
  }
});

test('several decode workers share exporters and lose nothing', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'flowlens-serve-'));
  const svc = makeService(dir, { FLOWLENS_COLLECTOR_WORKERS: '2' });
  await svc.start();
  try {
    const nf = await payloads('netflow_ipfix/nfv5.pcap');
    await send(
      port(svc, 'collector.netflow'),
      Array.from({ length: 100 }, () => nf[0]!),
    );
    await svc.collector.settle();
    assert.equal(await counter(svc.registry, 'flowlens_collector_records_total'), 2900);
  } finally {
    await svc.stop();
  }
});

test('data whose template never comes is held, then counted as expired for its exporter', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'flowlens-serve-'));
  const svc = makeService(dir, { FLOWLENS_COLLECTOR_TEMPLATE_HOLD: '100ms' });
  await svc.start();
  try {
    await send(port(svc, 'collector.netflow'), await payloads('netflow_ipfix/data.pcap'));
    await svc.collector.settle();
    assert.equal(
      await counter(svc.registry, 'flowlens_collector_errors_total', {
        exporter: '127.0.0.1',
        kind: 'template_missing',
      }),
      1,
    );
    let expired = 0;
    for (let i = 0; i < 100 && expired === 0; i++) {
      await new Promise((r) => setTimeout(r, 50));
      expired = await counter(svc.registry, 'flowlens_collector_errors_total', {
        exporter: '127.0.0.1',
        kind: 'pending_expired',
      });
    }
    assert.equal(expired, 1);
    assert.equal(await counter(svc.registry, 'flowlens_collector_records_total'), 0);
  } finally {
    await svc.stop();
  }
});

test('listeners on IPv6 addresses see IPv6 exporters by their own address', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'flowlens-serve-'));
  const svc = makeService(dir, { FLOWLENS_COLLECTOR_SFLOW_LISTEN: '[::1]:0' });
  await svc.start();
  try {
    const s = createSocket({ type: 'udp6', ipv6Only: true });
    const sflowPort = port(svc, 'collector.sflow');
    for (const d of await payloads('sflow/data-1140.pcap')) {
      await new Promise<void>((resolve, reject) =>
        s.send(d, sflowPort, '::1', (e) => (e ? reject(e) : resolve())),
      );
    }
    s.close();
    await svc.collector.settle();
    assert.equal(
      await counter(svc.registry, 'flowlens_collector_records_total', { exporter: '::1', type: 'sflow5' }),
      5,
    );
  } finally {
    await svc.stop();
  }
});
