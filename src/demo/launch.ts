/**
 * Starts a FlowLens (`flowlens serve` as a child process) on loopback with a
 * temporary data folder and a one-time admin login, for `npm run demo` and
 * the end-to-end tests.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** Ports of the FlowLens to start. */
export interface LaunchOptions {
  httpPort: number;
  netflowPort: number;
  ipfixPort: number;
  sflowPort: number;
  /** Repository root (bin/flowlens.js lives there). */
  root: string;
  /** Extra environment (FLOWLENS_API_TOKEN, ...). */
  env?: Record<string, string>;
  logLevel?: string;
}

/** A running FlowLens. */
export interface LaunchedFlowLens {
  url: string;
  username: string;
  password: string;
  dataDir: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** Starts the service and resolves once /healthz answers 200. */
export async function launchFlowLens(o: LaunchOptions): Promise<LaunchedFlowLens> {
  const dataDir = mkdtempSync(join(tmpdir(), 'flowlens-demo-'));
  const config = join(dataDir, 'flowlens.yaml');
  writeFileSync(
    config,
    [
      `http: { listen: "127.0.0.1:${o.httpPort}" }`,
      'collector:',
      `  netflow: { listen: "127.0.0.1:${o.netflowPort}" }`,
      `  ipfix: { listen: "127.0.0.1:${o.ipfixPort}" }`,
      `  sflow: { listen: "127.0.0.1:${o.sflowPort}" }`,
      `storage: { path: ${JSON.stringify(join(dataDir, 'data'))} }`,
      `log: { level: ${o.logLevel ?? 'warn'} }`,
      '',
    ].join('\n'),
  );
  const bin = resolve(o.root, 'bin/flowlens.js');
  const username = 'demo';
  const password = randomBytes(9).toString('base64url');
  const add = spawnSync(
    process.execPath,
    [bin, 'user', 'add', username, '--role', 'admin', '--password-stdin', '--config', config],
    {
      input: `${password}\n`,
      cwd: o.root,
      encoding: 'utf8',
    },
  );
  if (add.status !== 0) throw new Error(`flowlens user add failed: ${add.stderr}`);
  const child = spawn(process.execPath, [bin, 'serve', '--config', config], {
    cwd: o.root,
    env: { ...process.env, ...o.env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const url = `http://127.0.0.1:${o.httpPort}`;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
    rmSync(dataDir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`flowlens serve exited with ${child.exitCode}`);
    const ok = await fetch(`${url}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return { url, username, password, dataDir, child, stop };
    await new Promise((r) => setTimeout(r, 200));
  }
  await stop();
  throw new Error('flowlens serve did not become ready within 30 s');
}
