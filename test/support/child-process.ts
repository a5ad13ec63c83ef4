import { spawn, type ChildProcess } from 'node:child_process';

/** How a child process ended. */
export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A child process whose output is collected and whose end can be awaited. */
export interface TrackedChild {
  readonly process: ChildProcess;
  readonly pid: number | undefined;
  /** Everything written to stdout / stderr so far. */
  stdout(): string;
  stderr(): string;
  /** Resolves when the process has exited (never rejects). */
  readonly exited: Promise<ChildExit>;
  /**
   * Sends `signal` (SIGTERM unless given) and waits up to `graceMs` for the
   * exit, then SIGKILLs; resolves with the exit. Safe to call after exit.
   */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<ChildExit>;
}

/** Options of `spawnTracked`. */
export interface SpawnOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

/** Starts `cmd args` with piped output (stdin closed) and tracks it. */
export function spawnTracked(cmd: string, args: readonly string[], opts: SpawnOptions = {}): TrackedChild {
  const child = spawn(cmd, args, {
    cwd: opts.cwd,
    env: opts.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.setEncoding('utf8').on('data', (s: string) => (out += s));
  child.stderr?.setEncoding('utf8').on('data', (s: string) => (err += s));
  let done: ChildExit | undefined;
  const exited = new Promise<ChildExit>((resolve) => {
    child.on('error', (e) => {
      err += `spawn ${cmd}: ${e.message}\n`;
      done ??= { code: null, signal: null };
      resolve(done);
    });
    child.on('close', (code, signal) => {
      done = { code, signal };
      resolve(done);
    });
  });
  return {
    process: child,
    pid: child.pid,
    stdout: () => out,
    stderr: () => err,
    exited,
    async stop(signal = 'SIGTERM', graceMs = 10_000) {
      if (done) return done;
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

/** A finished run: its exit and its whole output. */
export interface RunResult extends ChildExit {
  stdout: string;
  stderr: string;
}

/**
 * Runs `cmd args` to completion; after `timeoutMs` the process is killed and
 * the promise rejects with its output so far (a peer that hangs fails the
 * test instead of hanging it).
 */
export async function runToExit(
  cmd: string,
  args: readonly string[],
  opts: SpawnOptions & { timeoutMs: number },
): Promise<RunResult> {
  const c = spawnTracked(cmd, args, opts);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    c.process.kill('SIGKILL');
  }, opts.timeoutMs);
  try {
    const exit = await c.exited;
    if (timedOut) {
      throw new Error(`${cmd} ${args.join(' ')}: killed after ${opts.timeoutMs} ms\n${c.stderr()}`);
    }
    return { ...exit, stdout: c.stdout(), stderr: c.stderr() };
  } finally {
    clearTimeout(timer);
  }
}
