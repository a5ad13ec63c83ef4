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
import { processCpuSeconds, threadCpuSeconds, udpSocketState } from '../common/proc-stats.ts';
import type { StartCollector } from './collector-under-test.ts';
import { waitUntilSettled } from './settle.ts';

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
  const cpu0 = processCpuSeconds(proc.pid);
  const threads0 = threadCpuSeconds(proc.pid);
  const t0 = Date.now();
  return {
    port,
    async finish() {
      try {
        // nfcapd reports no progress counter: wait for its CPU time to stop growing.
        const cpuNow = (): number => processCpuSeconds(proc.pid);
        const progress = async (): Promise<number> => Math.round(cpuNow() * 100);
        const settleStart = Date.now();
        await waitUntilSettled({
          port,
          progress,
          cpuSeconds: cpuNow,
          expected: Infinity,
          quietMs: QUIET_MS,
          timeoutMs: SETTLE_TIMEOUT_MS,
        });
        const socketDrops = udpSocketState(port).drops;
        const catchUpSeconds = (Date.now() - settleStart) / 1000;
        const cpuWindowSeconds = (Date.now() - t0) / 1000;
        const cpuSeconds = processCpuSeconds(proc.pid) - cpu0;
        const threadCpu: Record<string, number> = {};
        for (const [name, s] of threadCpuSeconds(proc.pid)) threadCpu[name] = s - (threads0.get(name) ?? 0);
        const code = await proc.stop('SIGTERM');
        if (code !== 0) throw new Error(`nfcapd exited ${code}: ${proc.output()}`);
        const records = parseFlows(await runCommand('nfdump', ['-R', dir, '-I'], NFDUMP_TIMEOUT_MS));
        return {
          records,
          socketDrops,
          otherDrops: {},
          errors: {},
          threadCpuSeconds: threadCpu,
          cpuSeconds,
          cpuWindowSeconds,
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
