import { spawn, type ChildProcess } from 'node:child_process';
import type { Clock } from '../../common/clock.ts';

/** What one dumpcap should capture. */
export interface DumpcapTarget {
  /** Interface name as the kernel knows it (in `netns` when given). */
  interface: string;
  /** Capture filter in libpcap (BPF) syntax; everything when absent or empty. */
  filter?: string;
  /** Bytes kept of each frame; dumpcap's default (262144) when absent. */
  snaplen?: number;
  /** Put the interface in promiscuous mode (dumpcap's default); false adds `-p`. */
  promiscuous?: boolean;
  /**
   * Network namespace (from `ip netns`) the interface lives in; dumpcap then
   * runs under `ip netns exec`, which needs root. For tests and special setups.
   */
  netns?: string;
}

/** How a dumpcap ended. */
export interface DumpcapExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The last part of stderr (bounded), for error messages and drop counts. */
  stderr: string;
  /** Set when the process could not be started at all. */
  spawnError?: NodeJS.ErrnoException;
}

/** A running dumpcap. */
export interface DumpcapProcess {
  readonly child: ChildProcess;
  /** Resolves once the process has exited and its pipes are closed; never rejects. */
  readonly exited: Promise<DumpcapExit>;
  /** SIGTERM (dumpcap then finishes its files), SIGKILL after `graceMs`; resolves on exit. */
  stop(graceMs: number): Promise<DumpcapExit>;
}

/** stderr kept per process: enough for dumpcap's messages, bounded against chatter. */
const STDERR_KEEP_CHARS = 16_384;

/** Capture options shared by live capture and recordings: `-i`, `-f`, `-s`, `-p`. */
export function dumpcapCaptureArgs(t: DumpcapTarget): string[] {
  const args = ['-i', t.interface];
  if (t.filter) args.push('-f', t.filter);
  if (t.snaplen !== undefined) args.push('-s', String(t.snaplen));
  if (t.promiscuous === false) args.push('-p');
  return args;
}

/**
 * Starts `dumpcapPath args` (inside `netns` when given). stdin is closed,
 * stdout is piped when `pipeStdout` (the pcapng stream or ring file names),
 * stderr is kept for messages. The child stays in FlowLens' process group,
 * so a terminal's Ctrl-C reaches it too.
 */
export function spawnDumpcap(
  dumpcapPath: string,
  args: readonly string[],
  netns: string | undefined,
  clock: Clock,
): DumpcapProcess {
  const [cmd, argv] = netns ? ['ip', ['netns', 'exec', netns, dumpcapPath, ...args]] : [dumpcapPath, args];
  const child = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (s: string) => {
    stderr = (stderr + s).slice(-STDERR_KEEP_CHARS);
  });
  let spawnError: NodeJS.ErrnoException | undefined;
  let done: DumpcapExit | undefined;
  const exited = new Promise<DumpcapExit>((resolve) => {
    child.on('error', (e: NodeJS.ErrnoException) => {
      // 'error' without 'close' happens when spawn itself fails.
      spawnError = e;
      if (child.pid === undefined) {
        done = { code: null, signal: null, stderr, spawnError: e };
        resolve(done);
      }
    });
    child.on('close', (code, signal) => {
      done = { code, signal, stderr };
      if (spawnError) done.spawnError = spawnError;
      resolve(done);
    });
  });
  return {
    child,
    exited,
    async stop(graceMs) {
      if (done) return done;
      child.kill('SIGTERM');
      const timer = clock.setTimeout(() => child.kill('SIGKILL'), graceMs);
      try {
        return await exited;
      } finally {
        timer.cancel();
      }
    },
  };
}

/**
 * Drops dumpcap reports in its last words on stderr (`-q` still prints them):
 * "Packets received/dropped on interface 'lo': 25/3 (pcap:3/dumpcap:0/...)".
 */
export function parseDumpcapDrops(stderr: string): { received: number; dropped: number } | undefined {
  const m = /Packets received\/dropped on interface .*?: (\d+)\/(\d+)/.exec(stderr);
  return m ? { received: Number(m[1]), dropped: Number(m[2]) } : undefined;
}
