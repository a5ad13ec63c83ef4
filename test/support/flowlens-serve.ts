import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnTracked, type ChildExit, type TrackedChild } from './child-process.ts';
import { FLOWLENS_BIN } from './flowlens-decode.ts';
import { parsePrometheusText, sumSamples, type PromSample } from './prometheus-text.ts';
import { pollUntil } from './poll-until.ts';

/** The collector's per-exporter counters, summed over exporters. */
export interface CollectorCounters {
  datagrams: number;
  records: number;
  bytes: number;
  packets: number;
  errors: number;
}

/** A `flowlens serve` child process on ephemeral loopback ports. */
export interface FlowlensServer {
  /** "127.0.0.1:PORT" of the HTTP server. */
  readonly http: string;
  /** Bound UDP ports of the collector listeners. */
  readonly ports: { netflow: number; ipfix: number; sflow: number };
  readonly child: TrackedChild;
  /** Scrapes /metrics. */
  scrape(): Promise<PromSample[]>;
  /** The collector counters (`flowlens_collector_*_total`), optionally of one record type. */
  counters(type?: string): Promise<CollectorCounters>;
  /** SIGTERM, then waits (bounded) for the exit. */
  stop(): Promise<ChildExit>;
  /** Kills the child if it still runs and removes the temporary folder; for `finally`. */
  dispose(): Promise<void>;
}

const START_TIMEOUT_MS = 30_000;
const STOP_GRACE_MS = 20_000;

/**
 * Starts `flowlens serve` (this checkout, this Node) with a temporary
 * configuration and data folder: HTTP and every collector listener on
 * 127.0.0.1 port 0. Resolves once /healthz answers 200, with the ports read
 * from the startup log and /healthz.
 */
export async function startFlowlensServe(): Promise<FlowlensServer> {
  const dir = mkdtempSync(join(tmpdir(), 'flowlens-serve-'));
  const config = join(dir, 'flowlens.yaml');
  writeFileSync(
    config,
    [
      'http: { listen: "127.0.0.1:0" }',
      'log: { level: info }',
      'collector:',
      '  netflow: { listen: "127.0.0.1:0" }',
      '  ipfix: { listen: "127.0.0.1:0" }',
      '  sflow: { listen: "127.0.0.1:0" }',
      `storage: { path: ${JSON.stringify(join(dir, 'data'))} }`,
      '',
    ].join('\n'),
  );
  const child = spawnTracked(process.execPath, [FLOWLENS_BIN, 'serve', '--config', config], { cwd: dir });
  let exited = false;
  void child.exited.then(() => (exited = true));
  const dispose = async (): Promise<void> => {
    await child.stop('SIGKILL', 5_000);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const http = await pollUntil(
      () => {
        if (exited) throw new Error(`flowlens serve exited early:\n${child.stderr()}`);
        return startedHttpAddress(child.stderr());
      },
      { timeoutMs: START_TIMEOUT_MS, what: 'the "flowlens started" log line' },
    ).catch((err: unknown) => {
      throw new Error(`${(err as Error).message}\nstderr:\n${child.stderr()}`, { cause: err });
    });
    const health = await pollUntil(
      async () => {
        const res = await fetch(`http://${http}/healthz`);
        return res.status === 200
          ? ((await res.json()) as { listeners?: { name: string; port: number }[] })
          : undefined;
      },
      { timeoutMs: START_TIMEOUT_MS, what: `http://${http}/healthz to answer 200` },
    );
    const portOf = (key: string): number => {
      const l = health.listeners?.find((x) => x.name.startsWith(`collector.${key}.`));
      if (!l) throw new Error(`no ${key} listener in /healthz: ${JSON.stringify(health)}`);
      return l.port;
    };
    const ports = { netflow: portOf('netflow'), ipfix: portOf('ipfix'), sflow: portOf('sflow') };
    const scrape = async (): Promise<PromSample[]> => {
      const res = await fetch(`http://${http}/metrics`);
      if (res.status !== 200) throw new Error(`/metrics answered ${res.status}`);
      return parsePrometheusText(await res.text());
    };
    return {
      http,
      ports,
      child,
      scrape,
      async counters(type) {
        const s = await scrape();
        const by = type === undefined ? {} : { type };
        return {
          datagrams: sumSamples(s, 'flowlens_collector_datagrams_total', by),
          records: sumSamples(s, 'flowlens_collector_records_total', by),
          bytes: sumSamples(s, 'flowlens_collector_record_bytes_total', by),
          packets: sumSamples(s, 'flowlens_collector_record_packets_total', by),
          errors: sumSamples(s, 'flowlens_collector_errors_total'),
        };
      },
      stop: () => child.stop('SIGTERM', STOP_GRACE_MS),
      dispose,
    };
  } catch (err) {
    await dispose();
    throw err;
  }
}

/** The `http` field of the JSON log line "flowlens started", once written. */
function startedHttpAddress(stderr: string): string | undefined {
  for (const line of stderr.split('\n')) {
    if (!line.includes('flowlens started')) continue;
    try {
      const entry = JSON.parse(line) as { msg?: string; http?: string };
      if (entry.msg === 'flowlens started' && entry.http) return entry.http;
    } catch {
      // A partly written line: read it on the next poll.
    }
  }
  return undefined;
}
