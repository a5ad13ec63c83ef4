/**
 * Running the system tools discovery uses (ip, arp-scan, nft), injected so
 * tests replace them. A missing binary, a permission refusal and a non-zero
 * exit are told apart; `netns` runs the tool inside a network namespace
 * (`ip netns exec`, tests and special setups; needs root).
 */
import { execFile } from 'node:child_process';
import { DiscoveryError } from './errors.ts';

/** What a tool printed. */
export interface CommandResult {
  stdout: string;
  stderr: string;
  /** Exit status (0 success). */
  code: number;
}

/** Runs `file args` and resolves when it exits (non-zero exits resolve too); rejects when it cannot start. */
export type CommandRunner = (file: string, args: string[], signal: AbortSignal) => Promise<CommandResult>;

/** Largest output read from a tool. */
const MAX_OUTPUT_BYTES = 16 * 1024 * 1024;

/** The real runner (child_process.execFile, killed when `signal` aborts). */
export const runCommand: CommandRunner = (file, args, signal) =>
  new Promise((resolve, reject) => {
    execFile(file, args, { signal, maxBuffer: MAX_OUTPUT_BYTES, encoding: 'utf8' }, (err, stdout, stderr) => {
      if (err && typeof err.code !== 'number') {
        reject(err);
        return;
      }
      resolve({ stdout, stderr, code: typeof err?.code === 'number' ? err.code : 0 });
    });
  });

/** `file args`, inside namespace `netns` when given. */
export function inNetns(netns: string | undefined, file: string, args: string[]): [string, string[]] {
  return netns ? ['ip', ['netns', 'exec', netns, file, ...args]] : [file, args];
}

/** Runs a tool; a failure to start becomes a DiscoveryError naming the binary. */
export async function runTool(
  run: CommandRunner,
  method: string,
  netns: string | undefined,
  file: string,
  args: string[],
  signal: AbortSignal,
): Promise<CommandResult> {
  const [f, a] = inNetns(netns, file, args);
  try {
    const r = await run(f, a, signal);
    // Inside a namespace, `ip netns exec` itself reports a missing binary.
    if (netns && r.code !== 0 && /exec of .* failed: No such file/.test(r.stderr))
      throw Object.assign(new Error(r.stderr.trim()), { code: 'ENOENT' });
    return r;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT')
      throw new DiscoveryError(
        'FLOWLENS_ERR_DISCOVERY_BINARY_MISSING',
        `${method}: "${file}" is not installed or not in PATH`,
        {
          cause: err,
        },
      );
    if (code === 'EACCES')
      throw new DiscoveryError('FLOWLENS_ERR_DISCOVERY_PERMISSION', `${method}: not allowed to run "${f}"`, {
        cause: err,
      });
    throw DiscoveryError.from(method, err);
  }
}
