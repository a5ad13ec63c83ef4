/**
 * Where one thread of `flowlens meter` spends its time, in-process:
 * `node bench/meter/phases.ts [FILE]` meters a classic pcap FILE, or else
 * the benchmark's synthetic capture (written to a temporary directory; the
 * BENCH_METER_PACKETS, _FLOWS and _WAVE of run.ts apply),
 * BENCH_METER_ROUNDS times (5) in one process, each round in steps that
 * each add one part: reading and walking the records; decoding; metering
 * without application detection; with it; and the end-of-file flush as JSON
 * Lines. The first round pays V8's compilation, as the command does; the
 * later ones show the parts warm. Prints wall and CPU milliseconds per step.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDefaultInspector } from '../../src/enrich/app/index.ts';
import { createPacketDecoder } from '../../src/decode/packet/index.ts';
import { createFlowMeter, meterCaptureFile } from '../../src/meter/index.ts';
import { createLineBuffer } from '../../src/app/commands/meter-output.ts';
import { writeSyntheticPcap } from './synthetic-pcap.ts';

const env = (name: string, fallback: number): number => Number(process.env[name] ?? fallback);
const rounds = env('BENCH_METER_ROUNDS', 5);
const dir = process.argv[2] ? undefined : await mkdtemp(join(tmpdir(), 'flowlens-bench-phases-'));
const file = process.argv[2] ?? join(dir!, 'synthetic.pcap');
if (dir) {
  const [packets, flows, wave] = [
    env('BENCH_METER_PACKETS', 1_000_000),
    env('BENCH_METER_FLOWS', 200_000),
    env('BENCH_METER_WAVE', 1000),
  ];
  await writeSyntheticPcap(file, packets, flows, wave);
  console.log(`synthetic capture: ${packets} packets, ${flows} flows in waves of ${wave}`);
}

async function step(round: number, name: string, fn: () => Promise<void> | void): Promise<void> {
  const cpu = process.cpuUsage();
  const faults = process.resourceUsage().minorPageFault;
  const t0 = performance.now();
  await fn();
  const wall = performance.now() - t0;
  const used = process.cpuUsage(cpu);
  const cpuMs = (used.user + used.system) / 1000;
  const sysMs = used.system / 1000;
  const newFaults = process.resourceUsage().minorPageFault - faults;
  console.log(
    `| ${round} | ${name} | ${wall.toFixed(0)} | ${cpuMs.toFixed(0)} | ${sysMs.toFixed(0)} | ${newFaults} |`,
  );
}

console.log('| round | step | wall ms | CPU ms | of which system | page faults |');
console.log('| ---: | --- | ---: | ---: | ---: | ---: |');
try {
  for (let r = 0; r < rounds; r++) {
    await step(r, 'read and walk the records', () =>
      meterCaptureFile(file, { pushFrame() {} }).then(() => {}),
    );
    const decoder = createPacketDecoder();
    await step(r, '+ decode', () =>
      meterCaptureFile(file, {
        pushFrame: (_ts, linkType, data, start, end) => void decoder.decode(linkType, data, start, end),
      }).then(() => {}),
    );
    const plain = createFlowMeter({ exporter: file });
    await step(r, '+ key, table, TCP analysis', () =>
      meterCaptureFile(file, { pushFrame: plain.pushFrame }).then(() => {}),
    );
    const meter = createFlowMeter({ exporter: file, inspector: createDefaultInspector() });
    await step(r, '+ application detection', () =>
      meterCaptureFile(file, { pushFrame: meter.pushFrame }).then(() => {}),
    );
    const lines = createLineBuffer();
    meter.appendFlowJson(lines);
    await step(r, 'end-of-file flush (JSON Lines)', () => {
      while (!meter.flushSome(2048)) lines.take();
      lines.take();
    });
  }
} finally {
  if (dir) await rm(dir, { recursive: true, force: true });
}
