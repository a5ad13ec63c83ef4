/** Data hooks: an API GET bound to its parameters, re-run when they change or on an interval. */
import { useEffect, useRef, useState } from 'react';
import { apiGet, type Params } from './api.ts';

/** The state of a request. */
export interface Loaded<T> {
  data: T | undefined;
  error: Error | undefined;
  loading: boolean;
  reload: () => void;
}

/** Answers fetched ahead (the next page), by request key; used once, and only while fresh. */
const prefetched = new Map<string, { atMs: number; data: unknown }>();
const inFlight = new Set<string>();
const PREFETCH_FRESH_MS = 30_000;
const PREFETCH_MAX = 8;

/** Fetches what `useApi(path, params)` will ask for next, so it shows at once (paging). */
export function prefetch(path: string, params: Params): void {
  const key = path + JSON.stringify(params);
  if (prefetched.has(key) || inFlight.has(key)) return;
  inFlight.add(key);
  apiGet<unknown>(path, params).then(
    (data) => {
      inFlight.delete(key);
      if (prefetched.size >= PREFETCH_MAX) prefetched.delete(prefetched.keys().next().value!);
      prefetched.set(key, { atMs: Date.now(), data });
    },
    () => inFlight.delete(key),
  );
}

function takePrefetched(key: string): unknown {
  const hit = prefetched.get(key);
  prefetched.delete(key);
  return hit && Date.now() - hit.atMs < PREFETCH_FRESH_MS ? hit.data : undefined;
}

/** GET `path` with `params`; `refreshMs` polls; `enabled` false skips. */
export function useApi<T>(
  path: string,
  params: Params = {},
  opts: { refreshMs?: number; enabled?: boolean } = {},
): Loaded<T> {
  const key = path + JSON.stringify(params);
  const [state, setState] = useState<{ key: string; data?: T; error?: Error; loading: boolean }>({
    key,
    loading: true,
  });
  const [nonce, setNonce] = useState(0);
  const paramsRef = useRef(params);
  paramsRef.current = params;
  const enabled = opts.enabled ?? true;
  useEffect(() => {
    if (!enabled) return;
    const ctl = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const run = (): void => {
      setState((s) => ({ ...s, key, loading: true }));
      apiGet<T>(path, paramsRef.current, ctl.signal).then(
        (data) => {
          // A response for parameters that changed meanwhile must not overwrite the new ones'.
          if (ctl.signal.aborted) return;
          setState({ key, data, loading: false });
          if (opts.refreshMs) timer = setTimeout(run, opts.refreshMs);
        },
        (error: unknown) => {
          if (ctl.signal.aborted) return;
          setState((s) => ({ ...s, key, error: error as Error, loading: false }));
          if (opts.refreshMs) timer = setTimeout(run, opts.refreshMs * 2);
        },
      );
    };
    const ahead = takePrefetched(key) as T | undefined;
    if (ahead !== undefined) {
      setState({ key, data: ahead, loading: false });
      if (opts.refreshMs) timer = setTimeout(run, opts.refreshMs);
    } else run();
    return () => {
      ctl.abort();
      clearTimeout(timer);
    };
  }, [key, nonce, enabled, opts.refreshMs, path]);
  // Data of the previous parameters stays visible while the new ones load (no flicker).
  return {
    data: state.data,
    error: state.error,
    loading: state.loading,
    reload: () => setNonce((n) => n + 1),
  };
}

/** A value that follows `value` after `ms` without changes. */
export function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setV(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return v;
}
