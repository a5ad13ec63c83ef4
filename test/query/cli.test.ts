/**
 * `flowlens query top|flows|series` on an embedded store (contracts.md): a
 * new process reads the store written by the DuckDB store, one JSON object
 * per line, the same answers as the engine, exit 0; usage errors exit 2.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { get as httpsGet } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFakeClock } from '../../src/common/clock.ts';
import { createSilentLogger } from '../../src/common/logger.ts';
import { createBatchBuilder, createDuckDbStore } from '../../src/store/index.ts';
import { spawnTracked } from '../support/child-process.ts';
import { freeTcpPort } from '../../bench/common/free-port.ts';
import { pollUntil } from '../support/poll-until.ts';
import { DATASET, HOUR, NOW, referenceTop, T0, timeOf } from './dataset.ts';

const BIN = new URL('../../bin/flowlens.js', import.meta.url).pathname;
const DAY = 86_400_000;
const FROM = new Date(T0).toISOString();
const TO = new Date(T0 + 3 * HOUR).toISOString();

let dir = '';
let config = '';

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'flowlens-query-cli-'));
  const store = createDuckDbStore({
    config: {
      dir: join(dir, 'data'),
      flushIntervalMs: 1000,
      flushRows: 1_000_000,
      maxQueuedRows: 10_000_000,
      retention: {
        maxAgeMs: 3650 * DAY,
        maxDiskBytes: 1 << 30,
        maxAge1mMs: 3650 * DAY,
        maxAge1hMs: 3650 * DAY,
      },
    },
    clock: createFakeClock(NOW),
    log: createSilentLogger(),
  });
  await store.start();
  const b = createBatchBuilder(DATASET.length);
  for (const r of DATASET) b.add(r, NOW);
  store.write(b.take());
  await store.stop();
  config = join(dir, 'flowlens.yaml');
  writeFileSync(
    config,
    'log:\n  level: silent\nstorage:\n  path: data\n  retention:\n    maxAge: 3650d\n    maxAge1m: 3650d\n    maxAge1h: 3650d\n',
  );
});
after(() => rmSync(dir, { recursive: true, force: true }));

const query = (args: string[], cfg = config) => {
  const r = spawnSync(process.execPath, [BIN, 'query', ...args, '--config', cfg], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return parsed(r);
};

const parsed = (r: { status: number | null; stdout: string; stderr: string }) => {
  const lines = r.stdout
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  return { status: r.status, stderr: r.stderr, lines };
};

test('query top: the top keys with bytes, packets and flows, sampling applied', () => {
  const r = query(['top', 'srcAddr', '--limit', '3', '--from', FROM, '--to', TO]);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(r.lines, referenceTop(DATASET, (f) => f.srcAddr).slice(0, 3));
});

test('query flows: the newest matching records, newest first', () => {
  const r = query([
    'flows',
    '--filter',
    'dport 443 and proto tcp',
    '--limit',
    '5',
    '--from',
    FROM,
    '--to',
    TO,
  ]);
  assert.equal(r.status, 0, r.stderr);
  const expected = DATASET.filter((f) => f.dstPort === 443 && f.proto === 6)
    .sort((a, b) => timeOf(b) - timeOf(a))
    .slice(0, 5);
  assert.deepEqual(r.lines, expected);
});

test('query series: one line per bucket of the range, zeros included', () => {
  const r = query(['series', '--step', '1h', '--from', FROM, '--to', new Date(T0 + 4 * HOUR).toISOString()]);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(
    r.lines.map((l) => l['time']),
    [0, 1, 2, 3].map((h) => new Date(T0 + h * HOUR).toISOString()),
  );
  assert.equal(
    r.lines.reduce((n, l) => n + Number(l['flows']), 0),
    DATASET.length,
  );
  assert.equal(r.lines[3]?.['flows'], 0);
});

test('query with a bad filter or dimension is a usage error (exit 2, reason on stderr)', () => {
  const bad = query(['top', 'nosuchfield', '--from', FROM, '--to', TO]);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /unknown dimension "nosuchfield"/);
  const filter = query(['flows', '--filter', 'dport and', '--from', FROM, '--to', TO]);
  assert.equal(filter.status, 2);
  assert.match(filter.stderr, /--filter/);
});

/** Runs `flowlens query` without blocking this process (the server it asks may be a child of ours). */
function queryAsync(args: string[], cfg: string, env: NodeJS.ProcessEnv) {
  return new Promise<ReturnType<typeof parsed>>((resolve) => {
    const c = spawn(process.execPath, [BIN, 'query', ...args, '--config', cfg], { cwd: dir, env });
    let stdout = '';
    let stderr = '';
    c.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    c.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    c.on('close', (status) => resolve(parsed({ status, stdout, stderr })));
  });
}

test('with a running server holding the store, query asks its API: same answers; without a key it says how', async () => {
  const port = await freeTcpPort();
  const token = 'cli-remote-test-token-0123456789abcdef';
  const served = join(dir, 'served.yaml');
  writeFileSync(
    served,
    `http:\n  listen: "127.0.0.1:${port}"\ncollector:\n  netflow: { listen: "" }\n  ipfix: { listen: "" }\n  sflow: { listen: "" }\ndevices:\n  enabled: false\n` +
      'log:\n  level: silent\nstorage:\n  path: data\n  retention:\n    maxAge: 3650d\n    maxAge1m: 3650d\n    maxAge1h: 3650d\n',
  );
  const direct = {
    top: query(['top', 'dstPort', '--limit', '4', '--from', FROM, '--to', TO]),
    series: query(['series', '--step', '30m', '--from', FROM, '--to', TO]),
    flows: query(['flows', '--filter', 'proto tcp', '--limit', '5', '--from', FROM, '--to', TO]),
  };
  for (const r of Object.values(direct)) assert.equal(r.status, 0, r.stderr);
  const serve = spawnTracked(process.execPath, [BIN, 'serve', '--config', served], {
    cwd: dir,
    env: { ...process.env, FLOWLENS_API_TOKEN: token },
  });
  try {
    await pollUntil(async () => (await fetch(`http://127.0.0.1:${port}/healthz`)).ok, {
      timeoutMs: 30_000,
      what: `serve on port ${port}: ${serve.stderr()}`,
    });
    const env = { ...process.env, FLOWLENS_API_TOKEN: token };
    const top = await queryAsync(['top', 'dstPort', '--limit', '4', '--from', FROM, '--to', TO], served, env);
    assert.equal(top.status, 0, top.stderr);
    assert.deepEqual(top.lines, direct.top.lines);
    assert.ok(top.lines.length > 1);
    const series = await queryAsync(['series', '--step', '30m', '--from', FROM, '--to', TO], served, env);
    assert.equal(series.status, 0, series.stderr);
    assert.deepEqual(series.lines, direct.series.lines);
    const flows = await queryAsync(
      ['flows', '--filter', 'proto tcp', '--limit', '5', '--from', FROM, '--to', TO],
      served,
      env,
    );
    assert.equal(flows.status, 0, flows.stderr);
    assert.equal(flows.lines.length, 5);
    assert.deepEqual(
      flows.lines.map((l) => [l['srcAddr'], l['dstAddr'], l['bytes']]),
      direct.flows.lines.map((l) => [l['srcAddr'], l['dstAddr'], l['bytes']]),
    );
    const noKey = { ...process.env };
    delete noKey['FLOWLENS_API_TOKEN'];
    const refused = await queryAsync(['top', 'dstPort', '--from', FROM, '--to', TO], served, noKey);
    assert.equal(refused.status, 2);
    assert.match(refused.stderr, /FLOWLENS_API_TOKEN/);
  } finally {
    await serve.stop();
  }
});

test('over HTTPS, query asks the server only if it presents the certificate of http.tls.cert (self-signed works)', async () => {
  const port = await freeTcpPort();
  const token = 'cli-remote-tls-token-0123456789abcdef';
  const certs = new URL('./testdata/', import.meta.url).pathname;
  const cfg = (cert: string): string => {
    const file = join(dir, `served-tls-${cert}.yaml`);
    writeFileSync(
      file,
      `http:\n  listen: "127.0.0.1:${port}"\n  tls:\n    cert: "${certs}test-${cert}.crt"\n    key: "${certs}test-${cert}.key"\n` +
        'collector:\n  netflow: { listen: "" }\n  ipfix: { listen: "" }\n  sflow: { listen: "" }\ndevices:\n  enabled: false\n' +
        'log:\n  level: silent\nstorage:\n  path: data\n  retention:\n    maxAge: 3650d\n    maxAge1m: 3650d\n    maxAge1h: 3650d\n',
    );
    return file;
  };
  const served = cfg('a');
  const direct = query(['top', 'dstPort', '--limit', '4', '--from', FROM, '--to', TO]);
  assert.equal(direct.status, 0, direct.stderr);
  const serve = spawnTracked(process.execPath, [BIN, 'serve', '--config', served], {
    cwd: dir,
    env: { ...process.env, FLOWLENS_API_TOKEN: token },
  });
  try {
    await pollUntil(() => httpsStatus(`https://127.0.0.1:${port}/healthz`).then((s) => s === 200), {
      timeoutMs: 30_000,
      what: `serve on port ${port}: ${serve.stderr()}`,
    });
    const env = { ...process.env, FLOWLENS_API_TOKEN: token };
    const top = await queryAsync(['top', 'dstPort', '--limit', '4', '--from', FROM, '--to', TO], served, env);
    assert.equal(top.status, 0, top.stderr);
    assert.deepEqual(top.lines, direct.lines);
    assert.ok(top.lines.length > 1);
    // Another certificate configured than the one served: refused before the key is sent.
    const other = await queryAsync(['top', 'dstPort', '--from', FROM, '--to', TO], cfg('b'), env);
    assert.equal(other.status, 2);
    assert.match(other.stderr, /not the one in http\.tls\.cert/);
  } finally {
    await serve.stop();
  }
});

/** The status of a GET that trusts any certificate (for waiting on the server only). */
function httpsStatus(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpsGet(url, { rejectUnauthorized: false }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.once('error', reject);
  });
}
