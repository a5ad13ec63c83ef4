import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from './index.ts';

const dir = mkdtempSync(join(tmpdir(), 'flowlens-config-'));
const write = (name: string, text: string): string => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
const issues = (fn: () => unknown): string[] => {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ConfigError, String(err));
    return err.issues.map((i) => `${i.key} @ ${i.where.replace(dir + '/', '')}: ${i.message}`);
  }
  assert.fail('expected a ConfigError');
};

test('defaults are those of contracts.md', () => {
  const { config, source } = loadConfig({ cwd: dir, env: {} });
  assert.equal(source, '(defaults)');
  assert.deepEqual(config.http.listen, [{ host: '0.0.0.0', port: 3000 }]);
  assert.deepEqual(config.collector.netflow.listen, [{ host: '0.0.0.0', port: 2055 }]);
  assert.deepEqual(config.collector.ipfix.listen, [{ host: '0.0.0.0', port: 4739 }]);
  assert.deepEqual(config.collector.sflow.listen, [{ host: '0.0.0.0', port: 6343 }]);
  assert.equal(config.storage.engine, 'duckdb');
  assert.equal(config.storage.path, './data');
  assert.equal(config.storage.retention.maxAge, 72 * 3600 * 1000);
  assert.equal(config.storage.retention.maxDisk, 10 * 2 ** 30);
});

test('errors name the key path and the file line', () => {
  const p = write(
    'bad.yaml',
    [
      'http:',
      '  listen: "0.0.0.0:3000"',
      'collector:',
      '  netflow: { listen: "0.0.0.0:99999" }',
      '  ipfx: {}',
      '  workers: two',
      'storage:',
      '  retention: { maxAge: 3 days }',
      '',
    ].join('\n'),
  );
  const got = issues(() => loadConfig({ path: p, env: {} }));
  assert.deepEqual(got.sort(), [
    'collector.ipfx @ bad.yaml line 5: unknown key',
    'collector.netflow.listen @ bad.yaml line 4: expected "host:port" or "[ipv6]:port", got "0.0.0.0:99999"',
    'collector.workers @ bad.yaml line 6: Invalid input: expected number, received string',
    'storage.retention.maxAge @ bad.yaml line 8: expected a duration like "90s" or "72h", got "3 days"',
  ]);
});

test('YAML syntax errors give the line', () => {
  const p = write('syntax.yaml', 'http:\n  listen: "a\ncollector: [\n');
  const got = issues(() => loadConfig({ path: p, env: {} }));
  assert.match(got[0] ?? '', /syntax\.yaml line \d+/);
});

test('a missing --config file is an error; a missing flowlens.yaml is not', () => {
  assert.deepEqual(
    issues(() => loadConfig({ path: join(dir, 'nope.yaml'), env: {} })),
    [` @ nope.yaml: file not found`],
  );
  assert.equal(loadConfig({ cwd: join(dir, 'empty'), env: {} }).source, '(defaults)');
});

test('FLOWLENS_* environment variables override the file, with or without underscores in camelCase keys', () => {
  const p = write('env.yaml', 'collector:\n  workers: 1\n  sflow: { listen: "127.0.0.1:6343" }\n');
  const { config } = loadConfig({
    path: p,
    env: {
      FLOWLENS_COLLECTOR_WORKERS: '3',
      FLOWLENS_COLLECTOR_SFLOW_LISTEN: '',
      FLOWLENS_STORAGE_RETENTION_MAX_DISK: '1GiB',
      FLOWLENS_STORAGE_RETENTION_MAXAGE: '2h',
      FLOWLENS_HTTP_LISTEN: '[::1]:8080',
      FLOWLENS_API_TOKEN: 'not a config key',
    },
  });
  assert.equal(config.collector.workers, 3);
  assert.deepEqual(config.collector.sflow.listen, []);
  assert.equal(config.storage.retention.maxDisk, 2 ** 30);
  assert.equal(config.storage.retention.maxAge, 2 * 3600 * 1000);
  assert.deepEqual(config.http.listen, [{ host: '::1', port: 8080 }]);
});

test('a bad environment value names the variable', () => {
  const got = issues(() => loadConfig({ cwd: dir, env: { FLOWLENS_COLLECTOR_IPFIX_LISTEN: 'nowhere' } }));
  assert.deepEqual(got, [
    'collector.ipfix.listen @ environment FLOWLENS_COLLECTOR_IPFIX_LISTEN: expected "host:port" or "[ipv6]:port", got "nowhere"',
  ]);
});

test('several listen addresses, IPv6 in brackets', () => {
  const p = write('multi.yaml', 'collector:\n  ipfix: { listen: ["0.0.0.0:4739", "[::]:4739"] }\n');
  assert.deepEqual(loadConfig({ path: p, env: {} }).config.collector.ipfix.listen, [
    { host: '0.0.0.0', port: 4739 },
    { host: '::', port: 4739 },
  ]);
});
