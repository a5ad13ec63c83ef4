/**
 * Child processes for benchmarks: started with their output kept (bounded),
 * stopped by signal with a deadline after which they are killed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';

/** A started child with the tail of its output. */
export interface RunningChild {
  readonly child: ChildProcess;
  readonly pid: number;
  /** The last output lines (stdout and stderr), for error messages. */
  output(): string;
  /** True once it has exited. */
  exited(): boolean;
  /** Waits up to `timeoutMs` for it to exit, then SIGKILL; resolves with the exit code (or signal name). */
  wait(timeoutMs: number): Promise<number | string>;
  /** Sends `signal`, then wait(timeoutMs). */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<number | string>;
}

const OUTPUT_TAIL_CHARS = 8_000;
const DEFAULT_STOP_TIMEOUT_MS = 10_000;

/** Spawns `cmd args`; rejects if it cannot be started. */
export async function startChild(
  cmd: string,
  args: string[],
  env?: NodeJS.ProcessEnv,
): Promise<RunningChild> {
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env: env ?? process.env });
  let tail = '';
  const keep = (chunk: Buffer): void => {
    tail = (tail + chunk.toString('utf8')).slice(-OUTPUT_TAIL_CHARS);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let exitValue: number | string | undefined;
  const exit = new Promise<number | string>((resolve) => {
    child.once('exit', (code, sig) => {
      exitValue = code ?? sig ?? -1;
      resolve(exitValue);
    });
  });
  await Promise.race([once(child, 'spawn'), once(child, 'error').then(([e]) => Promise.reject(e as Error))]);
  const wait = async (timeoutMs: number): Promise<number | string> => {
    if (exitValue !== undefined) return exitValue;
    let timer: NodeJS.Timeout | undefined;
    const killed = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        child.kill('SIGKILL');
        resolve();
      }, timeoutMs);
    });
    await Promise.race([exit, killed]);
    clearTimeout(timer);
    return exit;
  };
  return {
    child,
    pid: child.pid!,
    output: () => tail,
    exited: () => exitValue !== undefined,
    wait,
    async stop(signal = 'SIGTERM', timeoutMs = DEFAULT_STOP_TIMEOUT_MS) {
      if (exitValue === undefined) child.kill(signal);
      return wait(timeoutMs);
    },
  };
}

/** Runs `cmd args` to completion within `timeoutMs`; resolves with stdout, rejects on failure. */
export async function runCommand(cmd: string, args: string[], timeoutMs: number): Promise<string> {
  const c = await startChild(cmd, args);
  let out = '';
  c.child.stdout?.on('data', (d: Buffer) => (out += d.toString('utf8')));
  const code = await c.wait(timeoutMs);
  if (code !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${code}: ${c.output().slice(-500)}`);
  return out;
}

/** Linux's USER_HZ: the unit of the times in /proc/PID/stat. */
const CLOCK_TICKS_PER_SECOND = 100;

/**
 * What this process's children that have exited and been waited for used,
 * all together (proc(5): cutime + cstime, cminflt): take it before and after
 * a child to get the child's. NaN where /proc is missing.
 */
export function childrenUsage(): { cpuSeconds: number; minorFaults: number } {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // from field 3 (state) on
    return {
      cpuSeconds: (Number(fields[13]) + Number(fields[14])) / CLOCK_TICKS_PER_SECOND,
      minorFaults: Number(fields[8]),
    };
  } catch {
    return { cpuSeconds: NaN, minorFaults: NaN };
  }
}
