import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../src/config/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'flowlens-capture-config-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

test('capture defaults: no interfaces, dumpcap from PATH, a 2 GiB recording budget', () => {
  const { config } = loadConfig({ cwd: dir, env: {} });
  assert.deepEqual(config.capture, {
    interfaces: [],
    dumpcap: 'dumpcap',
    recording: {
      path: null,
      maxDisk: 2 * 2 ** 30,
      fileSize: 100 * 2 ** 20,
      fileDuration: 3_600_000,
      maxRecordings: 4,
    },
  });
});

test('capture interfaces each carry their own filter; units are parsed', () => {
  const p = join(dir, 'capture.yaml');
  writeFileSync(
    p,
    [
      'capture:',
      '  interfaces:',
      '    - { name: eth0, filter: "not port 22" }',
      '    - { name: eth1, snaplen: 128, promiscuous: false }',
      '  dumpcap: /usr/bin/dumpcap',
      '  recording: { path: /var/lib/flowlens/rec, maxDisk: 500MiB, fileSize: 10MB, fileDuration: 15m }',
      '',
    ].join('\n'),
  );
  const { config } = loadConfig({ path: p, env: {} });
  assert.deepEqual(config.capture.interfaces, [
    { name: 'eth0', filter: 'not port 22', snaplen: 262_144, promiscuous: true },
    { name: 'eth1', filter: '', snaplen: 128, promiscuous: false },
  ]);
  assert.equal(config.capture.dumpcap, '/usr/bin/dumpcap');
  assert.deepEqual(config.capture.recording, {
    path: '/var/lib/flowlens/rec',
    maxDisk: 500 * 2 ** 20,
    fileSize: 10_000_000,
    fileDuration: 900_000,
    maxRecordings: 4,
  });
});

test('capture errors name the key and the line', () => {
  const p = join(dir, 'bad.yaml');
  writeFileSync(
    p,
    [
      'capture:',
      '  interfaces:',
      '    - { name: eth0, filtr: "udp" }',
      '  recording: { maxDisk: lots }',
      '',
    ].join('\n'),
  );
  try {
    loadConfig({ path: p, env: {} });
    assert.fail('expected a ConfigError');
  } catch (err) {
    assert.ok(err instanceof ConfigError, String(err));
    const got = err.issues.map((i) => `${i.key} @ ${i.where.replace(dir + '/', '')}: ${i.message}`).sort();
    // The loader places unknown keys inside list items at the list's line; the key path is exact.
    assert.match(got[0] ?? '', /^capture\.interfaces\.0\.filtr @ bad\.yaml line \d+: unknown key$/);
    assert.equal(
      got[1],
      'capture.recording.maxDisk @ bad.yaml line 4: expected a size like "512MiB" or "10GiB", got "lots"',
    );
  }
});
