/** autocannon as a child process (its own CPU, JSON result), at a fixed request rate. */
import { fileURLToPath } from 'node:url';
import { startChild } from '../common/child-process.ts';

const AUTOCANNON = fileURLToPath(new URL('../../node_modules/autocannon/autocannon.js', import.meta.url));

/** What the run measured (milliseconds for latencies). */
export interface LoadResult {
  requests: number;
  /** Requests per second achieved. */
  rate: number;
  status: Record<string, number>;
  errors: number;
  timeouts: number;
  latency: { p50: number; p90: number; p99: number; max: number; mean: number };
}

/** How the load is made. */
export interface LoadPlan {
  url: string;
  token: string;
  ratePerSec: number;
  connections: number;
  durationSec: number;
}

interface AutocannonJson {
  requests: { total: number; average: number };
  latency: { p50: number; p90: number; p99: number; max: number; mean: number };
  errors: number;
  timeouts: number;
  '1xx': number;
  '2xx': number;
  '3xx': number;
  '4xx': number;
  '5xx': number;
  statusCodeStats?: Record<string, { count: number }>;
}

/** Runs autocannon to completion. */
export async function runLoad(p: LoadPlan): Promise<LoadResult> {
  const args = [
    AUTOCANNON,
    '--json',
    '--overallRate',
    String(p.ratePerSec),
    '--connections',
    String(p.connections),
    '--duration',
    String(p.durationSec),
    '--headers',
    `authorization=Bearer ${p.token}`,
    p.url,
  ];
  const c = await startChild(process.execPath, args, { ...process.env, NODE_OPTIONS: '' });
  let out = '';
  c.child.stdout?.on('data', (d: Buffer) => (out += d.toString('utf8')));
  const code = await c.wait((p.durationSec + 60) * 1000);
  if (code !== 0) throw new Error(`autocannon exited ${code}: ${c.output().slice(-1000)}`);
  const j = JSON.parse(out) as AutocannonJson;
  const status: Record<string, number> = {};
  for (const [code, s] of Object.entries(j.statusCodeStats ?? {})) status[code] = s.count;
  return {
    requests: j.requests.total,
    rate: j.requests.average,
    status,
    errors: j.errors,
    timeouts: j.timeouts,
    latency: {
      p50: j.latency.p50,
      p90: j.latency.p90,
      p99: j.latency.p99,
      max: j.latency.max,
      mean: j.latency.mean,
    },
  };
}
