/** The `flowlens` command as users run it: exit statuses, stdout, stderr (contracts.md). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sharedCapture } from './support/system-tool.ts';

const BIN = new URL('../bin/flowlens.js', import.meta.url).pathname;
const run = (args: string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 60_000,
  });

test('decode prints one JSON record per line and a summary on stderr', () => {
  const r = run(['decode', sharedCapture('netflow_ipfix/nfv5.pcap')]);
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.equal(lines.length, 29);
  assert.deepEqual(lines[0], {
    type: 'netflow5',
    exporter: '10.19.144.41',
    start: 1680626664000,
    end: 1680626664000,
    srcAddr: '161.202.212.212',
    dstAddr: '202.152.70.24',
    srcPort: 30104,
    dstPort: 11963,
    proto: 6,
    bytes: 133,
    packets: 1,
    tcpFlags: 24,
    tos: 0,
    inIf: 117,
    outIf: 86,
    srcAs: 36351,
    dstAs: 10101,
    nextHop: '61.6.255.150',
    srcMask: 19,
    dstMask: 24,
  });
  assert.match(r.stderr, /1 datagrams \(netflow5 1\).*29 records; errors: none/);
});

test('decode applies templates learnt in one file to the next, and writes CSV', () => {
  const r = run([
    'decode',
    '--format',
    'csv',
    sharedCapture('netflow_ipfix/template.pcap'),
    sharedCapture('netflow_ipfix/data.pcap'),
  ]);
  assert.equal(r.status, 0, r.stderr);
  const [header, ...rows] = r.stdout.trim().split('\n');
  assert.match(
    header ?? '',
    /^type,exporter,observationDomain,start,end,srcAddr,dstAddr,srcPort,dstPort,proto,bytes,packets,/,
  );
  assert.equal(rows.length, 4);
  assert.ok(rows.every((row) => row.startsWith('netflow9,192.0.2.100,')));
});

test('decode counts data whose template never came instead of failing', () => {
  const r = run(['decode', sharedCapture('netflow_ipfix/data.pcap')]);
  assert.equal(r.status, 0);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /template_missing 1/);
  assert.match(r.stderr, /pending_expired 1/);
});

test('decode: usage errors and unreadable files exit 2 with a one-line reason', () => {
  const dir = mkdtempSync(join(tmpdir(), 'flowlens-cli-'));
  const notPcap = join(dir, 'x.pcap');
  writeFileSync(notPcap, 'plain text');
  for (const [args, reason] of [
    [['decode'], /needs at least one capture file/],
    [['decode', join(dir, 'missing.pcap')], /cannot open .*missing\.pcap/],
    [['decode', notPcap], /not a pcap or pcapng file/],
    [['decode', '--format', 'xml', notPcap], /--format must be jsonl or csv/],
    [['frobnicate'], /unknown command "frobnicate"/],
    [['decode', '--bogus'], /Unknown option '--bogus'/],
  ] as const) {
    const r = run([...args]);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, reason);
    assert.equal(r.stdout, '');
  }
});

test('meter --threads N: the same flows on two threads as on one; a bad N is a usage error', () => {
  const file = sharedCapture('mixed_voip_retrans/teams.pcap');
  const one = run(['meter', '--threads', '1', file]);
  assert.equal(one.status, 0, one.stderr);
  const lines = one.stdout.trim().split('\n');
  assert.ok(lines.length > 10, `${lines.length} flows`);
  const two = run(['meter', '--threads=2', file]);
  assert.equal(two.status, 0, two.stderr);
  assert.deepEqual(two.stdout.trim().split('\n').sort(), [...lines].sort());
  for (const bad of ['0', '65', 'two', '1.5']) {
    const r = run(['meter', '--threads', bad, file]);
    assert.equal(r.status, 2, r.stderr);
    assert.match(
      r.stderr,
      new RegExp(`--threads must be a number from 1 to 64, not "${bad.replace('.', '\\.')}"`),
    );
    assert.equal(r.stdout, '');
  }
});

test('config check names the key and the line of each error and exits 2', () => {
  const dir = mkdtempSync(join(tmpdir(), 'flowlens-cli-'));
  const file = join(dir, 'flowlens.yaml');
  writeFileSync(
    file,
    'http:\n  listen: "0.0.0.0:3000"\ncollector:\n  sflow: { listen: "0.0.0.0:70000" }\n  decoders: 3\n',
  );
  const r = run(['config', 'check', '--config', file]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /collector\.sflow\.listen \(.*flowlens\.yaml line 4\): expected "host:port"/);
  assert.match(r.stderr, /collector\.decoders \(.*flowlens\.yaml line 5\): unknown key/);
  writeFileSync(file, 'collector:\n  sflow: { listen: "" }\n');
  const ok = run(['config', 'check', '--config', file]);
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stdout, /configuration OK/);
});

test('serve: a port in use is a clear error and exit 1', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'flowlens-cli-'));
  const blocker = createSocket('udp4');
  await new Promise<void>((resolve) => blocker.bind(0, '127.0.0.1', resolve));
  const taken = blocker.address().port;
  try {
    const r = run(['serve'], {
      FLOWLENS_COLLECTOR_NETFLOW_LISTEN: `127.0.0.1:${taken}`,
      FLOWLENS_COLLECTOR_IPFIX_LISTEN: '127.0.0.1:0',
      FLOWLENS_COLLECTOR_SFLOW_LISTEN: '127.0.0.1:0',
      FLOWLENS_HTTP_LISTEN: '127.0.0.1:0',
      FLOWLENS_STORAGE_PATH: join(dir, 'data'),
    });
    assert.equal(r.status, 1);
    assert.match(
      r.stderr,
      new RegExp(`collector\\.netflow\\.listen: UDP port 127\\.0\\.0\\.1:${taken} is already in use`),
    );
  } finally {
    blocker.close();
  }
  const tcp = createServer();
  await new Promise<void>((resolve) => tcp.listen(0, '127.0.0.1', resolve));
  const httpPort = (tcp.address() as { port: number }).port;
  try {
    const r = run(['serve'], {
      FLOWLENS_COLLECTOR_NETFLOW_LISTEN: '127.0.0.1:0',
      FLOWLENS_COLLECTOR_IPFIX_LISTEN: '',
      FLOWLENS_COLLECTOR_SFLOW_LISTEN: '',
      FLOWLENS_HTTP_LISTEN: `127.0.0.1:${httpPort}`,
      FLOWLENS_STORAGE_PATH: join(dir, 'data'),
    });
    assert.equal(r.status, 1);
    assert.match(
      r.stderr,
      new RegExp(`http\\.listen: TCP port 127\\.0\\.0\\.1:${httpPort} is already in use`),
    );
  } finally {
    tcp.close();
  }
});

test('serve drains what it received on SIGTERM and exits 0', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'flowlens-cli-'));
  const probe = createSocket('udp4');
  await new Promise<void>((resolve) => probe.bind(0, '127.0.0.1', resolve));
  const port = probe.address().port;
  probe.close();
  const child = spawn(process.execPath, [BIN, 'serve'], {
    env: {
      ...process.env,
      FLOWLENS_COLLECTOR_NETFLOW_LISTEN: `127.0.0.1:${port}`,
      FLOWLENS_COLLECTOR_IPFIX_LISTEN: '',
      FLOWLENS_COLLECTOR_SFLOW_LISTEN: '',
      FLOWLENS_HTTP_LISTEN: '127.0.0.1:0',
      FLOWLENS_STORAGE_PATH: join(dir, 'data'),
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  try {
    for (let i = 0; i < 200 && !stderr.includes('flowlens started'); i++)
      await new Promise((r) => setTimeout(r, 50));
    assert.match(stderr, /flowlens started/);
    const { readUdpDatagrams } = await import('../src/ingest/file/index.ts');
    let payload: Uint8Array | undefined;
    for await (const d of readUdpDatagrams(sharedCapture('netflow_ipfix/nfv5.pcap'))) payload = d.payload;
    const s = createSocket('udp4');
    for (let i = 0; i < 500; i++)
      await new Promise<void>((resolve) => s.send(payload!, port, '127.0.0.1', () => resolve()));
    s.close();
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
    const stopped = stderr
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((l) => String(l['msg']).startsWith('collector stopped'));
    assert.deepEqual(
      { datagrams: stopped?.['datagrams'], records: stopped?.['records'] },
      { datagrams: 500, records: 500 * 29 },
    );
  } finally {
    child.kill('SIGKILL');
  }
});
