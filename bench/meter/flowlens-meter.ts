/**
 * Child of the meter benchmark: `flowlens meter FILE` (JSON Lines to /dev/null) through the
 * command's own module, i.e. what the CLI runs once it imports only the command it executes.
 */
import { createWriteStream } from 'node:fs';
import { runMeter } from '../../src/app/commands/meter.ts';

const out = createWriteStream('/dev/null');
const s = await runMeter(process.argv.slice(2), 'jsonl', { stdout: out, stderr: process.stderr });
process.stdout.write(`${JSON.stringify({ packets: s.packets, flows: s.flows })}\n`);
