/**
 * Running nfdump over the stored files and reading its answers: top-N from
 * `-s ... -o csv`, totals from the "Summary:" line, records from a `fmt:`
 * format, and a 5-minute series folded from one `fmt:%te %byt %pkt` line per
 * flow as the output streams (nfdump has no time bucketing of its own).
 */
import { spawn } from 'node:child_process';
import type { SeriesPoint, TopEntry } from './answers.ts';

/** nfdump's output as it arrives; `onChunk` sees every stdout chunk. */
export async function runNfdump(
  args: string[],
  onChunk: (chunk: Buffer) => void,
  timeoutMs: number,
): Promise<void> {
  // UTC so that the printed times and -t windows mean the same as FlowLens's.
  const child = spawn('nfdump', args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, TZ: 'UTC' },
  });
  let err = '';
  child.stdout.on('data', onChunk);
  child.stderr.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-2000)));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  }).finally(() => clearTimeout(timer));
  if (code !== 0) throw new Error(`nfdump ${args.join(' ')} exited ${code}: ${err}`);
}

/** Collects nfdump's whole stdout as text (small outputs only). */
export async function nfdumpText(args: string[], timeoutMs: number): Promise<string> {
  const parts: Buffer[] = [];
  await runNfdump(args, (c) => parts.push(c), timeoutMs);
  return Buffer.concat(parts).toString('utf8');
}

/** Rows of `nfdump -s <key>/bytes -N -q -o csv` (header ts,te,td,pr,val,fl,flP,pkt,pktP,byt,...). */
export function parseTopCsv(text: string): TopEntry[] {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  const head = (lines.shift() ?? '').split(',');
  const col = (name: string): number => {
    const i = head.indexOf(name);
    if (i < 0) throw new Error(`nfdump csv has no "${name}" column: ${head.join(',')}`);
    return i;
  };
  const [val, fl, pkt, byt] = [col('val'), col('fl'), col('pkt'), col('byt')];
  return lines.map((l) => {
    const f = l.split(',');
    return { key: f[val]!.trim(), flows: Number(f[fl]), packets: Number(f[pkt]), bytes: Number(f[byt]) };
  });
}

/** Totals of nfdump's "Summary: total flows: N, total bytes: B, total packets: P" line (needs -N). */
export function parseSummary(text: string): { flows: number; bytes: number; packets: number } {
  const m = /Summary: total flows: (\d+), total bytes: (\d+), total packets: (\d+)/.exec(text);
  if (!m) throw new Error(`no plain-number Summary line in nfdump output: ${text.slice(0, 300)}`);
  return { flows: Number(m[1]), bytes: Number(m[2]), packets: Number(m[3]) };
}

const SPACE = 0x20;
const NEWLINE = 0x0a;
const ZERO = 0x30;
const NINE = 0x39;

const dayStartMs = new Map<number, number>();
/** 20260101 -> epoch ms of that day's start (UTC). */
function dayMs(yyyymmdd: number): number {
  let ms = dayStartMs.get(yyyymmdd);
  if (ms === undefined) {
    const [y, m, d] = [Math.floor(yyyymmdd / 10_000), Math.floor(yyyymmdd / 100) % 100, yyyymmdd % 100];
    ms = Date.UTC(y, m - 1, d);
    dayStartMs.set(yyyymmdd, ms);
  }
  return ms;
}

/** "HHMMSSmmm" digits as one number -> milliseconds into the day. */
function clockMs(x: number): number {
  const h = Math.floor(x / 1e7);
  const m = Math.floor(x / 1e5) % 100;
  const s = Math.floor(x / 1e3) % 100;
  return ((h * 60 + m) * 60 + s) * 1000 + (x % 1000);
}

/**
 * Sums bytes, packets and flows per bucket of `stepMs` from lines
 * "YYYY-MM-DD HH:MM:SS.mmm <bytes> <packets>" (`%te %byt %pkt` under TZ=UTC),
 * parsed byte by byte as they stream (no strings, no line splitting), so the
 * fold costs little next to nfdump. (`%ter`, the epoch-seconds form, is not
 * used: nfdump 1.7.1 prints its milliseconds wrong, .864 as .064.)
 */
export function createSeriesFold(fromMs: number, toMs: number, stepMs: number) {
  const n = Math.ceil((toMs - fromMs) / stepMs);
  const bytes = new Float64Array(n);
  const packets = new Float64Array(n);
  const flows = new Float64Array(n);
  // Fields: 0 date digits, 1 clock digits, 2 bytes, 3 packets.
  const v = [0, 0, 0, 0];
  let field = 0;
  let inNumber = false;
  let outside = 0;
  const endLine = (): void => {
    if (field >= 3) {
      const b = Math.floor((dayMs(v[0]!) + clockMs(v[1]!) - fromMs) / stepMs);
      if (b >= 0 && b < n) {
        bytes[b]! += v[2]!;
        packets[b]! += v[3]!;
        flows[b]!++;
      } else outside++;
    }
    v[0] = v[1] = v[2] = v[3] = 0;
    field = 0;
    inNumber = false;
  };
  return {
    feed(chunk: Buffer): void {
      for (let k = 0; k < chunk.length; k++) {
        const c = chunk[k]!;
        if (c >= ZERO && c <= NINE) {
          if (field < 4) v[field] = v[field]! * 10 + (c - ZERO);
          inNumber = true;
        } else if (c === SPACE) {
          if (inNumber) field++;
          inNumber = false;
        } else if (c === NEWLINE) {
          if (inNumber) field++;
          endLine();
        }
        // '-', ':' and '.' inside the date and clock are skipped.
      }
    },
    points(): SeriesPoint[] {
      if (field > 0 || inNumber) {
        if (inNumber) field++;
        endLine();
      }
      if (outside > 0) throw new Error(`${outside} flows outside the series range`);
      return Array.from({ length: n }, (_, i) => ({
        t: fromMs + i * stepMs,
        bytes: bytes[i]!,
        packets: packets[i]!,
        flows: flows[i]!,
      }));
    },
  };
}

/** "YYYY-MM-DD" and "HH:MM:SS.mmm" (UTC) -> epoch ms. */
export function parseNfdumpTime(date: string, clock: string): number {
  return dayMs(Number(date.replaceAll('-', ''))) + clockMs(Number(clock.replace(/[:.]/g, '')));
}
