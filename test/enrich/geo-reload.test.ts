/**
 * A new MaxMind DB file placed at the configured path is used without a
 * restart (fs.watch, with the stat poll as the fallback), and private and
 * special ranges are labelled instead of looked up.
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createSystemClock } from '../../src/common/clock.ts';
import { createGeoDatabase, defaultGeoPaths } from '../../src/enrich/geo/geo-database.ts';
import { specialRange } from '../../src/enrich/geo/special-ranges.ts';
import { pollUntil } from '../support/poll-until.ts';

const V6_ADDR = '2a00:1450:4001:82b::200e';

for (const mode of ['fs.watch', 'stat poll'] as const) {
  test(`geo: a replaced database file is used without a restart (${mode})`, async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'flowlens-geo-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const [v4File, v6File] = defaultGeoPaths().city as [string, string];
    const path = join(dir, 'city.mmdb');
    copyFileSync(v4File, path);
    const errors: unknown[] = [];
    const geo = createGeoDatabase(
      {
        cityDatabases: [path],
        asnDatabases: [],
        defaultAsn: false,
        cacheEntries: 100,
        reloadPollMs: mode === 'fs.watch' ? 3_600_000 : 200,
        useFsWatch: mode === 'fs.watch',
      },
      { clock: createSystemClock(), onError: (e) => errors.push(e) },
    );
    await geo.start();
    t.after(() => geo.stop());
    assert.equal(geo.lookup('8.8.8.8').country, 'US');
    assert.equal(geo.lookup(V6_ADDR).country, undefined, 'the IPv4 database knows no IPv6 address');
    // Written beside it, then renamed into place: how database updaters replace files.
    copyFileSync(v6File, join(dir, 'city.mmdb.tmp'));
    renameSync(join(dir, 'city.mmdb.tmp'), path);
    await pollUntil(() => geo.lookup(V6_ADDR).country === 'DE', {
      timeoutMs: 20_000,
      what: 'the new database answers',
    });
    assert.equal(geo.lookup(V6_ADDR).city, 'Frankfurt am Main');
    assert.equal(geo.reloads, 1);
    assert.deepEqual(errors, []);
  });
}

test('geo: private and special ranges are labelled', () => {
  const cases: [string, string | undefined][] = [
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['192.168.1.1', 'private'],
    ['100.64.1.1', 'cgnat'],
    ['127.0.0.1', 'loopback'],
    ['169.254.10.1', 'link-local'],
    ['224.0.0.251', 'multicast'],
    ['192.0.2.7', 'documentation'],
    ['255.255.255.255', 'broadcast'],
    ['fd00::1', 'unique-local'],
    ['fe80::1', 'link-local'],
    ['ff02::fb', 'multicast'],
    ['2001:db8::1', 'documentation'],
    ['::1', 'loopback'],
    ['::ffff:10.0.0.1', 'private'],
    ['8.8.8.8', undefined],
    ['2a00:1450::1', undefined],
  ];
  for (const [addr, label] of cases) assert.equal(specialRange(addr), label, addr);
});
