/** Waiting until a collector has worked through everything it received. */
import { sleep } from '../common/free-port.ts';
import { udpSocketState } from '../common/proc-stats.ts';

const POLL_MS = 100;
/** A collector using less than this share of a core is taken as idle. */
const IDLE_CORE_SHARE = 0.1;

/** What tells that a collector is still working. */
export interface SettleProbe {
  port: number;
  /** A count that grows while the collector works (records so far). */
  progress(): Promise<number>;
  /** CPU seconds the collector has used so far. */
  cpuSeconds(): number;
  /** Stop waiting as soon as progress reaches this. */
  expected: number;
  /** How long progress must stand still, with the CPU idle and the socket queue empty. */
  quietMs: number;
  timeoutMs: number;
}

/**
 * Resolves with the last progress value once it reaches `expected`, or once
 * it has not changed for `quietMs` while the socket queue was empty and the
 * collector idle (a busy decoder may report progress late), or at the timeout.
 */
export async function waitUntilSettled(p: SettleProbe): Promise<number> {
  const end = Date.now() + p.timeoutMs;
  let last = await p.progress();
  let cpu = p.cpuSeconds();
  let stableSince = Date.now();
  while (last < p.expected && Date.now() < end) {
    await sleep(POLL_MS);
    const now = await p.progress();
    const cpuNow = p.cpuSeconds();
    const busy = cpuNow - cpu > (IDLE_CORE_SHARE * POLL_MS) / 1000;
    cpu = cpuNow;
    if (now !== last || busy || udpSocketState(p.port).rxQueueBytes > 0) {
      last = now;
      stableSince = Date.now();
    } else if (Date.now() - stableSince >= p.quietMs) {
      break;
    }
  }
  return last;
}
