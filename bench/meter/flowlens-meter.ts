/**
 * Child of the meter benchmark: `flowlens meter FILE` (JSON Lines to /dev/null) through the
 * command's own module; `--threads=N` first sets its thread count (default: as the command chooses).
 */
import { createWriteStream } from 'node:fs';
import { runMeter } from '../../src/app/commands/meter.ts';

const out = createWriteStream('/dev/null');
const args = process.argv.slice(2);
const threads = args[0]?.startsWith('--threads=') ? args.shift()!.slice('--threads='.length) : undefined;
const s = await runMeter(
  args,
  'jsonl',
  { stdout: out, stderr: process.stderr },
  {},
  threads ? { threads: Number(threads) } : {},
);
process.stdout.write(`${JSON.stringify({ packets: s.packets, flows: s.flows })}\n`);
