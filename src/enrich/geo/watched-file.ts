/**
 * A data file that is reloaded when it changes on disk: fs.watch on its
 * directory (a new file is usually renamed into place, which a watch on the
 * old inode would miss) plus a stat poll as the fallback where watching is
 * unreliable (network file systems, some containers). The parsed value is
 * swapped in one assignment, so a lookup sees the old or the new database,
 * never a mix; a file that fails to parse leaves the old one in use.
 */
import { watch, type FSWatcher } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import type { Clock, Timer } from '../../common/clock.ts';

/** A value loaded from files, kept current. */
export interface WatchedFiles<T> {
  /** The current value (undefined until the first load succeeds). */
  readonly current: T | undefined;
  /** Loads now; rejects when the first load fails. */
  start(): Promise<void>;
  stop(): void;
  /** Checks the files' stat now and reloads when one changed (what the poll timer calls). */
  check(): Promise<boolean>;
  readonly reloads: number;
}

/** What a watched file needs. */
export interface WatchedFilesOptions<T> {
  paths: readonly string[];
  /** Builds the value from the files' bytes, in `paths` order; throws on bad data. */
  parse: (buffers: Buffer[]) => T;
  clock: Clock;
  pollIntervalMs: number;
  /** Quiet time after a watch event before reloading (writers may still be writing). */
  settleMs?: number;
  onReload?: (paths: readonly string[]) => void;
  onError?: (err: unknown) => void;
  /** False to rely on polling only. */
  useFsWatch?: boolean;
}

/** Creates an inert watcher; `start()` loads and begins watching. */
export function createWatchedFiles<T>(opts: WatchedFilesOptions<T>): WatchedFiles<T> {
  let current: T | undefined;
  let signature = '';
  let reloads = 0;
  let poll: Timer | undefined;
  let settle: Timer | undefined;
  const watchers: FSWatcher[] = [];
  let loading: Promise<boolean> | undefined;

  async function sign(): Promise<string> {
    const parts = await Promise.all(
      opts.paths.map(async (p) => {
        const s = await stat(p);
        return `${s.ino}:${s.size}:${s.mtimeMs}`;
      }),
    );
    return parts.join('|');
  }

  async function load(force: boolean): Promise<boolean> {
    const sig = await sign();
    if (!force && sig === signature) return false;
    const buffers = await Promise.all(opts.paths.map((p) => readFile(p)));
    current = opts.parse(buffers);
    if (signature !== '') reloads++;
    signature = sig;
    opts.onReload?.(opts.paths);
    return true;
  }

  async function check(): Promise<boolean> {
    if (loading) return loading;
    loading = load(false)
      .catch((err: unknown) => {
        opts.onError?.(err);
        return false;
      })
      .finally(() => (loading = undefined));
    return loading;
  }

  function onEvent(_event: string, file: string | Buffer | null): void {
    const names = opts.paths.map((p) => basename(p));
    if (file !== null && !names.includes(file.toString())) return;
    settle?.cancel();
    settle = opts.clock.setTimeout(() => void check(), opts.settleMs ?? 200);
  }

  return {
    get current() {
      return current;
    },
    get reloads() {
      return reloads;
    },
    check,
    async start() {
      await load(true);
      poll = opts.clock.setInterval(() => void check(), opts.pollIntervalMs);
      if (opts.useFsWatch === false) return;
      for (const dir of new Set(opts.paths.map((p) => dirname(p)))) {
        try {
          const w = watch(dir, { persistent: false }, onEvent);
          w.on('error', (err) => opts.onError?.(err));
          watchers.push(w);
        } catch (err) {
          opts.onError?.(err); // polling still runs
        }
      }
    },
    stop() {
      poll?.cancel();
      settle?.cancel();
      for (const w of watchers.splice(0)) w.close();
    },
  };
}
