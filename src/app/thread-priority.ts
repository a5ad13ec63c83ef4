/**
 * Ingest yields the CPU to the API. The decode, capture and store workers,
 * libuv's thread pool (where DuckDB runs) and DuckDB's own threads get a
 * higher nice value than the main thread, which answers HTTP and receives
 * datagrams: when both want a core, the kernel's scheduler runs the main
 * thread first, so request latency does not follow the ingest load, while
 * ingest still gets every cycle the API leaves (socket buffers absorb the
 * short waits). On Linux the nice value is per thread (setpriority(2),
 * NOTES), so threads are found by name under /proc/self/task and reniced one
 * by one; threads started later (a DuckDB thread, a new worker) are picked up
 * by the next scan. Raising a nice value needs no privilege.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';

/** Thread names (comm) of ingest work: Node's worker threads and libuv's pool (DuckDB's threads inherit its name). */
const INGEST_THREADS = new Set(['WorkerThread', 'libuv-worker']);
const RESCAN_MS = 2000;

/** Renices the ingest threads found now; returns how many were changed. */
export function lowerIngestThreads(nice: number): number {
  let changed = 0;
  let tids: string[];
  try {
    tids = readdirSync('/proc/self/task');
  } catch {
    return 0; // not Linux
  }
  for (const tid of tids) {
    try {
      const comm = readFileSync(`/proc/self/task/${tid}/comm`, 'latin1').trim();
      if (!INGEST_THREADS.has(comm)) continue;
      const id = Number(tid);
      if (getPriority(id) >= nice) continue;
      setPriority(id, nice);
      changed++;
    } catch {
      // the thread ended between the listing and here
    }
  }
  return changed;
}

/** Keeps ingest threads at `nice` (0 does nothing); the returned function stops it. */
export function keepIngestThreadsNiced(nice: number): () => void {
  if (nice <= 0) return () => {};
  lowerIngestThreads(nice);
  const timer = setInterval(() => lowerIngestThreads(nice), RESCAN_MS);
  timer.unref();
  return () => clearInterval(timer);
}
