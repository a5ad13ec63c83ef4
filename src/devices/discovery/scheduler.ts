/**
 * Runs each discovery method on its own interval: one run at a time per
 * method, a time limit per run (the method's signal is aborted, and the run
 * counts as failed), and after a failure a retry with exponential backoff
 * (initialBackoff, doubled per failure in a row, at most maxBackoff).
 * Every run is timed and every failure counted by method.
 */
import type { Clock, Timer } from '../../common/clock.ts';
import { rateLimited, type Logger } from '../../common/logger.ts';
import type { Observation } from '../model.ts';
import { DiscoveryError } from './errors.ts';

/** One discovery method. */
export interface DiscoveryMethod {
  /** The `method` label. */
  name: string;
  intervalMs: number;
  timeoutMs: number;
  /** One discovery pass; should stop early when `signal` aborts. */
  run(signal: AbortSignal): Promise<Observation[]>;
}

/** Where timings and failures go (metrics.ts implements it). */
export interface DiscoveryRecorder {
  duration(method: string, seconds: number): void;
  failure(method: string, code: string): void;
}

/** What the scheduler needs. */
export interface SchedulerDeps {
  clock: Clock;
  log: Logger;
  methods: DiscoveryMethod[];
  /** Receives each run's observations. */
  sink(obs: Observation[]): void;
  recorder: DiscoveryRecorder;
  initialBackoffMs: number;
  maxBackoffMs: number;
}

/** The result of one run. */
export interface RunResult {
  ok: boolean;
  observations: number;
  durationMs: number;
  error?: DiscoveryError;
}

/** The running scheduler. */
export interface DiscoveryScheduler {
  start(): void;
  stop(): void;
  /** Runs one method now (tests, benchmarks); resolves when it is done. */
  runNow(name: string): Promise<RunResult>;
  /** Consecutive failures by method. */
  failures(): Record<string, number>;
}

const LOG_INTERVAL_MS = 60_000;

/** A scheduler over `deps.methods`; inert until start(). */
export function createDiscoveryScheduler(deps: SchedulerDeps): DiscoveryScheduler {
  const { clock } = deps;
  const state = new Map(
    deps.methods.map((m) => [
      m.name,
      { m, failures: 0, timer: undefined as Timer | undefined, running: false },
    ]),
  );
  const running = new Set<AbortController>();
  let started = false;
  const warn = rateLimited(clock.now, LOG_INTERVAL_MS, (suppressed, method: string, err: DiscoveryError) =>
    deps.log.warn({ method, code: err.code, suppressed, err: err.message }, 'device discovery failed'),
  );

  async function runOnce(name: string): Promise<RunResult> {
    const s = state.get(name);
    if (!s) throw new Error(`no discovery method "${name}"`);
    if (s.running)
      return {
        ok: false,
        observations: 0,
        durationMs: 0,
        error: new DiscoveryError('FLOWLENS_ERR_DISCOVERY_BUSY', `${name}: a run is already in progress`),
      };
    s.running = true;
    const ac = new AbortController();
    running.add(ac);
    const t0 = clock.now();
    const limit = clock.setTimeout(
      () =>
        ac.abort(
          new DiscoveryError(
            'FLOWLENS_ERR_DISCOVERY_TIMEOUT',
            `${name}: no answer within ${s.m.timeoutMs} ms`,
          ),
        ),
      s.m.timeoutMs,
    );
    try {
      const aborted = new Promise<never>((_, reject) =>
        ac.signal.addEventListener('abort', () => reject(ac.signal.reason as Error), { once: true }),
      );
      aborted.catch(() => undefined);
      const obs = await Promise.race([s.m.run(ac.signal), aborted]);
      const durationMs = clock.now() - t0;
      deps.recorder.duration(name, durationMs / 1000);
      s.failures = 0;
      deps.sink(obs);
      return { ok: true, observations: obs.length, durationMs };
    } catch (err) {
      const e = DiscoveryError.from(name, err);
      const durationMs = clock.now() - t0;
      deps.recorder.duration(name, durationMs / 1000);
      deps.recorder.failure(name, e.code);
      s.failures++;
      warn(name, e);
      return { ok: false, observations: 0, durationMs, error: e };
    } finally {
      limit.cancel();
      running.delete(ac);
      s.running = false;
    }
  }

  function schedule(name: string, delayMs: number): void {
    const s = state.get(name);
    if (!s || !started) return;
    s.timer = clock.setTimeout(() => {
      void runOnce(name).then((r) => {
        const backoff = Math.min(deps.maxBackoffMs, deps.initialBackoffMs * 2 ** Math.max(0, s.failures - 1));
        schedule(name, r.ok ? s.m.intervalMs : backoff);
      });
    }, delayMs);
  }

  return {
    start() {
      if (started) return;
      started = true;
      for (const name of state.keys()) schedule(name, 0);
    },
    stop() {
      started = false;
      for (const s of state.values()) s.timer?.cancel();
      for (const ac of running)
        ac.abort(new DiscoveryError('FLOWLENS_ERR_DISCOVERY_STOPPED', 'discovery stopped'));
    },
    runNow: runOnce,
    failures: () => Object.fromEntries([...state].map(([n, s]) => [n, s.failures])),
  };
}
