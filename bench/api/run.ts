/**
 * bench/api: GET /api/v1/stats at a fixed 1,000 requests/s (autocannon, on
 * loopback, Bearer key from FLOWLENS_API_TOKEN) for 20 s or more while a
 * NetFlow v9 stream is ingested at half the measured lossless rate; reports
 * the latency percentiles and checks that no flow was dropped.
 *
 *   npm run bench:api -- [--rate=125k] [--duration=20] [--req-rate=1000] [--connections=10]
 */
import { randomBytes } from 'node:crypto';
import { sleep } from '../common/free-port.ts';
import { parseRate } from '../ingest/options.ts';
import { prepareSend, type SendTotals } from '../ingest/send.ts';
import { waitUntilSettled } from '../ingest/settle.ts';
import { processCpuSeconds } from '../common/proc-stats.ts';
import { runLoad, type LoadResult } from './load.ts';
import { startServe, type ServeUnderTest } from './serve.ts';

/** docs/performance.md: FlowLens's lossless NetFlow v9 rate with the store is 250 k flows/s; half of it. */
const DEFAULT_INGEST_RATE = '125k';
const P99_LIMIT_MS = 50;
/** The send starts first and ends last, so every request meets live ingest. */
const SEND_LEAD_MS = 2_000;
const SETTLE_TIMEOUT_MS = 60_000;

interface Options {
  ingestRate: number;
  durationSec: number;
  reqRate: number;
  connections: number;
  path: string;
}

function parseArgs(argv: string[]): Options {
  const given = new Map<string, string>();
  for (const a of argv) {
    const m = /^--([a-z-]+)=(.*)$/.exec(a);
    if (!m)
      throw new Error(
        `unexpected argument "${a}" (--rate=125k --duration=20 --req-rate=1000 --connections=10 --path=/api/v1/stats)`,
      );
    given.set(m[1]!, m[2]!);
  }
  const duration = Number(given.get('duration') ?? '20');
  if (!(duration >= 1)) throw new Error('--duration: seconds >= 1');
  return {
    ingestRate: parseRate(given.get('rate') ?? DEFAULT_INGEST_RATE),
    durationSec: duration,
    reqRate: Number(given.get('req-rate') ?? '1000'),
    connections: Number(given.get('connections') ?? '10'),
    path: given.get('path') ?? '/api/v1/stats',
  };
}

/** Sends at `rate` while autocannon loads the API; returns both results. */
async function measure(
  o: Options,
  serve: ServeUnderTest,
  token: string,
): Promise<{ send: SendTotals; load: LoadResult }> {
  const sender = await prepareSend({
    protocol: 'v9',
    port: serve.netflowPort,
    flowsPerSec: o.ingestRate,
    durationMs: o.durationSec * 1000 + 2 * SEND_LEAD_MS,
    senders: 1,
    ringDatagrams: 8192,
    maxDatagramBytes: 1400,
    templateIntervalMs: 1000,
    templateLeadMs: 200,
  });
  try {
    const sending = sender.go();
    await sleep(SEND_LEAD_MS);
    const load = await runLoad({
      url: `http://${serve.http}${o.path}`,
      token,
      ratePerSec: o.reqRate,
      connections: o.connections,
      durationSec: o.durationSec,
    });
    return { send: await sending, load };
  } finally {
    await sender.close();
  }
}

function report(
  o: Options,
  send: SendTotals,
  load: LoadResult,
  records: number,
  dropped: Record<string, number>,
): boolean {
  const drops = Object.values(dropped).reduce((a, b) => a + b, 0);
  const lost = send.flows - records;
  const ok2xx = Object.entries(load.status)
    .filter(([c]) => c.startsWith('2'))
    .reduce((a, [, n]) => a + n, 0);
  console.log(
    `GET ${o.path}: ${load.requests} requests in ${o.durationSec} s = ${load.rate.toFixed(0)}/s (target ${o.reqRate}/s, ${o.connections} connections)`,
  );
  console.log(`  status: ${JSON.stringify(load.status)}  errors ${load.errors}  timeouts ${load.timeouts}`);
  console.log(
    `  latency ms: p50 ${load.latency.p50}  p90 ${load.latency.p90}  p99 ${load.latency.p99}  max ${load.latency.max}  mean ${load.latency.mean.toFixed(2)}`,
  );
  console.log(
    `ingest: NetFlow v9 target ${o.ingestRate}/s, sent ${send.flows} flows at ${send.achievedFlowsPerSec.toFixed(0)}/s; decoded ${records}; lost ${lost}; dropped ${JSON.stringify(dropped)}`,
  );
  const checks: [string, boolean][] = [
    [`p99 ${load.latency.p99} ms < ${P99_LIMIT_MS} ms`, load.latency.p99 < P99_LIMIT_MS],
    [`all answers 2xx (${ok2xx}/${load.requests})`, ok2xx === load.requests && load.requests > 0],
    ['flowlens_pipeline_dropped_total = 0', drops === 0],
    [`records_total (${records}) = flows sent (${send.flows})`, lost === 0],
  ];
  for (const [what, ok] of checks) console.log(`  ${ok ? 'PASS' : 'FAIL'} ${what}`);
  return checks.every(([, ok]) => ok);
}

async function main(): Promise<number> {
  const o = parseArgs(process.argv.slice(2));
  const token = randomBytes(24).toString('base64url');
  console.log(`# bench/api  ${new Date().toISOString()}  Node ${process.version}`);
  const serve = await startServe(token);
  try {
    const probe = await fetch(`http://${serve.http}${o.path}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    console.log(`probe: GET ${o.path} -> ${probe.status} ${(await probe.text()).slice(0, 160)}`);
    const cpu0 = processCpuSeconds(serve.proc.pid);
    const { send, load } = await measure(o, serve, token);
    const records = await waitUntilSettled({
      port: serve.netflowPort,
      progress: async () => (await serve.counts()).records,
      cpuSeconds: () => processCpuSeconds(serve.proc.pid),
      expected: send.flows,
      quietMs: 1_000,
      timeoutMs: SETTLE_TIMEOUT_MS,
    });
    const { dropped } = await serve.counts();
    console.log(`serve CPU: ${(processCpuSeconds(serve.proc.pid) - cpu0).toFixed(1)} s over the run`);
    return report(o, send, load, records, dropped) ? 0 : 1;
  } finally {
    const code = await serve.stop();
    if (code !== 0) console.error(`flowlens serve exited ${code}: ${serve.proc.output().slice(-1000)}`);
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(2);
  },
);
