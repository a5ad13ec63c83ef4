/**
 * Runs one paced send with `senders` worker threads sharing the rate, and
 * sums what they report. Each sender has its own socket and source id, so
 * collectors see one exporter address with independent sequence streams.
 */
import { Worker } from 'node:worker_threads';
import type { Protocol } from './export-stream.ts';
import type { FromSender, SenderInit, SenderResult } from './sender-messages.ts';

/** A whole send: the settings and the sum of the senders' reports. */
export interface SendPlan {
  protocol: Protocol;
  port: number;
  /** Total flows per second; 0 sends as fast as possible. */
  flowsPerSec: number;
  durationMs: number;
  senders: number;
  ringDatagrams: number;
  maxDatagramBytes: number;
  templateIntervalMs: number;
  templateLeadMs: number;
}

/** The senders' reports, summed. */
export interface SendTotals {
  flows: number;
  dataDatagrams: number;
  templateDatagrams: number;
  sendErrors: number;
  flowsPerDatagram: number;
  datagramBytes: number;
  /** The longest sender data phase. */
  elapsedMs: number;
  /** Flows per second actually sent. */
  achievedFlowsPerSec: number;
  /** Sum of the sender threads' busy fractions (1 = one core). */
  senderBusy: number;
}

const WORKER_URL = new URL('./sender-worker.ts', import.meta.url);
/** Base of the NetFlow source id / IPFIX observation domain; sender i uses base + i. */
const DOMAIN_BASE = 100;
const READY_TIMEOUT_MS = 60_000;

/** Senders started and ready (streams built); `go()` starts them together and resolves with the totals. */
export interface PreparedSend {
  go(): Promise<SendTotals>;
  /** Terminates the workers (idempotent). */
  close(): Promise<void>;
}

/** Starts the sender threads and waits until their streams are built. */
export async function prepareSend(plan: SendPlan): Promise<PreparedSend> {
  const workers: Worker[] = [];
  const results: Promise<SenderResult>[] = [];
  const nowMs = Date.now();
  try {
    for (let i = 0; i < plan.senders; i++) {
      const init: SenderInit = {
        protocol: plan.protocol,
        port: plan.port,
        domain: DOMAIN_BASE + i,
        seed: 1 + i,
        ringDatagrams: plan.ringDatagrams,
        maxDatagramBytes: plan.maxDatagramBytes,
        flowsPerSec: plan.flowsPerSec / plan.senders,
        durationMs: plan.durationMs,
        templateIntervalMs: plan.templateIntervalMs,
        templateLeadMs: plan.templateLeadMs,
        nowMs,
      };
      const w = new Worker(WORKER_URL, { workerData: init });
      workers.push(w);
      const ready = new Promise<void>((resolve, reject) => {
        w.once('error', reject);
        w.once('exit', (code) => reject(new Error(`sender ${i} exited (${code}) before it was ready`)));
        w.once('message', (m: FromSender) =>
          m.t === 'ready' ? resolve() : reject(new Error('unexpected message')),
        );
      });
      await withTimeout(ready, READY_TIMEOUT_MS, `sender ${i} not ready`);
      results.push(
        new Promise<SenderResult>((resolve, reject) => {
          w.on('error', reject);
          w.on('exit', (code) => reject(new Error(`sender ${i} exited (${code})`)));
          w.on('message', (m: FromSender) => m.t === 'done' && resolve(m.result));
        }),
      );
    }
  } catch (err) {
    await Promise.all(workers.map((w) => w.terminate()));
    throw err;
  }
  const close = async (): Promise<void> => {
    await Promise.all(workers.map((w) => w.terminate()));
  };
  return {
    close,
    async go() {
      for (const w of workers) w.postMessage({ t: 'start' });
      const bound = plan.durationMs + plan.templateLeadMs + 30_000;
      const all = await withTimeout(Promise.all(results), bound, 'senders did not finish');
      return sumResults(all);
    },
  };
}

function sumResults(all: SenderResult[]): SendTotals {
  const first = all[0]!;
  const sum = (f: (r: SenderResult) => number): number => all.reduce((n, r) => n + f(r), 0);
  const elapsedMs = Math.max(...all.map((r) => r.elapsedMs));
  const flows = sum((r) => r.flows);
  return {
    flows,
    dataDatagrams: sum((r) => r.dataDatagrams),
    templateDatagrams: sum((r) => r.templateDatagrams),
    sendErrors: sum((r) => r.sendErrors),
    flowsPerDatagram: first.flowsPerDatagram,
    datagramBytes: first.datagramBytes,
    elapsedMs,
    achievedFlowsPerSec: elapsedMs > 0 ? (flows / elapsedMs) * 1000 : 0,
    senderBusy: sum((r) => r.busy),
  };
}

/** Rejects with `what` when `p` takes longer than `ms`. */
export async function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
