/**
 * Time is injected (architecture.md: library code does not call Date.now or
 * setTimeout directly), so tests drive it.
 */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
  setTimeout(fn: () => void, ms: number): Timer;
  setInterval(fn: () => void, ms: number): Timer;
}

/** A handle that cancels a timeout or interval. */
export interface Timer {
  cancel(): void;
}

/** The real clock. */
export function createSystemClock(): Clock {
  return {
    now: () => Date.now(),
    setTimeout(fn, ms) {
      const t = setTimeout(fn, ms);
      t.unref?.();
      return { cancel: () => clearTimeout(t) };
    },
    setInterval(fn, ms) {
      const t = setInterval(fn, ms);
      t.unref?.();
      return { cancel: () => clearInterval(t) };
    },
  };
}

/** A clock that moves only when told to; timers fire during `advance`. */
export interface FakeClock extends Clock {
  advance(ms: number): void;
}

/** A manual clock for tests, starting at `startMs`. */
export function createFakeClock(startMs = 1_700_000_000_000): FakeClock {
  let now = startMs;
  let seq = 0;
  const timers = new Map<number, { at: number; every: number; fn: () => void }>();
  const add = (fn: () => void, ms: number, every: number): Timer => {
    const id = ++seq;
    timers.set(id, { at: now + ms, every, fn });
    return { cancel: () => timers.delete(id) };
  };
  return {
    now: () => now,
    setTimeout: (fn, ms) => add(fn, ms, 0),
    setInterval: (fn, ms) => add(fn, ms, Math.max(1, ms)),
    advance(ms) {
      const target = now + ms;
      for (;;) {
        let nextId = -1;
        let nextAt = Infinity;
        for (const [id, t] of timers) {
          if (t.at > target || t.at >= nextAt) continue;
          nextId = id;
          nextAt = t.at;
        }
        const t = timers.get(nextId);
        if (!t) break;
        now = t.at;
        if (t.every > 0) t.at += t.every;
        else timers.delete(nextId);
        t.fn();
      }
      now = target;
    },
  };
}
