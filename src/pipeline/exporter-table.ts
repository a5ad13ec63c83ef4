import type { DecodeErrorKind } from '../decode/index.ts';
import type { ExporterDelta } from './exporter-stats.ts';

/** Everything the collector knows about one exporter, summed since start. */
export interface ExporterSummary {
  exporter: string;
  types: string[];
  datagrams: number;
  records: number;
  lostRecords: number;
  lostDatagrams: number;
  templateMisses: number;
  errors: Partial<Record<DecodeErrorKind, number>>;
  lastSeenMs: number;
}

/** Sums workers' deltas per exporter, bounded to `max` exporters (oldest seen evicted). */
export function createExporterTable(max = 10_000) {
  const table = new Map<string, ExporterSummary>();
  return {
    apply(deltas: ExporterDelta[]): void {
      for (const d of deltas) {
        let s = table.get(d.exporter);
        if (!s) {
          if (table.size >= max) evictOldest(table);
          s = {
            exporter: d.exporter,
            types: [],
            datagrams: 0,
            records: 0,
            lostRecords: 0,
            lostDatagrams: 0,
            templateMisses: 0,
            errors: {},
            lastSeenMs: 0,
          };
          table.set(d.exporter, s);
        }
        if (d.type !== 'unknown' && !s.types.includes(d.type)) s.types.push(d.type);
        s.datagrams += d.datagrams;
        s.records += d.records;
        s.lostRecords += d.lostRecords;
        s.lostDatagrams += d.lostDatagrams;
        s.templateMisses += d.errors.template_missing ?? 0;
        for (const [k, n] of Object.entries(d.errors))
          s.errors[k as DecodeErrorKind] = (s.errors[k as DecodeErrorKind] ?? 0) + n;
        s.lastSeenMs = Math.max(s.lastSeenMs, d.lastSeenMs);
      }
    },
    list(): ExporterSummary[] {
      return [...table.values()].sort((a, b) => b.datagrams - a.datagrams);
    },
  };
}

function evictOldest(table: Map<string, ExporterSummary>): void {
  let oldest: ExporterSummary | undefined;
  for (const s of table.values()) if (!oldest || s.lastSeenMs < oldest.lastSeenMs) oldest = s;
  if (oldest) table.delete(oldest.exporter);
}
