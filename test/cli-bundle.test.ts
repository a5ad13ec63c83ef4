/**
 * The bundled command line (scripts/build-cli.ts, bin/cli-bundle.js): built
 * into a temporary directory, it prints what the sources print, and it is
 * used only while every source it was built from is older than the build.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { findPackageJSON } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { freshBundle } from '../bin/cli-bundle.js';
import { writeSyntheticPcap } from '../bench/meter/synthetic-pcap.ts';
import { sharedCapture } from './support/system-tool.ts';

const ROOT = new URL('..', import.meta.url).pathname;
const fresh = freshBundle as (command: string, dir?: string) => string | undefined;
const node = (args: string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, args, {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 120_000,
    maxBuffer: 64 << 20,
  });

const dir = mkdtempSync(join(tmpdir(), 'flowlens-cli-bundle-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

test('the bundle meters and decodes as the sources do, and is used while fresh', async () => {
  const built = node([join(ROOT, 'scripts', 'build-cli.ts'), dir]);
  assert.equal(built.status, 0, built.stderr);
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as {
    builtAtMs: number;
    root: string;
    entry: string;
    commands: Record<string, string[]>;
  };
  assert.equal(manifest.root, ROOT);
  assert.ok(manifest.commands['meter']!.includes('src/meter/flow-table.ts'));
  assert.ok(manifest.commands['meter']!.includes('src/cli.ts'));
  assert.ok(!manifest.commands['meter']!.includes('src/app/commands/serve.ts'));
  assert.ok(manifest.commands['decode']!.includes('src/decode/netflow/ipfix.ts'));
  const entry = pathToFileURL(join(dir, manifest.entry)).href;
  assert.equal(fresh('meter', dir), entry);
  // The chunks load as ES modules straight away (no CommonJS attempt first): their package says so.
  const scope = findPackageJSON(entry);
  assert.equal(scope, join(dir, 'package.json'));
  assert.equal((JSON.parse(readFileSync(scope, 'utf8')) as { type?: string }).type, 'module');
  assert.equal(fresh('serve', dir), undefined); // not bundled: always the sources

  const capture = sharedCapture('tunnels/gre-sample.pcap');
  const fromSources = node([join(ROOT, 'bin', 'flowlens.js'), 'meter', capture], {
    FLOWLENS_CLI_BUNDLE: '0',
  });
  const fromBundle = node([join(dir, manifest.entry), 'meter', capture]);
  assert.equal(fromSources.status, 0, fromSources.stderr);
  assert.equal(fromBundle.status, 0, fromBundle.stderr);
  assert.ok(fromBundle.stdout.split('\n').length > 2);
  assert.equal(fromBundle.stdout, fromSources.stdout);
  assert.equal(fromBundle.stderr, fromSources.stderr);

  // Sharded over worker threads (a file of 16 MB or more): the workers run from the sources.
  const big = join(dir, 'synthetic.pcap');
  await writeSyntheticPcap(big, 80_000, 10_000, 500);
  const sorted = (out: string) => out.trim().split('\n').sort().join('\n');
  const shardedSources = node([join(ROOT, 'bin', 'flowlens.js'), 'meter', '--threads=2', big], {
    FLOWLENS_CLI_BUNDLE: '0',
  });
  const shardedBundle = node([join(dir, manifest.entry), 'meter', '--threads=2', big]);
  assert.equal(shardedBundle.status, 0, shardedBundle.stderr);
  assert.match(shardedBundle.stderr, /80000 packets, 10000 flows/);
  assert.equal(sorted(shardedBundle.stdout), sorted(shardedSources.stdout));

  const nf = sharedCapture('netflow_ipfix/nfv5.pcap');
  const decoded = node([join(dir, manifest.entry), 'decode', nf]);
  assert.equal(decoded.status, 0, decoded.stderr);
  assert.equal(
    decoded.stdout,
    node([join(ROOT, 'bin', 'flowlens.js'), 'decode', nf], { FLOWLENS_CLI_BUNDLE: '0' }).stdout,
  );

  // Stale: a source saved after the build, a source gone, another checkout, or turned off.
  const rewrite = (m: object) => writeFileSync(join(dir, 'manifest.json'), JSON.stringify(m));
  rewrite({ ...manifest, builtAtMs: 0 });
  assert.equal(fresh('meter', dir), undefined);
  rewrite({ ...manifest, commands: { meter: [...manifest.commands['meter']!, 'src/gone.ts'] } });
  assert.equal(fresh('meter', dir), undefined);
  rewrite({ ...manifest, root: '/elsewhere/' });
  assert.equal(fresh('meter', dir), undefined);
  rewrite(manifest);
  assert.equal(fresh('meter', dir), entry);
  process.env['FLOWLENS_CLI_BUNDLE'] = '0';
  try {
    assert.equal(fresh('meter', dir), undefined);
  } finally {
    delete process.env['FLOWLENS_CLI_BUNDLE'];
  }
  assert.equal(fresh('meter', join(dir, 'missing')), undefined);
});
