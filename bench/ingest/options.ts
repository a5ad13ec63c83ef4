/**
 * Bench options, from `--name=value` arguments or FLOWLENS_BENCH_NAME
 * environment variables (arguments win). `npm run bench:ingest -- --help` lists them.
 */
import type { CollectorName } from './collector-under-test.ts';
import type { Protocol } from './export-stream.ts';

/** Everything a run is configured by. */
export interface BenchOptions {
  collectors: CollectorName[];
  protocols: Protocol[];
  /** Target rates in flows per second, stepped up in this order. */
  rates: number[];
  durationMs: number;
  senders: number;
  receiveBufferBytes: number;
  /** FlowLens collector.workers values to try. */
  workers: number[];
  /** FlowLens collector.batchDatagrams values to try. */
  batchDatagrams: number[];
  /** FlowLens collector.recentFlows values to try (undefined: its default). */
  recentFlows: (number | undefined)[];
  /** Stop stepping up a series after this many lossy steps in a row. */
  stopAfterLossy: number;
  /** Before each step, wait up to this long for other programs to leave the CPUs idle (0: do not wait). */
  quietWaitMs: number;
  /** Measure how fast the senders can go (no collector) before the steps. */
  probeSenders: boolean;
  /** Write the results as JSON here too. */
  jsonFile: string | undefined;
  ringDatagrams: number;
  maxDatagramBytes: number;
  templateIntervalMs: number;
}

export const USAGE = `npm run bench:ingest -- [--name=value ...]   (or FLOWLENS_BENCH_NAME=value)
  --collectors=nfcapd,flowlens   collectors to measure, in this order (also node-floor:
                                 a bare Node socket that only counts records)
  --protocols=v9,ipfix           NetFlow v9 and/or IPFIX
  --rates=200k,400k,...,2M       target flows/s per step (k and M suffixes)
  --duration=5                   seconds of sending per step
  --senders=1                    sender threads sharing the rate
  --receive-buffer=33554432      socket receive buffer (bytes) for both collectors
  --workers=1                    FlowLens collector.workers (a list tries each)
  --batch=256                    FlowLens collector.batchDatagrams (a list tries each)
  --recent-flows=default         FlowLens collector.recentFlows (a list tries each)
  --stop-after-lossy=2           skip higher rates after this many lossy steps in a row
  --quiet-wait=60                before each step, wait up to this many seconds for the machine to be idle
  --probe-senders=1              first measure the senders' top rate (0: skip)
  --json=FILE                    also write results as JSON
  --ring=8192                    distinct data datagrams per sender
  --datagram-bytes=1400          data datagram size limit
  --template-interval=1000       ms between template resends`;

const DEFAULT_RATES = '200k,400k,600k,800k,1M,1.2M,1.4M,1.6M,2M';

/** Parses "1.2M", "800k" or "5000". */
export function parseRate(s: string): number {
  const m = /^(\d+(?:\.\d+)?)([kKmM]?)$/.exec(s.trim());
  if (!m) throw new Error(`not a rate: "${s}" (e.g. 800k, 1.2M)`);
  const scale = m[2] === '' ? 1 : m[2]!.toLowerCase() === 'k' ? 1e3 : 1e6;
  return Math.round(Number(m[1]) * scale);
}

/** Reads the options; throws with a message naming the bad one. */
export function parseOptions(argv: string[], env: NodeJS.ProcessEnv): BenchOptions {
  const given = new Map<string, string>();
  for (const [k, v] of Object.entries(env)) {
    if (k.startsWith('FLOWLENS_BENCH_') && v !== undefined) {
      given.set(k.slice('FLOWLENS_BENCH_'.length).toLowerCase().replaceAll('_', '-'), v);
    }
  }
  for (const a of argv) {
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(a);
    if (!m) throw new Error(`unexpected argument "${a}"\n${USAGE}`);
    given.set(m[1]!, m[2] ?? '1');
  }
  const str = (k: string, def: string): string => given.get(k) ?? def;
  const list = (k: string, def: string): string[] =>
    str(k, def)
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  const int = (k: string, def: number): number => {
    const n = Number(str(k, String(def)));
    if (!Number.isInteger(n) || n < 0)
      throw new Error(`--${k}: expected a whole number, got "${given.get(k)}"`);
    return n;
  };
  const collectors = list('collectors', 'nfcapd,flowlens');
  for (const c of collectors)
    if (c !== 'nfcapd' && c !== 'flowlens' && c !== 'node-floor')
      throw new Error(`--collectors: unknown "${c}"`);
  const protocols = list('protocols', 'v9,ipfix');
  for (const p of protocols) if (p !== 'v9' && p !== 'ipfix') throw new Error(`--protocols: unknown "${p}"`);
  const duration = Number(str('duration', '5'));
  if (!(duration > 0 && duration <= 600)) throw new Error('--duration: expected seconds in (0, 600]');
  return {
    collectors: collectors as CollectorName[],
    protocols: protocols as Protocol[],
    rates: list('rates', DEFAULT_RATES).map(parseRate),
    durationMs: Math.round(duration * 1000),
    senders: Math.max(1, int('senders', 1)),
    receiveBufferBytes: int('receive-buffer', 32 * 1024 * 1024),
    workers: list('workers', '1').map(Number),
    batchDatagrams: list('batch', '256').map(Number),
    recentFlows: list('recent-flows', 'default').map((v) => (v === 'default' ? undefined : Number(v))),
    stopAfterLossy: int('stop-after-lossy', 2),
    quietWaitMs: Math.round(Number(str('quiet-wait', '60')) * 1000) || 0,
    probeSenders: str('probe-senders', '1') !== '0',
    jsonFile: given.get('json'),
    ringDatagrams: Math.max(1, int('ring', 8192)),
    maxDatagramBytes: int('datagram-bytes', 1400),
    templateIntervalMs: Math.max(10, int('template-interval', 1000)),
  };
}
