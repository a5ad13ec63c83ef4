/** The report: loads, then per query nfdump vs FlowLens times, ratios and whether the answers agree. */
import type { CaseResult } from './cases.ts';
import type { FlowLensLoadResult } from './flowlens-load.ts';
import type { Timing } from './measure.ts';
import type { NfdumpLoadResult } from './nfdump-load.ts';

/** What the report is made of. */
export interface ReportInput {
  machine: string;
  command: string;
  flows: number;
  hours: number;
  rounds: number;
  nfdumpLoad: NfdumpLoadResult;
  flowlensLoad: FlowLensLoadResult;
  collectorRate: number;
  /** The loads were an earlier run's (`--dir`): their figures are that run's. */
  loadsReused?: boolean;
  cases: CaseResult[];
}

/** The 5× of issue 3. */
const TARGET_RATIO = 5;

const secs = (t: Timing | undefined): string => (t ? `${t.best.toFixed(3)} / ${t.median.toFixed(3)}` : '—');
const ratio = (nf: Timing, fl: Timing | undefined): string => {
  if (!fl) return '—';
  const r = nf.median / fl.median;
  return `${r >= 10 ? r.toFixed(0) : r < 0.1 ? r.toFixed(2) : r.toFixed(1)}× ${r >= TARGET_RATIO ? '✓' : '✗'}`;
};
const rate = (n: number): string => `${Math.round(n).toLocaleString('en')}/s`;

/** The loads as Markdown lines. */
function loads(i: ReportInput): string[] {
  const n = i.nfdumpLoad;
  const f = i.flowlensLoad;
  const writeRate = f.rows / f.writeSeconds;
  return [
    ...(i.loadsReused
      ? ['- Loads re-used from an earlier run in the same folder (`--dir`); figures of that load:']
      : []),
    `- nfcapd: ${n.sent.toLocaleString('en')} flows sent as NetFlow v9 over loopback in ${n.seconds.toFixed(1)} s ` +
      `(${rate(n.sent / n.seconds)}), \`nfdump -I\` counts ${n.stored.toLocaleString('en')} ` +
      `(${n.stored === n.sent ? 'lossless' : 'LOSS'}), socket drops ${n.socketDrops}.`,
    `- FlowLens store: ${f.rows.toLocaleString('en')} rows in ${f.flushes} flushes, ${f.rowsDropped} dropped; ` +
      `building batches ${f.buildSeconds.toFixed(1)} s (${rate(f.rows / f.buildSeconds)}, one thread), ` +
      `writing ${f.writeSeconds.toFixed(1)} s: **${rate(writeRate)} sustained** ` +
      `(${Math.round(f.rows / f.writeCpuSeconds).toLocaleString('en')} rows per CPU-second), ` +
      `${writeRate >= i.collectorRate ? 'keeps up with' : 'BELOW'} the collector's lossless ${rate(i.collectorRate)}.`,
  ];
}

/** The whole report as Markdown. */
export function formatReport(i: ReportInput): string {
  const rows = i.cases.map(
    (c) =>
      `| ${c.query} | ${secs(c.nfdump)} | ${secs(c.engine)} | ${ratio(c.nfdump, c.engine)} | ` +
      `${secs(c.cli)} | ${ratio(c.nfdump, c.cli)} | ${c.verdict.same ? 'yes' : 'NO'}: ${c.verdict.detail} |`,
  );
  const commands = i.cases.map(
    (c) => `- ${c.query}: \`${c.nfdumpCommand}\` vs \`${c.flowlensCommand}\` (${c.note})`,
  );
  return [
    `${i.flows.toLocaleString('en')} flows over ${i.hours} h; ${i.machine}`,
    `Command: \`${i.command}\`; times in seconds, best / median of ${i.rounds} interleaved runs after a warm-up; ` +
      `ratio = nfdump median / FlowLens median (target ≥ ${TARGET_RATIO}×).`,
    '',
    ...loads(i),
    '',
    '| query | nfdump s | FlowLens in-process s | ratio | FlowLens CLI s | ratio | same answer |',
    '| --- | ---: | ---: | ---: | ---: | ---: | --- |',
    ...rows,
    '',
    ...commands,
  ].join('\n');
}
