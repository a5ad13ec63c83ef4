/** `flowlens serve` as a child process configured by FLOWLENS_* variables, for store tests. */
import { spawnTracked, type TrackedChild } from '../support/child-process.ts';
import { FLOWLENS_BIN } from '../support/flowlens-decode.ts';
import { pollUntil } from '../support/poll-until.ts';

/** A running server: its HTTP address and NetFlow port. */
export interface ServeChild {
  readonly child: TrackedChild;
  readonly http: string;
  readonly netflowPort: number;
  /** A metric's value from /metrics (0 when absent). */
  metric(name: string): Promise<number>;
}

/** Starts serve on loopback ports with the store in `dataDir`; `env` adds FLOWLENS_* settings. */
export async function startServe(dataDir: string, env: Record<string, string>): Promise<ServeChild> {
  const child = spawnTracked(process.execPath, [FLOWLENS_BIN, 'serve'], {
    cwd: dataDir,
    env: {
      ...process.env,
      FLOWLENS_HTTP_LISTEN: '127.0.0.1:0',
      FLOWLENS_COLLECTOR_NETFLOW_LISTEN: '127.0.0.1:0',
      FLOWLENS_COLLECTOR_IPFIX_LISTEN: '',
      FLOWLENS_COLLECTOR_SFLOW_LISTEN: '',
      FLOWLENS_STORAGE_PATH: dataDir,
      ...env,
    },
  });
  const http = await pollUntil(
    () => {
      const m = /"http":"([^"]+)".*"flowlens started"|"flowlens started".*"http":"([^"]+)"/.exec(
        child.stderr(),
      );
      return m ? (m[1] ?? m[2]) : undefined;
    },
    { timeoutMs: 30_000, what: 'flowlens started' },
  ).catch((err: unknown) => {
    throw new Error(`${(err as Error).message}\n${child.stderr()}`, { cause: err });
  });
  const health = (await (await fetch(`http://${http}/healthz`)).json()) as {
    listeners: { name: string; port: number }[];
  };
  const netflowPort = health.listeners.find((l) => l.name.includes('netflow'))!.port;
  return {
    child,
    http,
    netflowPort,
    async metric(name) {
      const text = await (await fetch(`http://${http}/metrics`)).text();
      const m = new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text);
      return m ? Number(m[1]) : 0;
    },
  };
}
