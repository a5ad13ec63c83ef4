/**
 * `flowlens serve` as the collector under test: a fresh process per step with
 * a temporary configuration (one listener for the protocol, no other), and
 * the counts read from its /metrics once records_total stops growing.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startChild } from '../common/child-process.ts';
import { freeTcpPort, freeUdpPort, sleep } from '../common/free-port.ts';
import { processCpuSeconds, udpSocketState } from '../common/proc-stats.ts';
import { openCpuWindow } from './cpu-window.ts';
import type { StartCollector } from './collector-under-test.ts';
import { sum, sumBy } from './prometheus-text.ts';
import { waitUntilSettled } from './settle.ts';

const CLI = fileURLToPath(new URL('../../bin/flowlens.js', import.meta.url));
const READY_TIMEOUT_MS = 60_000;
/** Counters update every ~250 ms; a second without change means decoding is done. */
const QUIET_MS = 1_000;
const SETTLE_TIMEOUT_MS = 60_000;
const HTTP_TIMEOUT_MS = 5_000;

/** Extra node flags for the serve process (e.g. `--cpu-prof`), from FLOWLENS_BENCH_NODE_FLAGS. */
export function nodeFlags(): string[] {
  return (process.env['FLOWLENS_BENCH_NODE_FLAGS'] ?? '').split(' ').filter((s) => s !== '');
}

/** Starts `flowlens serve` with the step's settings. */
export const startFlowlens: StartCollector = async (o) => {
  const dir = mkdtempSync(join(tmpdir(), 'flowlens-bench-serve-'));
  const port = await freeUdpPort();
  const httpPort = await freeTcpPort();
  const listen = (on: boolean): string => (on ? `"127.0.0.1:${port}"` : '""');
  const config = [
    `http:\n  listen: "127.0.0.1:${httpPort}"`,
    'log:\n  level: warn',
    'collector:',
    `  netflow:\n    listen: ${listen(o.protocol === 'v9')}`,
    `  ipfix:\n    listen: ${listen(o.protocol === 'ipfix')}`,
    '  sflow:\n    listen: ""',
    `  workers: ${o.workers}`,
    `  receiveBufferBytes: ${o.receiveBufferBytes}`,
    `  batchDatagrams: ${o.batchDatagrams}`,
    ...(o.recentFlows === undefined ? [] : [`  recentFlows: ${o.recentFlows}`]),
    `storage:\n  path: "${join(dir, 'data')}"`,
    '',
  ].join('\n');
  const configFile = join(dir, 'flowlens.yaml');
  writeFileSync(configFile, config);
  const proc = await startChild(process.execPath, [...nodeFlags(), CLI, 'serve', '--config', configFile], {
    ...process.env,
    NODE_OPTIONS: '',
  });
  const cleanup = (): void => rmSync(dir, { recursive: true, force: true });
  const metrics = async (): Promise<string> => {
    const res = await fetch(`http://127.0.0.1:${httpPort}/metrics`, {
      signal: AbortSignal.timeout(HTTP_TIMEOUT_MS),
    });
    if (!res.ok) throw new Error(`/metrics answered ${res.status}`);
    return res.text();
  };
  try {
    const end = Date.now() + READY_TIMEOUT_MS;
    while (true) {
      if (proc.exited() || Date.now() > end)
        throw new Error(`flowlens serve did not start: ${proc.output()}`);
      // Ready, with the enrichment databases loaded: their one-time load (about a second of the
      // decode worker's CPU) would otherwise fall inside the step and count against a sustained rate.
      const ok = await fetch(`http://127.0.0.1:${httpPort}/healthz`).then(
        async (r) => r.ok && ((await r.json()) as { enrichmentLoaded?: boolean }).enrichmentLoaded === true,
        () => false,
      );
      if (ok) break;
      await sleep(100);
    }
  } catch (err) {
    await proc.stop('SIGKILL');
    cleanup();
    throw err;
  }
  const cpu = openCpuWindow(proc.pid);
  return {
    port,
    async finish(expected) {
      try {
        const progress = async (): Promise<number> =>
          sum(await metrics(), 'flowlens_collector_records_total');
        const cpuNow = (): number => processCpuSeconds(proc.pid);
        const settleStart = Date.now();
        await waitUntilSettled({
          port,
          progress,
          cpuSeconds: cpuNow,
          expected,
          quietMs: QUIET_MS,
          timeoutMs: SETTLE_TIMEOUT_MS,
        });
        const text = await metrics();
        const catchUpSeconds = (Date.now() - settleStart) / 1000;
        const used = cpu.read();
        const socketDrops = udpSocketState(port).drops;
        const otherDrops = sumBy(text, 'flowlens_pipeline_dropped_total', ['stage', 'reason']);
        const errors = sumBy(text, 'flowlens_collector_errors_total', ['kind']);
        const code = await proc.stop('SIGTERM', 20_000);
        if (code !== 0) throw new Error(`flowlens serve exited ${code}: ${proc.output().slice(-2000)}`);
        return {
          records: sum(text, 'flowlens_collector_records_total'),
          socketDrops,
          otherDrops,
          errors,
          ...used,
          catchUpSeconds,
        };
      } finally {
        cleanup();
      }
    },
    async kill() {
      await proc.stop('SIGKILL');
      cleanup();
    },
  };
};
