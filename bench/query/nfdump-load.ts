/**
 * Loads the benchmark's flows into nfdump's format the way nfdump gets them
 * in production: NetFlow v9 over loopback to nfcapd, paced at a rate it takes
 * without loss. Afterwards the files are checked with `nfdump -R DIR -I`: they
 * must hold exactly the flows sent, or the load fails (a query benchmark over
 * different data would compare nothing).
 */
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import type { SyntheticOptions } from '../../src/store/index.ts';
import { runCommand, startChild } from '../common/child-process.ts';
import { freeUdpPort, sleep } from '../common/free-port.ts';
import { processCpuSeconds, udpSocketState } from '../common/proc-stats.ts';
import { parseFlows } from '../ingest/nfcapd.ts';
import { waitUntilSettled } from '../ingest/settle.ts';
import type { QuerySenderInit, QuerySenderResult } from './sender-worker.ts';

/** How the flows are sent. */
export interface NfdumpLoadOptions {
  dir: string;
  flows: SyntheticOptions;
  flowsPerSec: number;
  /** Senders share the flows (one exporter source id each). */
  senders: number;
}

/** What the load did. */
export interface NfdumpLoadResult {
  sent: number;
  stored: number;
  seconds: number;
  socketDrops: number;
}

const RECEIVE_BUFFER_BYTES = 32 * 1024 * 1024;
/** Longer than any load, so nfcapd writes one file (it rotates by wall clock, not flow time). */
const ROTATE_SECS = 3600;
const MAX_DATAGRAM_BYTES = 1400;
const BIND_TIMEOUT_MS = 5_000;
const SETTLE_TIMEOUT_MS = 60_000;
const NFDUMP_TIMEOUT_MS = 600_000;

/** Sends every flow to a fresh nfcapd writing into `dir`, then counts what it stored. */
export async function loadIntoNfcapd(o: NfdumpLoadOptions): Promise<NfdumpLoadResult> {
  const port = await freeUdpPort();
  const args = ['-w', o.dir, '-p', String(port), '-b', '127.0.0.1', '-B', String(RECEIVE_BUFFER_BYTES)];
  const proc = await startChild('nfcapd', [...args, '-t', String(ROTATE_SECS)]);
  try {
    const bindBy = Date.now() + BIND_TIMEOUT_MS;
    while (!udpSocketState(port).found) {
      if (proc.exited() || Date.now() > bindBy) throw new Error(`nfcapd did not bind: ${proc.output()}`);
      await sleep(20);
    }
    const t0 = performance.now();
    const results = await Promise.all(Array.from({ length: o.senders }, (_, s) => runSender(o, port, s)));
    const sent = results.reduce((n, r) => n + r.flows, 0);
    const cpu = (): number => processCpuSeconds(proc.pid);
    await waitUntilSettled({
      port,
      progress: async () => Math.round(cpu() * 100),
      cpuSeconds: cpu,
      expected: Infinity,
      quietMs: 500,
      timeoutMs: SETTLE_TIMEOUT_MS,
    });
    const socketDrops = udpSocketState(port).drops;
    const code = await proc.stop('SIGTERM', 30_000);
    if (code !== 0) throw new Error(`nfcapd exited ${code}: ${proc.output()}`);
    const seconds = (performance.now() - t0) / 1000;
    const stored = parseFlows(await runCommand('nfdump', ['-R', o.dir, '-I'], NFDUMP_TIMEOUT_MS));
    return { sent, stored, seconds, socketDrops };
  } finally {
    await proc.stop('SIGKILL', 5_000);
  }
}

async function runSender(o: NfdumpLoadOptions, port: number, s: number): Promise<QuerySenderResult> {
  const share = Math.ceil(o.flows.count / o.senders);
  const init: QuerySenderInit = {
    port,
    flows: o.flows,
    first: s * share,
    end: Math.min(o.flows.count, (s + 1) * share),
    sourceId: s + 1,
    maxDatagramBytes: MAX_DATAGRAM_BYTES,
    flowsPerSec: o.flowsPerSec / o.senders,
    templateIntervalMs: 1_000,
    templateLeadMs: 200,
  };
  const worker = new Worker(new URL('./sender-worker.ts', import.meta.url), { workerData: init });
  try {
    const [result] = (await Promise.race([
      once(worker, 'message'),
      once(worker, 'error').then(([e]) => Promise.reject(e as Error)),
    ])) as [QuerySenderResult];
    return result;
  } finally {
    await worker.terminate();
  }
}
