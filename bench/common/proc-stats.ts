/**
 * Linux counters read from /proc (proc(5)): CPU time of a process and its
 * threads, per-socket UDP drops, and the kernel's UDP and backlog drop counters.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';

/** Clock ticks per second of /proc times (USER_HZ; 100 on Linux). */
const USER_HZ = 100;

/** CPU seconds (user + system) a process has used so far, all threads. */
export function processCpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name "(...)": utime is field 14, stime 15 (1-based).
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(rest[11]) + Number(rest[12])) / USER_HZ;
  } catch {
    return 0;
  }
}

/** CPU seconds per thread name of a process (threads sharing a name are summed). */
export function threadCpuSeconds(pid: number): Map<string, number> {
  const out = new Map<string, number>();
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return out;
  }
  for (const tid of tids) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const s = (Number(rest[11]) + Number(rest[12])) / USER_HZ;
      out.set(name, (out.get(name) ?? 0) + s);
    } catch {
      // The thread ended meanwhile.
    }
  }
  return out;
}

/** The kernel's view of the UDP socket(s) bound to a local port (/proc/net/udp). */
export interface UdpSocketState {
  found: boolean;
  /** Bytes waiting in the receive queue (rx_queue). */
  rxQueueBytes: number;
  /** Datagrams dropped because the receive buffer was full (drops). */
  drops: number;
}

/** Reads /proc/net/udp for sockets bound to `port`. */
export function udpSocketState(port: number): UdpSocketState {
  const hex = `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  const state: UdpSocketState = { found: false, rxQueueBytes: 0, drops: 0 };
  for (const line of readFileSync('/proc/net/udp', 'utf8').split('\n').slice(1)) {
    const cols = line.trim().split(/\s+/);
    if (!cols[1]?.endsWith(hex)) continue;
    state.found = true;
    state.rxQueueBytes += parseInt(cols[4]?.split(':')[1] ?? '0', 16) || 0;
    state.drops += Number(cols.at(-1)) || 0;
  }
  return state;
}

/** Kernel-wide counters that explain losses: UDP receive-buffer errors and per-CPU backlog drops. */
export interface KernelDrops {
  udpRcvbufErrors: number;
  udpInErrors: number;
  /** Packets dropped because a CPU's input backlog (net.core.netdev_max_backlog) was full. */
  backlogDrops: number;
}

/** Reads /proc/net/snmp (Udp line) and /proc/net/softnet_stat (column 2, hex). */
export function kernelDrops(): KernelDrops {
  const snmp = readFileSync('/proc/net/snmp', 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('Udp:'));
  const names = snmp[0]?.split(/\s+/) ?? [];
  const values = snmp[1]?.split(/\s+/) ?? [];
  const get = (n: string): number => Number(values[names.indexOf(n)]) || 0;
  let backlogDrops = 0;
  for (const line of readFileSync('/proc/net/softnet_stat', 'utf8').trim().split('\n')) {
    backlogDrops += parseInt(line.split(/\s+/)[1] ?? '0', 16) || 0;
  }
  return { udpRcvbufErrors: get('RcvbufErrors'), udpInErrors: get('InErrors'), backlogDrops };
}

/** Counter differences b - a. */
export function diffKernelDrops(a: KernelDrops, b: KernelDrops): KernelDrops {
  return {
    udpRcvbufErrors: b.udpRcvbufErrors - a.udpRcvbufErrors,
    udpInErrors: b.udpInErrors - a.udpInErrors,
    backlogDrops: b.backlogDrops - a.backlogDrops,
  };
}

/** Total and idle CPU ticks of the machine (first line of /proc/stat), to tell how busy other programs kept it. */
export function machineCpuTicks(): { total: number; idle: number } {
  const first = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
  const v = first.trim().split(/\s+/).slice(1).map(Number);
  const total = v.reduce((a, b) => a + b, 0);
  return { total, idle: (v[3] ?? 0) + (v[4] ?? 0) };
}

/**
 * Waits (up to `maxWaitMs`) until the machine's busy cores, measured over
 * `windowMs`, drop to `maxBusyCores` or below: other programs on a shared
 * machine would otherwise take CPU from the sender and the collector.
 * Returns the last measured busy cores.
 */
export async function waitForQuietMachine(
  maxBusyCores: number,
  windowMs: number,
  maxWaitMs: number,
): Promise<number> {
  const cores = cpus().length;
  const end = Date.now() + maxWaitMs;
  while (true) {
    const a = machineCpuTicks();
    await new Promise((r) => setTimeout(r, windowMs));
    const b = machineCpuTicks();
    const busy = (1 - (b.idle - a.idle) / Math.max(1, b.total - a.total)) * cores;
    if (busy <= maxBusyCores || Date.now() >= end) return busy;
  }
}
