/**
 * bench/ingest: the highest rate at which `flowlens serve` keeps every record
 * of a replayed NetFlow v9 / IPFIX stream, next to nfcapd under the same load.
 * For each collector, protocol and rate: a fresh collector, a paced send, then
 * flows kept vs flows sent. Prints a table and the FlowLens/nfcapd ratio.
 *
 *   npm run bench:ingest -- --help
 */
import { writeFileSync } from 'node:fs';
import type { CollectorName, StartCollector } from './collector-under-test.ts';
import { startFlowlens } from './flowlens.ts';
import { describeMachine, ensureRmemMax } from './machine.ts';
import { startNfcapd } from './nfcapd.ts';
import { startNodeFloor } from './node-floor.ts';
import { parseOptions, USAGE, type BenchOptions } from './options.ts';
import { probeSenders } from './probe-senders.ts';
import { fmtRate, summarise, summaryText, textTable } from './report.ts';
import { runStep, type StepResult } from './step.ts';
import { sleep } from '../common/free-port.ts';

const STARTERS: Record<CollectorName, StartCollector> = {
  nfcapd: startNfcapd,
  flowlens: startFlowlens,
  'node-floor': startNodeFloor,
};
/** Pause between steps so the previous collector's exit does not overlap the next send. */
const PAUSE_MS = 500;
/** Set by SIGINT/SIGTERM: finish the current step, then print what was measured. */
let stopRequested = false;

async function runSeries(o: BenchOptions, results: StepResult[]): Promise<void> {
  for (const collector of o.collectors) {
    for (const protocol of o.protocols) {
      const variants =
        collector === 'flowlens'
          ? o.workers.flatMap((workers) =>
              o.batchDatagrams.flatMap((batchDatagrams) =>
                o.recentFlows.map((recentFlows) => ({ workers, batchDatagrams, recentFlows })),
              ),
            )
          : [{ workers: 1, batchDatagrams: 1, recentFlows: undefined }];
      for (const v of variants) {
        let lossyInRow = 0;
        for (const rate of o.rates) {
          if (stopRequested) return;
          const r = await runStep(o, { collector, start: STARTERS[collector], protocol, rate, ...v });
          results.push(r);
          lossyInRow = r.lossless ? 0 : lossyInRow + 1;
          const lost = r.lossless
            ? 'lossless'
            : r.behind
              ? `nothing lost, but still decoding ${r.count.catchUpSeconds.toFixed(1)} s after the send`
              : `lost ${r.lost} (${((100 * r.lost) / r.send.flows).toFixed(2)}%)`;
          console.error(
            `  ${collector} ${protocol} ${r.variant} target ${fmtRate(rate)}: sent ${fmtRate(r.send.achievedFlowsPerSec)}/s, ${lost}`,
          );
          await sleep(PAUSE_MS);
          if (o.stopAfterLossy > 0 && lossyInRow >= o.stopAfterLossy) break;
        }
      }
    }
  }
}

async function main(): Promise<number> {
  if (process.argv.includes('--help')) {
    console.log(USAGE);
    return 0;
  }
  const o = parseOptions(process.argv.slice(2), process.env);
  const rmemBefore = ensureRmemMax(o.receiveBufferBytes);
  const machine = await describeMachine();
  console.log(`# bench/ingest  ${new Date().toISOString()}`);
  console.log(
    `machine: ${machine.nproc} CPUs (${machine.cpuModel}), Linux ${machine.kernel}, Node ${machine.node}, ${machine.nfcapd}`,
  );
  console.log(
    `net.core.rmem_max: ${machine.rmemMax}${rmemBefore !== machine.rmemMax ? ` (raised from ${rmemBefore})` : ''}; receive buffer ${o.receiveBufferBytes} bytes for both collectors`,
  );
  console.log(
    `steps: ${o.durationMs / 1000} s each, ${o.senders} sender thread(s), rates ${o.rates.map(fmtRate).join(' ')}`,
  );
  const probes = [];
  if (o.probeSenders) {
    for (const protocol of o.protocols) {
      for (const n of [...new Set([1, o.senders])]) {
        const t = await probeSenders(o, protocol, n);
        probes.push({
          protocol,
          senders: n,
          flowsPerSec: t.achievedFlowsPerSec,
          datagramsPerSec: (t.dataDatagrams / t.elapsedMs) * 1000,
        });
        console.log(
          `sender top rate (${protocol}, ${n} thread(s), no collector): ${fmtRate(t.achievedFlowsPerSec)} flows/s = ${Math.round((t.dataDatagrams / t.elapsedMs) * 1000)} datagrams/s of ${t.datagramBytes} bytes (${t.flowsPerDatagram} flows each)`,
        );
      }
    }
  }
  const results: StepResult[] = [];
  const onSignal = (): void => {
    stopRequested = true;
    console.error('stopping after the current step');
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    await runSeries(o, results);
  } finally {
    console.log('');
    console.log(textTable(results));
    console.log('');
    console.log(summaryText(summarise(results)));
    if (o.jsonFile)
      writeFileSync(o.jsonFile, JSON.stringify({ machine, options: o, probes, results }, null, 2));
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
