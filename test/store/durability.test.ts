/**
 * Done-means of the store: SIGKILL during ingest loses at most about one
 * flush interval, never anything committed, and the database opens cleanly
 * afterwards (and serve starts on it again).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { openDuckDbReader } from '../../src/store/index.ts';
import { pollUntil } from '../support/poll-until.ts';
import { buildV5, V5_RECORDS } from './netflow-v5.ts';
import { startServe } from './serve-child.ts';

const FLUSH_MS = 500;
/** Datagrams a second: 30 flows each, so 9,000 flows a second, gentle on a shared 2-core machine. */
const RATE = 300;
const RETENTION = { rawMaxAgeMs: 1e12, rollupMaxAgeMs: {} };

async function countRows(dir: string): Promise<number> {
  const reader = await openDuckDbReader(dir, RETENTION);
  try {
    const rows = await reader.runner.all('SELECT count(*) AS n FROM flows', [{ name: 'n', kind: 'number' }]);
    return Number(rows[0]?.['n']);
  } finally {
    reader.close();
  }
}

test('SIGKILL during ingest: committed flows survive, at most about one flush interval is lost', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'flowlens-durability-'));
  const sock = createSocket('udp4');
  const env = { FLOWLENS_STORAGE_FLUSH_INTERVAL: `${FLUSH_MS}ms` };
  let serve = await startServe(dir, env);
  try {
    let seq = 0;
    const now = Math.floor(Date.now() / 1000);
    const send = (port: number): Promise<void> =>
      new Promise((resolve, reject) =>
        sock.send(buildV5(seq++, now), port, '127.0.0.1', (e) => (e ? reject(e) : resolve())),
      );
    // Phase 1: some flows, then wait until the store has committed them all.
    for (let i = 0; i < 100; i++) await send(serve.netflowPort);
    await pollUntil(async () => (await serve.metric('flowlens_store_rows_total')) >= 100 * V5_RECORDS, {
      timeoutMs: 20_000,
      what: 'the first flows committed',
    });
    // Phase 2: steady ingest, SIGKILL in the middle of it.
    const started = Date.now();
    let committedBeforeKill = 0;
    while (Date.now() - started < 3_000) {
      for (let i = 0; i < RATE / 20; i++) await send(serve.netflowPort);
      await sleep(50);
      if (Date.now() - started > 2_500 && committedBeforeKill === 0)
        committedBeforeKill = await serve.metric('flowlens_store_rows_total');
    }
    serve.child.process.kill('SIGKILL');
    await serve.child.exited;
    const sent = seq * V5_RECORDS;
    const stored = await countRows(dir);
    // Everything committed before the kill is there; nothing is invented.
    assert.ok(stored >= committedBeforeKill, `stored ${stored} < committed ${committedBeforeKill}`);
    assert.ok(stored <= sent, `stored ${stored} > sent ${sent}`);
    // Lost: the flows of the last flush interval, plus the decode and batching stages
    // ahead of it (a 100 ms producer batch); one more interval of slack for a busy machine.
    const perSecond = RATE * V5_RECORDS;
    const allowance = Math.ceil((perSecond * (2 * FLUSH_MS + 100)) / 1000);
    assert.ok(sent - stored <= allowance, `lost ${sent - stored} flows, allowed ${allowance}`);

    // The database opens cleanly for serve again, and a graceful stop loses nothing.
    serve = await startServe(dir, env);
    const before = seq;
    for (let i = 0; i < 50; i++) await send(serve.netflowPort);
    await pollUntil(async () => (await serve.metric('flowlens_collector_records_total')) >= 50 * V5_RECORDS, {
      timeoutMs: 20_000,
      what: 'the flows after restart decoded',
    });
    const exit = await serve.child.stop('SIGTERM', 20_000);
    assert.equal(exit.code, 0, serve.child.stderr());
    assert.equal(await countRows(dir), stored + (seq - before) * V5_RECORDS);
  } finally {
    sock.close();
    await serve.child.stop('SIGKILL', 5_000);
    rmSync(dir, { recursive: true, force: true });
  }
});
