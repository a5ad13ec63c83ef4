/**
 * `flowlens serve` for the API bench: a child process with a temporary
 * configuration (HTTP and the NetFlow listener on loopback, the store on),
 * FLOWLENS_API_TOKEN set so requests can authenticate as scripts do.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startChild, type RunningChild } from '../common/child-process.ts';
import { freeTcpPort, freeUdpPort, sleep } from '../common/free-port.ts';
import { nodeFlags } from '../ingest/flowlens.ts';
import { sum, sumBy } from '../ingest/prometheus-text.ts';

const CLI = fileURLToPath(new URL('../../bin/flowlens.js', import.meta.url));
const READY_TIMEOUT_MS = 30_000;
const HTTP_TIMEOUT_MS = 5_000;

/** A running service under test. */
export interface ServeUnderTest {
  readonly http: string;
  readonly netflowPort: number;
  readonly proc: RunningChild;
  /** /metrics as text. */
  metrics(): Promise<string>;
  /** Flow records decoded so far, and drops by stage/reason. */
  counts(): Promise<{ records: number; dropped: Record<string, number> }>;
  /** Stops it and removes the temporary folder. */
  stop(): Promise<number | string>;
}

/** Starts serve and waits for /healthz. */
export async function startServe(token: string): Promise<ServeUnderTest> {
  const dir = mkdtempSync(join(tmpdir(), 'flowlens-bench-api-'));
  const netflowPort = await freeUdpPort();
  const httpPort = await freeTcpPort();
  const configFile = join(dir, 'flowlens.yaml');
  writeFileSync(
    configFile,
    [
      // No per-client rate limit: the bench's one client is meant to send 1,000 requests/s.
      `http:\n  listen: "127.0.0.1:${httpPort}"\n  rateLimit:\n    max: 0`,
      'log:\n  level: warn',
      `collector:\n  netflow:\n    listen: "127.0.0.1:${netflowPort}"\n  ipfix:\n    listen: ""\n  sflow:\n    listen: ""`,
      `storage:\n  path: "${join(dir, 'data')}"`,
      '',
    ].join('\n'),
  );
  const proc = await startChild(process.execPath, [...nodeFlags(), CLI, 'serve', '--config', configFile], {
    ...process.env,
    NODE_OPTIONS: '',
    FLOWLENS_API_TOKEN: token,
  });
  const http = `127.0.0.1:${httpPort}`;
  const cleanup = (): void => rmSync(dir, { recursive: true, force: true });
  const end = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (proc.exited() || Date.now() > end) {
      await proc.stop('SIGKILL');
      cleanup();
      throw new Error(`flowlens serve did not start: ${proc.output()}`);
    }
    const ok = await fetch(`http://${http}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    await sleep(100);
  }
  const metrics = async (): Promise<string> => {
    const res = await fetch(`http://${http}/metrics`, {
      headers: { authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(HTTP_TIMEOUT_MS),
    });
    if (!res.ok) throw new Error(`/metrics answered ${res.status}`);
    return res.text();
  };
  return {
    http,
    netflowPort,
    proc,
    metrics,
    async counts() {
      const text = await metrics();
      return {
        records: sum(text, 'flowlens_collector_records_total'),
        dropped: sumBy(text, 'flowlens_pipeline_dropped_total', ['stage', 'reason']),
      };
    },
    async stop() {
      try {
        return await proc.stop('SIGTERM', 20_000);
      } finally {
        cleanup();
      }
    },
  };
}
