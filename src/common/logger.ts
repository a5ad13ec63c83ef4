import { pino, type Logger as PinoLogger, type LevelWithSilent } from 'pino';

/** Structured logger (pino): `log.warn({ exporter, templateId }, 'template unknown')`. */
export type Logger = PinoLogger;

/** A JSON logger writing to stderr, so stdout stays free for command output. */
export function createLogger(level: LevelWithSilent = 'info'): Logger {
  return pino({ level, base: { service: 'flowlens' } }, pino.destination({ fd: 2, sync: false }));
}

/** A logger that drops everything, for tests. */
export function createSilentLogger(): Logger {
  return pino({ level: 'silent' });
}

/**
 * Wraps `fn` so it logs at most once per `intervalMs` (an error is either
 * fatal or counted and logged at a limited rate: architecture.md §7); the
 * number of suppressed calls is reported with the next one.
 */
export function rateLimited<A extends unknown[]>(
  now: () => number,
  intervalMs: number,
  fn: (suppressed: number, ...args: A) => void,
): (...args: A) => void {
  let last = -Infinity;
  let suppressed = 0;
  return (...args: A) => {
    const t = now();
    if (t - last < intervalMs) {
      suppressed++;
      return;
    }
    last = t;
    fn(suppressed, ...args);
    suppressed = 0;
  };
}
