/**
 * Summarises a V8 .cpuprofile (from `node --cpu-prof`): self time by function,
 * top N, as a share of the profile's wall time.
 *
 *   node bench/common/cpu-profile-summary.ts FILE.cpuprofile [N]
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

const [file, topArg] = process.argv.slice(2);
if (!file) {
  console.error('usage: cpu-profile-summary.ts FILE.cpuprofile [N]');
  process.exit(2);
}
const p = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(p.nodes.map((n) => [n.id, n]));
const selfUs = new Map<string, number>();
for (let i = 0; i < p.samples.length; i++) {
  const n = byId.get(p.samples[i]!);
  if (!n) continue;
  const f = n.callFrame;
  const where = f.url ? `${f.url.replace(/^.*\/(src|node_modules|bench)\//, '$1/')}:${f.lineNumber + 1}` : '';
  const key = `${f.functionName || '(anonymous)'} ${where}`.trim();
  selfUs.set(key, (selfUs.get(key) ?? 0) + (p.timeDeltas[i] ?? 0));
}
const total = p.endTime - p.startTime;
const idle = [...selfUs].filter(([k]) => k.startsWith('(idle)')).reduce((n, [, v]) => n + v, 0);
console.log(`${file}: ${(total / 1e6).toFixed(2)} s, busy ${(((total - idle) / total) * 100).toFixed(1)}%`);
for (const [k, v] of [...selfUs].sort((a, b) => b[1] - a[1]).slice(0, Number(topArg ?? 25))) {
  console.log(`${((v / total) * 100).toFixed(1).padStart(5)}%  ${k}`);
}
