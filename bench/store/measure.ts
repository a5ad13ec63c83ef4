/** Wall and CPU time of a measured stretch, as rates. */

/** What a phase did and what it cost. */
export interface PhaseResult {
  name: string;
  rows: number;
  wallS: number;
  /** CPU seconds of the threads that did the work (see each phase). */
  cpuS: number;
  note: string;
}

/** CPU seconds of this thread so far (user + system). */
export function threadCpuS(): number {
  const u = process.threadCpuUsage();
  return (u.user + u.system) / 1e6;
}

/** CPU seconds of the whole process so far (every thread, including DuckDB's). */
export function processCpuS(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

const fmt = (n: number): string => Math.round(n).toLocaleString('en');

/** The results as a Markdown table: rows/s by wall clock and per CPU-second. */
export function formatTable(results: readonly PhaseResult[]): string {
  const lines = [
    '| phase | rows | wall s | rows/s (wall) | CPU s | rows per CPU-s | note |',
    '| --- | ---: | ---: | ---: | ---: | ---: | --- |',
  ];
  for (const r of results)
    lines.push(
      `| ${r.name} | ${fmt(r.rows)} | ${r.wallS.toFixed(2)} | ${fmt(r.rows / r.wallS)} | ` +
        `${r.cpuS.toFixed(2)} | ${fmt(r.rows / r.cpuS)} | ${r.note} |`,
    );
  return lines.join('\n');
}
