import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createLiveCapture,
  type CaptureError,
  type CaptureInterface,
} from '../../src/ingest/capture/index.ts';
import { createSilentLogger } from '../../src/common/logger.ts';
import { pollUntil } from '../support/poll-until.ts';
import { findTool } from '../support/system-tool.ts';
import { createNetnsPair, requireNetnsTools } from './netns-pair.ts';

/** Runs a capture until it gives up (state "failed") and returns what onError got. */
async function failures(
  iface: CaptureInterface,
  dumpcapPath: string | undefined,
  maxRestarts = 0,
): Promise<{ errors: CaptureError[]; restarts: number }> {
  const errors: CaptureError[] = [];
  const capture = createLiveCapture({
    interfaces: [iface],
    ...(dumpcapPath ? { dumpcapPath } : {}),
    ...{ maxRestarts, restartDelayMs: 1, log: createSilentLogger() },
    onFrame: () => undefined,
    onError: (e) => errors.push(e),
  });
  try {
    capture.start();
    await pollUntil(() => capture.stats()[0]?.state === 'failed', { timeoutMs: 30_000, what: 'the failure' });
    return { errors, restarts: capture.stats()[0]?.restarts ?? -1 };
  } finally {
    await capture.stop();
  }
}

const scratch = mkdtempSync(join(tmpdir(), 'flowlens-capture-'));
test.after(() => rmSync(scratch, { recursive: true, force: true }));

/** A stand-in for dumpcap: a shell script (no root, no capture needed). */
function fakeDumpcap(name: string, body: string): string {
  const p = join(scratch, name);
  writeFileSync(p, `#!/bin/sh\n${body}\n`);
  chmodSync(p, 0o755);
  return p;
}

test('a missing dumpcap says how to install it, and is not retried', async () => {
  const { errors, restarts } = await failures({ name: 'lo' }, join(scratch, 'no-such-dumpcap'), 5);
  assert.equal(errors.length, 1);
  assert.equal(errors[0]?.code, 'FLOWLENS_ERR_DUMPCAP_MISSING');
  assert.match(errors[0]?.message ?? '', /apt-get install -y wireshark-common/);
  assert.equal(restarts, 0);
});

test('a dumpcap that keeps dying is restarted with backoff, a bounded number of times', async () => {
  const dumpcap = fakeDumpcap('dying', 'echo "dumpcap: the adapter went away" >&2; exit 2');
  const { errors, restarts } = await failures({ name: 'eth9' }, dumpcap, 3);
  assert.equal(restarts, 3);
  assert.equal(errors.length, 4);
  for (const e of errors) {
    assert.equal(e.code, 'FLOWLENS_ERR_CAPTURE_EXITED');
    assert.match(e.message, /status 2: the adapter went away/);
  }
});

test('stop() kills a dumpcap that ignores SIGTERM, leaving no process behind', async () => {
  const pidFile = join(scratch, 'stubborn.pid');
  // `exec` keeps one process (no orphaned child); the ignored SIGTERM survives exec.
  const dumpcap = fakeDumpcap('stubborn', `echo $$ > ${pidFile}; trap '' TERM; exec sleep 600`);
  const capture = createLiveCapture({
    interfaces: [{ name: 'eth9' }],
    ...{ dumpcapPath: dumpcap, stopGraceMs: 200, log: createSilentLogger() },
    onFrame: () => undefined,
    onError: () => undefined,
  });
  capture.start();
  const pid = await pollUntil(() => Number(readFileSync(pidFile, 'utf8')) || undefined, {
    timeoutMs: 30_000,
    what: 'the fake dumpcap',
  });
  await capture.stop();
  assert.throws(() => process.kill(pid, 0), /ESRCH/);
  assert.equal(capture.stats()[0]?.state, 'stopped');
});

test('dumpcap errors are classified: no such interface, bad filter, no permission', async (t) => {
  if (!requireNetnsTools(t)) return;
  const setpriv = findTool('setpriv');
  const pair = createNetnsPair();
  try {
    const dumpcap = findTool('dumpcap') ?? 'dumpcap';
    const noIf = await failures({ name: 'flt-none0', netns: pair.nsA }, undefined);
    assert.equal(noIf.errors[0]?.code, 'FLOWLENS_ERR_CAPTURE_NO_INTERFACE');
    assert.match(noIf.errors[0]?.message ?? '', /no device named "flt-none0"/);

    const bad = await failures({ name: pair.ifA, netns: pair.nsA, filter: 'udp prot 53' }, undefined, 5);
    assert.equal(bad.errors.length, 1, 'a bad filter is not retried');
    assert.equal(bad.errors[0]?.code, 'FLOWLENS_ERR_CAPTURE_BAD_FILTER');
    assert.match(bad.errors[0]?.message ?? '', /Invalid capture filter "udp prot 53".*syntax error/);

    if (setpriv) {
      // dumpcap as an ordinary user without capabilities: what FlowLens sees without setcap.
      const unprivileged = fakeDumpcap(
        'unprivileged',
        `exec ${setpriv} --reuid=65534 --regid=65534 --clear-groups ${dumpcap} "$@"`,
      );
      const perm = await failures({ name: pair.ifA, netns: pair.nsA }, unprivileged, 5);
      assert.equal(perm.errors.length, 1);
      assert.equal(perm.errors[0]?.code, 'FLOWLENS_ERR_CAPTURE_PERMISSION');
      assert.match(perm.errors[0]?.message ?? '', /setcap cap_net_raw,cap_net_admin=eip/);
    }
  } finally {
    pair.remove();
  }
});
