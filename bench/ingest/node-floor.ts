/**
 * bench/ingest's floor: `floor-receiver.ts` (a bare Node.js UDP socket that
 * only counts records) under the same load as the collectors. Its lossless
 * rate bounds what any Node.js collector can reach on this machine.
 */
import { fileURLToPath } from 'node:url';
import { startChild } from '../common/child-process.ts';
import { freeUdpPort, sleep } from '../common/free-port.ts';
import { udpSocketState } from '../common/proc-stats.ts';
import { openCpuWindow, settleByCpu } from './cpu-window.ts';
import type { StartCollector } from './collector-under-test.ts';

const RECEIVER = fileURLToPath(new URL('./floor-receiver.ts', import.meta.url));
const BIND_TIMEOUT_MS = 10_000;
const QUIET_MS = 500;
const SETTLE_TIMEOUT_MS = 30_000;

/** Starts the bare receiver on a fresh port. */
export const startNodeFloor: StartCollector = async (o) => {
  const port = await freeUdpPort();
  const proc = await startChild(process.execPath, [RECEIVER, String(port), String(o.receiveBufferBytes)], {
    ...process.env,
    NODE_OPTIONS: '',
  });
  try {
    const end = Date.now() + BIND_TIMEOUT_MS;
    while (!proc.output().includes('ready')) {
      if (proc.exited() || Date.now() > end) throw new Error(`floor receiver did not bind: ${proc.output()}`);
      await sleep(20);
    }
  } catch (err) {
    await proc.stop('SIGKILL');
    throw err;
  }
  const cpu = openCpuWindow(proc.pid);
  return {
    port,
    async finish() {
      const catchUpSeconds = await settleByCpu(proc.pid, port, QUIET_MS, SETTLE_TIMEOUT_MS);
      const socketDrops = udpSocketState(port).drops;
      const used = cpu.read();
      const code = await proc.stop('SIGTERM');
      if (code !== 0) throw new Error(`floor receiver exited ${code}: ${proc.output()}`);
      const m = /records (\d+)/.exec(proc.output());
      if (!m) throw new Error(`floor receiver printed no count: ${proc.output()}`);
      return {
        records: Number(m[1]),
        socketDrops,
        otherDrops: {},
        errors: {},
        ...used,
        catchUpSeconds,
      };
    },
    async kill() {
      await proc.stop('SIGKILL');
    },
  };
};
