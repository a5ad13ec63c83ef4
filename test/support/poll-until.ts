import { setTimeout as sleep } from 'node:timers/promises';

/** Bounds of a polling wait. */
export interface PollOptions {
  /** Give up after this long (the wait never hangs). */
  timeoutMs: number;
  /** Pause between attempts; 100 ms unless given. */
  intervalMs?: number;
  /** What is awaited, for the timeout message. */
  what: string;
}

/**
 * Calls `probe` until it returns something other than undefined (or false)
 * and returns that; throws naming `what` and the last value seen when
 * `timeoutMs` passes. Errors thrown by `probe` are treated as "not yet".
 */
export async function pollUntil<T>(
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  opts: PollOptions,
): Promise<T> {
  const deadline = Date.now() + opts.timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined && v !== false) return v;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() >= deadline) {
      const why = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(`timed out after ${opts.timeoutMs} ms waiting for ${opts.what}${why}`);
    }
    await sleep(opts.intervalMs ?? 100);
  }
}
