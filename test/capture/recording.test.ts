import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRecorder, type RecorderDeps } from '../../src/ingest/recording/index.ts';
import { readPacketsFromStream } from '../../src/ingest/capture/index.ts';
import { createSilentLogger } from '../../src/common/logger.ts';
import { findNetworkLayer } from '../../src/ingest/file/index.ts';
import { runToExit, spawnTracked } from '../support/child-process.ts';
import { pollUntil } from '../support/poll-until.ts';
import { requireTool } from '../support/system-tool.ts';
import { createNetnsPair, requireNetnsTools } from './netns-pair.ts';

const PORT = 5555;
/** A: numbered UDP datagrams (the number in the first 4 bytes) every millisecond, plus noise on another port, until killed. */
const SENDER = `
const u = require('node:dgram').createSocket('udp4');
const [addr, port] = process.argv.slice(1);
let i = 0;
setInterval(() => {
  const b = Buffer.alloc(200); b.writeUInt32BE(++i);
  u.send(b, Number(port), addr);
  u.send(Buffer.alloc(50), Number(port) + 1, addr);
}, 1);
`;

/** Total bytes of the recordings folder (all recordings), as `du` would add it up. */
function diskBytes(dir: string): number {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!e.isFile() || !e.name.endsWith('.pcapng')) continue;
    // dumpcap's ring may delete a file between the listing and the stat: it then takes no space.
    n += statSync(join(e.parentPath, e.name), { throwIfNoEntry: false })?.size ?? 0;
  }
  return n;
}

test('recordings rotate ring files by size within the disk budget; list/open/tshark agree', async (t) => {
  if (!requireNetnsTools(t)) return;
  const tshark = requireTool(t, 'tshark');
  if (!tshark) return;
  const dir = mkdtempSync(join(tmpdir(), 'flowlens-rec-'));
  const pair = createNetnsPair();
  const deps: RecorderDeps = {
    ...{ dir, maxDiskBytes: 60_000, fileSizeBytes: 8192, fileDurationMs: 3_600_000, maxRecordings: 2 },
    log: createSilentLogger(),
  };
  const recorder = createRecorder(deps);
  try {
    await recorder.load();
    const rec = await recorder.start({
      interface: pair.ifB,
      netns: pair.nsB,
      filter: `udp port ${PORT}`,
      snaplen: 1500,
    });
    assert.equal(rec.state, 'recording');
    const sender = spawnTracked('ip', [
      'netns',
      'exec',
      pair.nsA,
      process.execPath,
      '-e',
      SENDER,
      pair.addrB,
      String(PORT),
    ]);
    let peak = 0;
    try {
      // Sample the disk while traffic flows: the budget must hold at every sample, not only at the end.
      // Six files means dumpcap's two-file ring has already thrown old ones away.
      await pollUntil(
        async () => {
          peak = Math.max(peak, diskBytes(dir));
          // On a busy machine many files may go by between two polls: any number from 6 on will do.
          return (await recorder.list())[0]?.files.some((f) => Number(/^rec_(\d+)_/.exec(f.name)?.[1]) >= 6);
        },
        { timeoutMs: 60_000, intervalMs: 5, what: 'six ring files' },
      );
    } finally {
      await sender.stop();
    }
    const stopped = await recorder.stop(rec.id);
    peak = Math.max(peak, diskBytes(dir));

    assert.equal(stopped.state, 'stopped');
    assert.ok(peak <= deps.maxDiskBytes, `disk use ${peak} within ${deps.maxDiskBytes}`);
    assert.ok(recorder.stats().peakBytes <= deps.maxDiskBytes);
    assert.ok(stopped.files.length >= 2, `rotated into several files: ${JSON.stringify(stopped)}`);
    assert.ok(stopped.packets !== undefined && stopped.packets > 0);
    const [listed] = await recorder.list();
    assert.deepEqual(
      listed?.files.map((f) => f.name),
      stopped.files.map((f) => f.name),
    );

    // The ring dropped the oldest files: what remains is the newest run of numbers, without gaps.
    const numbers: number[] = [];
    for (const f of stopped.files) {
      assert.ok(f.bytes <= deps.fileSizeBytes + 1500 + 1024, `${f.name}: ${f.bytes} bytes`);
      let inFile = 0;
      for await (const p of readPacketsFromStream(await recorder.open(rec.id, f.name))) {
        const nl = findNetworkLayer(p.linkType, p.data);
        assert.ok(nl);
        const udp = Buffer.from(p.data.subarray(nl.offset + 20));
        assert.equal(udp.readUInt16BE(2), PORT, 'only what the filter lets through');
        numbers.push(udp.readUInt32BE(8));
        inFile++;
      }
      const ts = await runToExit(
        tshark,
        ['-r', join(dir, rec.id, f.name), '-T', 'fields', '-e', 'udp.dstport'],
        {
          timeoutMs: 60_000,
        },
      );
      assert.equal(ts.code, 0, ts.stderr);
      const ports = ts.stdout.split('\n').filter(Boolean);
      assert.equal(ports.length, inFile, `tshark reads ${f.name} as FlowLens does`);
      assert.ok(ports.every((p) => p === String(PORT)));
    }
    assert.ok(numbers[0] !== undefined && numbers[0] > 1, 'the oldest files were deleted');
    assert.ok(stopped.files.length <= 2, 'two-file ring');
    assert.deepEqual(
      numbers,
      numbers.map((_, i) => (numbers[0] ?? 0) + i),
      'no gap',
    );
    assert.equal(numbers.at(-1), stopped.packets, 'the last frame dumpcap captured is in the last file');

    await assert.rejects(recorder.open(rec.id, '../recordings.json'), {
      code: 'FLOWLENS_ERR_RECORDING_NOT_FOUND',
    });
    await assert.rejects(recorder.open('..', 'recordings.json'), {
      code: 'FLOWLENS_ERR_RECORDING_NOT_FOUND',
    });

    // The index survives a restart.
    const again = createRecorder(deps);
    await again.load();
    const [reloaded] = await again.list();
    assert.equal(reloaded?.id, rec.id);
    assert.equal(reloaded?.state, 'stopped');
    assert.deepEqual(
      reloaded?.files.map((f) => f.name),
      stopped.files.map((f) => f.name),
    );
    await again.delete(rec.id);
    assert.deepEqual(await again.list(), []);
  } finally {
    await recorder.close();
    pair.remove();
    rmSync(dir, { recursive: true, force: true });
  }
});
