/**
 * Alternating rounds of shell commands, for A/B comparisons on a shared
 * machine whose speed moves within minutes: `node bench/meter/alternate.ts
 * ROUNDS 'label=command' ...` runs every command once per round, in turn
 * (its output to /dev/null), and prints for each the minimum and median of
 * its wall time, its CPU time (user + system, all its threads) and its minor
 * page faults. The fifth pass of docs/performance.md compared `git archive`
 * snapshots of two commits and nfpcapd with it, e.g.
 * `node bench/meter/alternate.ts 16 'before=node /tmp/a/bin/flowlens.js meter
 * /tmp/SYN.pcap' 'after=node bin/flowlens.js meter /tmp/SYN.pcap'`.
 */
import { childrenUsage, runCommand } from '../common/child-process.ts';

const TIMEOUT_MS = 600_000;

const [roundsArg, ...specs] = process.argv.slice(2);
const rounds = Number(roundsArg);
if (!Number.isInteger(rounds) || rounds < 1 || specs.length === 0 || specs.some((s) => !s.includes('='))) {
  process.stderr.write("usage: node bench/meter/alternate.ts ROUNDS 'label=command' ...\n");
  process.exit(2);
}
const commands = specs.map((s) => ({
  label: s.slice(0, s.indexOf('=')),
  command: s.slice(s.indexOf('=') + 1),
}));
const runs = commands.map(() => ({ wall: [] as number[], cpu: [] as number[], faults: [] as number[] }));

for (let r = 0; r < rounds; r++)
  for (const [i, { command }] of commands.entries()) {
    const before = childrenUsage();
    const t0 = process.hrtime.bigint();
    await runCommand('sh', ['-c', `${command} >/dev/null 2>&1`], TIMEOUT_MS);
    const after = childrenUsage();
    runs[i]!.wall.push(Number(process.hrtime.bigint() - t0) / 1e9);
    runs[i]!.cpu.push(after.cpuSeconds - before.cpuSeconds);
    runs[i]!.faults.push(after.minorFaults - before.minorFaults);
  }

const minMedian = (xs: number[], digits: number): string => {
  const s = [...xs].sort((a, b) => a - b);
  return `${s[0]!.toFixed(digits)} / ${s[s.length >> 1]!.toFixed(digits)}`;
};
console.log(`${rounds} alternating rounds (min / median)`);
console.log('| command | wall s | CPU s | page faults |');
console.log('| --- | ---: | ---: | ---: |');
for (const [i, { label }] of commands.entries()) {
  const r = runs[i]!;
  console.log(`| ${label} | ${minMedian(r.wall, 3)} | ${minMedian(r.cpu, 2)} | ${minMedian(r.faults, 0)} |`);
}
