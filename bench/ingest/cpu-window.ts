/** What a collector's process used from the moment it was up, read once it has settled. */
import { processCpuSeconds, threadCpuSeconds } from '../common/proc-stats.ts';
import { waitUntilSettled } from './settle.ts';

/** CPU of the process (and of each thread) since the window opened. */
export interface CpuWindow {
  read(): { cpuSeconds: number; cpuWindowSeconds: number; threadCpuSeconds: Record<string, number> };
}

/** Opens the window now. */
export function openCpuWindow(pid: number): CpuWindow {
  const cpu0 = processCpuSeconds(pid);
  const threads0 = threadCpuSeconds(pid);
  const t0 = Date.now();
  return {
    read() {
      const threadCpu: Record<string, number> = {};
      for (const [name, s] of threadCpuSeconds(pid)) threadCpu[name] = s - (threads0.get(name) ?? 0);
      return {
        cpuSeconds: processCpuSeconds(pid) - cpu0,
        cpuWindowSeconds: (Date.now() - t0) / 1000,
        threadCpuSeconds: threadCpu,
      };
    },
  };
}

/**
 * Waits until a collector that reports no progress counter has worked
 * through what it received (its CPU time stops growing, its socket queue is
 * empty); resolves with how long that took (its catch-up).
 */
export async function settleByCpu(
  pid: number,
  port: number,
  quietMs: number,
  timeoutMs: number,
): Promise<number> {
  const cpuNow = (): number => processCpuSeconds(pid);
  const start = Date.now();
  await waitUntilSettled({
    port,
    progress: async () => Math.round(cpuNow() * 100),
    cpuSeconds: cpuNow,
    expected: Infinity,
    quietMs,
    timeoutMs,
  });
  return (Date.now() - start) / 1000;
}
