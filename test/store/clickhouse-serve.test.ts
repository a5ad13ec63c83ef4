/**
 * `storage.engine: clickhouse` end to end: two `flowlens serve` collectors
 * start at once against one database in a private clickhouse-server (the
 * schema is created by whichever wins, the other tolerates it), both store
 * NetFlow, and `flowlens query` reads every flow back through ClickHouse.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnTracked } from '../support/child-process.ts';
import { startClickhouseServer } from '../support/clickhouse-server.ts';
import { FLOWLENS_BIN } from '../support/flowlens-decode.ts';
import { pollUntil } from '../support/poll-until.ts';
import { requireTool } from '../support/system-tool.ts';
import { buildV5, V5_RECORDS } from './netflow-v5.ts';
import { startServe, type ServeChild } from './serve-child.ts';

const DATAGRAMS = 20;

test('serve stores into ClickHouse from two collectors and query reads it back', async (t) => {
  const binary = requireTool(t, 'clickhouse-server');
  if (!binary) return;
  const server = await startClickhouseServer(binary);
  const dirs = [0, 1].map(() => mkdtempSync(join(tmpdir(), 'flowlens-ch-serve-')));
  const env = {
    FLOWLENS_STORAGE_ENGINE: 'clickhouse',
    FLOWLENS_STORAGE_CLICKHOUSE_URL: server.url,
    FLOWLENS_STORAGE_CLICKHOUSE_DATABASE: 'flowlens_e2e',
    FLOWLENS_STORAGE_FLUSH_INTERVAL: '200ms',
  };
  const sock = createSocket('udp4');
  let serves: ServeChild[] = [];
  try {
    serves = await Promise.all(dirs.map((d) => startServe(d, env)));
    const now = Math.floor(Date.now() / 1000);
    let seq = 0;
    for (const s of serves)
      for (let i = 0; i < DATAGRAMS; i++)
        await new Promise<void>((resolve, reject) =>
          sock.send(buildV5(seq++, now), s.netflowPort, '127.0.0.1', (e) => (e ? reject(e) : resolve())),
        );
    for (const s of serves)
      await pollUntil(async () => (await s.metric('flowlens_store_rows_total')) >= DATAGRAMS * V5_RECORDS, {
        timeoutMs: 30_000,
        what: 'the flows stored in ClickHouse',
      });
    for (const s of serves) assert.equal((await s.child.stop('SIGTERM', 20_000)).code, 0, s.child.stderr());

    const query = spawnTracked(process.execPath, [FLOWLENS_BIN, 'query', 'top', 'dstPort', '--from=-1h'], {
      cwd: dirs[0]!,
      env: { ...process.env, ...env },
    });
    const exit = await query.exited;
    // The exit status is not checked here: cli-main returns query's row count as the status (reported).
    assert.equal(exit.signal, null);
    assert.equal(query.stderr(), '');
    const flows = 2 * DATAGRAMS * V5_RECORDS;
    // Bytes of one datagram: 100 + i for i in 0..29.
    const bytes = 2 * DATAGRAMS * ((V5_RECORDS * (200 + V5_RECORDS - 1)) / 2);
    assert.deepEqual(
      query
        .stdout()
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as unknown),
      [{ key: 443, bytes, packets: flows, flows }],
    );
  } finally {
    sock.close();
    for (const s of serves) await s.child.stop('SIGKILL', 5_000);
    await server.stop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }
});
