/** Plain-text and Markdown tables of step results, and the per-series summary. */
import type { StepResult } from './step.ts';

/** The highest lossless rate of one collector/protocol/variant series. */
export interface SeriesSummary {
  collector: string;
  protocol: string;
  variant: string;
  /** Highest achieved rate (flows/s) of a lossless step; 0 when none was lossless. */
  losslessFlowsPerSec: number;
  /** True when the highest step tried was lossless too: the real limit is higher. */
  ceilingNotReached: boolean;
  /** True when some step below the highest lossless one lost records. */
  nonMonotonic: boolean;
}

const fmtRate = (n: number): string => (n >= 1e6 ? `${(n / 1e6).toFixed(2)}M` : `${Math.round(n / 1e3)}k`);
const fmtInt = (n: number): string => n.toLocaleString('en-US');

/** Thread names as Node and V8 set them, shortened: the receiving thread, decode workers, V8's GC/compiler helpers. */
const THREAD_LABELS: Record<string, string> = { MainThread: 'main', WorkerThread: 'worker', V8Worker: 'v8' };

/** "main 0.20 worker 0.95 v8 0.30": busy cores per thread kind (threads using under 0.02 cores left out). */
function threadCores(cpu: Record<string, number>, secs: number): string {
  const parts = Object.entries(cpu)
    .filter(([, s]) => s / secs >= 0.02)
    .sort((a, b) => b[1] - a[1])
    .map(([name, s]) => `${THREAD_LABELS[name] ?? name} ${(s / secs).toFixed(2)}`);
  return parts.join(' ') || '-';
}

/** Column headers and cells, shared by the text and Markdown tables. */
function rows(results: StepResult[]): string[][] {
  const head = [
    'collector',
    'proto',
    'variant',
    'target/s',
    'sent/s',
    'sent',
    'received',
    'lost %',
    'sock drops',
    'other drops',
    'coll. cores',
    'threads (cores)',
    'sender',
    'others',
  ];
  const body = results.map((r) => {
    const secs = r.send.elapsedMs / 1000;
    // The collector's CPU is measured from its start until it has caught up, a longer window than the send.
    const window = Math.max(secs, r.count.cpuWindowSeconds);
    const other = Object.entries(r.count.otherDrops)
      .filter(([k, v]) => v > 0 && k !== 'receive/socket_buffer')
      .map(([k, v]) => `${k}=${fmtInt(v)}`)
      .join(' ');
    return [
      r.collector,
      r.protocol,
      r.variant,
      fmtRate(r.targetFlowsPerSec),
      fmtRate(r.send.achievedFlowsPerSec),
      fmtInt(r.send.flows),
      fmtInt(r.count.records),
      r.lost === 0
        ? r.behind
          ? '0 (behind)'
          : '0'
        : ((100 * r.lost) / Math.max(1, r.send.flows)).toFixed(2),
      fmtInt(r.count.socketDrops),
      other || '-',
      (r.count.cpuSeconds / window).toFixed(2),
      threadCores(r.count.threadCpuSeconds, window),
      r.count.catchUpSeconds.toFixed(1),
      r.send.senderBusy.toFixed(2),
      Math.max(0, r.machineBusyCores - r.count.cpuSeconds / window - r.send.senderBusy).toFixed(2),
    ];
  });
  return [head, ...body];
}

/** A fixed-width table for the terminal. */
export function textTable(results: StepResult[]): string {
  const all = rows(results);
  const widths = all[0]!.map((_, i) => Math.max(...all.map((r) => r[i]!.length)));
  return all.map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ')).join('\n');
}

/** The same table in Markdown. */
export function markdownTable(results: StepResult[]): string {
  const [head, ...body] = rows(results);
  return [head!, head!.map(() => '---'), ...body].map((r) => `| ${r.join(' | ')} |`).join('\n');
}

/** One summary per collector/protocol/variant, in first-seen order. */
export function summarise(results: StepResult[]): SeriesSummary[] {
  const series = new Map<string, StepResult[]>();
  for (const r of results) {
    const k = `${r.collector}|${r.protocol}|${r.variant}`;
    series.set(k, [...(series.get(k) ?? []), r]);
  }
  return [...series.values()].map((steps) => {
    const first = steps[0]!;
    let best: StepResult | undefined;
    for (const s of steps)
      if (s.lossless && s.send.achievedFlowsPerSec > (best?.send.achievedFlowsPerSec ?? 0)) best = s;
    const last = steps.at(-1)!;
    return {
      collector: first.collector,
      protocol: first.protocol,
      variant: first.variant,
      losslessFlowsPerSec: best?.send.achievedFlowsPerSec ?? 0,
      ceilingNotReached: last.lossless,
      nonMonotonic:
        best !== undefined &&
        steps.some((s) => !s.lossless && s.send.achievedFlowsPerSec < best.send.achievedFlowsPerSec),
    };
  });
}

/** The summary lines and the FlowLens/nfcapd ratio per protocol (best FlowLens variant). */
export function summaryText(sums: SeriesSummary[]): string {
  const lines = sums.map((s) => {
    const note = [
      s.ceilingNotReached ? 'highest step tried was lossless: limit is higher' : '',
      s.nonMonotonic ? 'a lower step lost records' : '',
    ]
      .filter(Boolean)
      .join('; ');
    const v = s.variant ? ` (${s.variant})` : '';
    return `${s.collector} ${s.protocol}${v}: highest lossless ${fmtRate(s.losslessFlowsPerSec)} flows/s${note ? ` [${note}]` : ''}`;
  });
  for (const protocol of new Set(sums.map((s) => s.protocol))) {
    const nf = sums.find((s) => s.collector === 'nfcapd' && s.protocol === protocol);
    const fl = sums.filter((s) => s.collector === 'flowlens' && s.protocol === protocol);
    const best = fl.sort((a, b) => b.losslessFlowsPerSec - a.losslessFlowsPerSec)[0];
    if (!nf || !best || nf.losslessFlowsPerSec === 0) continue;
    const ratio = best.losslessFlowsPerSec / nf.losslessFlowsPerSec;
    const bound = nf.ceilingNotReached ? ' (nfcapd limit not reached: ratio is an upper bound)' : '';
    lines.push(`ratio FlowLens/nfcapd ${protocol}: ${ratio.toFixed(2)} (target 1.5)${bound}`);
  }
  return lines.join('\n');
}

export { fmtRate };
