import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnTracked, type ChildExit, type TrackedChild } from './child-process.ts';

/**
 * Starts `pmacctd -f CONFIG` reading `input` (pcap_savefile) with the given
 * plugin configuration keys (e.g. `plugins: nfprobe`, `nfprobe_receiver`),
 * in the foreground. The configuration file is written into `dir`.
 */
export function startPmacctd(
  pmacctd: string,
  dir: string,
  input: string,
  keys: Record<string, string | number | boolean>,
): TrackedChild {
  const lines = { daemonize: false, pcap_savefile: input, ...keys };
  const config = join(dir, 'pmacctd.conf');
  writeFileSync(
    config,
    `${Object.entries(lines)
      .map(([k, v]) => `${k}: ${String(v)}`)
      .join('\n')}\n`,
  );
  return spawnTracked(pmacctd, ['-f', config], { cwd: dir });
}

/** Waits (bounded) for pmacctd to exit by itself; SIGKILLs it and throws when it does not. */
export async function waitPmacctdExit(child: TrackedChild, timeoutMs: number): Promise<ChildExit> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), timeoutMs)));
  try {
    const done = await Promise.race([child.exited, timeout]);
    if (done === 'timeout') {
      await child.stop('SIGKILL', 5_000);
      throw new Error(`pmacctd did not exit within ${timeoutMs} ms:\n${child.stderr()}`);
    }
    return done;
  } finally {
    clearTimeout(timer);
  }
}
