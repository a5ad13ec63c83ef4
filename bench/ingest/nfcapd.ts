/**
 * nfcapd (nfdump 1.7) as the reference collector: `nfcapd -w DIR -p PORT
 * -b 127.0.0.1 -B BYTES -t 3600`, one file per step. After SIGTERM (which
 * flushes and closes the file) the flows are counted with `nfdump -R DIR -I`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCommand, startChild } from '../common/child-process.ts';
import { freeUdpPort, sleep } from '../common/free-port.ts';
import { udpSocketState } from '../common/proc-stats.ts';
import { openCpuWindow, settleByCpu } from './cpu-window.ts';
import type { StartCollector } from './collector-under-test.ts';

const BIND_TIMEOUT_MS = 5_000;
/** nfcapd rotates files this often; longer than any step, so one file per step. */
const ROTATE_SECS = 3600;
const QUIET_MS = 500;
const SETTLE_TIMEOUT_MS = 30_000;
const NFDUMP_TIMEOUT_MS = 60_000;

/** Starts nfcapd on a fresh port and folder. */
export const startNfcapd: StartCollector = async (o) => {
  const dir = mkdtempSync(join(tmpdir(), 'flowlens-bench-nfcapd-'));
  const port = await freeUdpPort();
  const args = [
    '-w',
    dir,
    '-p',
    String(port),
    '-b',
    '127.0.0.1',
    '-B',
    String(o.receiveBufferBytes),
    '-t',
    String(ROTATE_SECS),
  ];
  const proc = await startChild('nfcapd', args);
  const cleanup = (): void => rmSync(dir, { recursive: true, force: true });
  try {
    const end = Date.now() + BIND_TIMEOUT_MS;
    while (!udpSocketState(port).found) {
      if (proc.exited() || Date.now() > end) throw new Error(`nfcapd did not bind ${port}: ${proc.output()}`);
      await sleep(20);
    }
  } catch (err) {
    await proc.stop('SIGKILL');
    cleanup();
    throw err;
  }
  const cpu = openCpuWindow(proc.pid);
  return {
    port,
    async finish() {
      try {
        // nfcapd reports no progress counter: wait for its CPU time to stop growing.
        const catchUpSeconds = await settleByCpu(proc.pid, port, QUIET_MS, SETTLE_TIMEOUT_MS);
        const socketDrops = udpSocketState(port).drops;
        const used = cpu.read();
        const code = await proc.stop('SIGTERM');
        if (code !== 0) throw new Error(`nfcapd exited ${code}: ${proc.output()}`);
        const records = parseFlows(await runCommand('nfdump', ['-R', dir, '-I'], NFDUMP_TIMEOUT_MS));
        return {
          records,
          socketDrops,
          otherDrops: {},
          errors: {},
          ...used,
          catchUpSeconds,
        };
      } finally {
        cleanup();
      }
    },
    async kill() {
      await proc.stop('SIGKILL');
      cleanup();
    },
  };
};

/** The "Flows: N" line of `nfdump -I` (summed, should there be several files). */
export function parseFlows(text: string): number {
  let n = 0;
  let seen = false;
  for (const m of text.matchAll(/^Flows:\s+(\d+)/gm)) {
    n += Number(m[1]);
    seen = true;
  }
  if (!seen) throw new Error(`no "Flows:" line in nfdump -I output: ${text.slice(0, 300)}`);
  return n;
}
