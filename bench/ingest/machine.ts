/** What the results depend on: the machine, the tools' versions, and the socket buffer limit. */
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { runCommand } from '../common/child-process.ts';

/** A description of the machine for the report. */
export interface MachineInfo {
  nproc: number;
  cpuModel: string;
  node: string;
  nfcapd: string;
  kernel: string;
  rmemMax: number;
}

const RMEM_MAX = '/proc/sys/net/core/rmem_max';

/** Gathers the machine description. */
export async function describeMachine(): Promise<MachineInfo> {
  const model = /^model name\s*:\s*(.*)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? 'unknown';
  const nfcapd = await runCommand('nfcapd', ['-V'], 5_000).then(
    (s) => s.trim(),
    () => 'not installed',
  );
  return {
    nproc: cpus().length,
    cpuModel: model,
    node: process.version,
    nfcapd,
    kernel: readFileSync('/proc/sys/kernel/osrelease', 'utf8').trim(),
    rmemMax: Number(readFileSync(RMEM_MAX, 'utf8')),
  };
}

/**
 * Raises net.core.rmem_max to at least `bytes` (needs root), so both
 * collectors get the receive buffer they ask for; never lowers it. Returns the
 * value before, or throws when it is too low and cannot be raised.
 */
export function ensureRmemMax(bytes: number): number {
  const before = Number(readFileSync(RMEM_MAX, 'utf8'));
  if (before >= bytes) return before;
  try {
    writeFileSync(RMEM_MAX, String(bytes));
  } catch (err) {
    throw new Error(
      `net.core.rmem_max is ${before} < ${bytes}; run as root or: sysctl -w net.core.rmem_max=${bytes}`,
      {
        cause: err,
      },
    );
  }
  return before;
}
