/**
 * One step of the bench: a fresh collector, one paced send at one rate, and
 * the comparison of flows sent with flows the collector kept.
 */
import { cpus } from 'node:os';
import {
  diffKernelDrops,
  kernelDrops,
  machineCpuTicks,
  waitForQuietMachine,
  type KernelDrops,
} from '../common/proc-stats.ts';
import type { CollectorCount, CollectorName, StartCollector } from './collector-under-test.ts';
import type { Protocol } from './export-stream.ts';
import type { BenchOptions } from './options.ts';
import { prepareSend, type SendTotals } from './send.ts';

/** The outcome of one step. */
export interface StepResult {
  collector: CollectorName;
  protocol: Protocol;
  /** FlowLens settings ("" for nfcapd). */
  variant: string;
  targetFlowsPerSec: number;
  send: SendTotals;
  count: CollectorCount;
  /** Flows sent that the collector does not have. */
  lost: number;
  /** No record lost and the collector caught up within MAX_CATCH_UP_SECONDS of the send's end. */
  lossless: boolean;
  /** Nothing lost, but only because the collector queued a backlog it needed longer than MAX_CATCH_UP_SECONDS to clear: at this rate a longer step would lose records. */
  behind: boolean;
  /** Kernel-wide drop counters during the step (other programs' sockets included). */
  kernel: KernelDrops;
  /** Busy cores of the machine just before the step (others' load; see --quiet-wait). */
  busyBeforeCores: number;
  /** Busy cores of the whole machine during the step (sender, collector and anything else). */
  machineBusyCores: number;
}

/** What a step needs besides the global options. */
export interface StepPlan {
  collector: CollectorName;
  start: StartCollector;
  protocol: Protocol;
  rate: number;
  workers: number;
  batchDatagrams: number;
  recentFlows: number | undefined;
}

const TEMPLATE_LEAD_MS = 200;
/**
 * A collector still working this long after the send ended did not keep up
 * with the rate: its queues hid the deficit for this step's length only.
 */
export const MAX_CATCH_UP_SECONDS = 2;
/** The machine counts as quiet below this many busy cores (a second's average). */
const QUIET_BUSY_CORES = 0.25;
const QUIET_WINDOW_MS = 1_000;

/** Runs one step; the collector and senders are always stopped. */
export async function runStep(o: BenchOptions, p: StepPlan): Promise<StepResult> {
  const busyBeforeCores =
    o.quietWaitMs > 0 ? await waitForQuietMachine(QUIET_BUSY_CORES, QUIET_WINDOW_MS, o.quietWaitMs) : 0;
  const c = await p.start({
    protocol: p.protocol,
    receiveBufferBytes: o.receiveBufferBytes,
    workers: p.workers,
    batchDatagrams: p.batchDatagrams,
    recentFlows: p.recentFlows,
  });
  try {
    const sender = await prepareSend({
      protocol: p.protocol,
      port: c.port,
      flowsPerSec: p.rate,
      durationMs: o.durationMs,
      senders: o.senders,
      ringDatagrams: o.ringDatagrams,
      maxDatagramBytes: o.maxDatagramBytes,
      templateIntervalMs: o.templateIntervalMs,
      templateLeadMs: TEMPLATE_LEAD_MS,
    });
    let send: SendTotals;
    const k0 = kernelDrops();
    const m0 = machineCpuTicks();
    try {
      send = await sender.go();
    } finally {
      await sender.close();
    }
    const m1 = machineCpuTicks();
    const kernel = diffKernelDrops(k0, kernelDrops());
    const count = await c.finish(send.flows);
    const lost = send.flows - count.records;
    return {
      collector: p.collector,
      protocol: p.protocol,
      variant: p.collector === 'flowlens' ? flowlensVariant(p) : '',
      targetFlowsPerSec: p.rate,
      send,
      count,
      lost,
      lossless: lost === 0 && count.catchUpSeconds <= MAX_CATCH_UP_SECONDS,
      behind: lost === 0 && count.catchUpSeconds > MAX_CATCH_UP_SECONDS,
      kernel,
      busyBeforeCores,
      machineBusyCores: (1 - (m1.idle - m0.idle) / Math.max(1, m1.total - m0.total)) * cpus().length,
    };
  } finally {
    await c.kill();
  }
}

/** How a FlowLens series is labelled: its settings that differ from the defaults' names. */
function flowlensVariant(p: StepPlan): string {
  const recent = p.recentFlows === undefined ? '' : ` recent=${p.recentFlows}`;
  return `workers=${p.workers} batch=${p.batchDatagrams}${recent}`;
}
