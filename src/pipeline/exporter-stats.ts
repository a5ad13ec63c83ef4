import type { DecodeErrorKind, DecodeOutput, ExportFormat } from '../decode/index.ts';

/** Counts for one exporter and format since the last report (deltas). */
export interface ExporterDelta {
  exporter: string;
  type: ExportFormat | 'unknown';
  datagrams: number;
  records: number;
  bytes: number;
  packets: number;
  lostRecords: number;
  lostDatagrams: number;
  errors: Partial<Record<DecodeErrorKind, number>>;
  lastSeenMs: number;
}

/**
 * Per-exporter statistics kept by a decode worker and reported as deltas, so
 * the receiving thread can add them to monotonic Prometheus counters.
 */
export class ExporterStats {
  private deltas = new Map<string, ExporterDelta>();

  private entry(exporter: string, type: ExporterDelta['type'], nowMs: number): ExporterDelta {
    const key = `${type}|${exporter}`;
    let d = this.deltas.get(key);
    if (!d) {
      d = {
        exporter,
        type,
        datagrams: 0,
        records: 0,
        bytes: 0,
        packets: 0,
        lostRecords: 0,
        lostDatagrams: 0,
        errors: {},
        lastSeenMs: nowMs,
      };
      this.deltas.set(key, d);
    }
    d.lastSeenMs = nowMs;
    return d;
  }

  /** Adds the outcome of one datagram. */
  addDatagram(exporter: string, format: ExportFormat | undefined, out: DecodeOutput, nowMs: number): void {
    const d = this.entry(exporter, format ?? 'unknown', nowMs);
    d.datagrams++;
    d.records += out.records.length;
    for (const r of out.records) {
      d.bytes += r.bytes;
      d.packets += r.packets;
    }
    d.lostRecords += out.lostRecords ?? 0;
    d.lostDatagrams += out.lostDatagrams ?? 0;
    this.addErrors(d, out.errors);
  }

  /** Adds held data that expired without its template (found outside any datagram). */
  addExpired(byExporter: Map<string, number>): void {
    for (const [exporter, n] of byExporter) {
      const d = this.deltas.get(`unknown|${exporter}`) ?? this.entry(exporter, 'unknown', 0);
      d.errors.pending_expired = (d.errors.pending_expired ?? 0) + n;
    }
  }

  private addErrors(d: ExporterDelta, errors: DecodeOutput['errors']): void {
    for (const k in errors) {
      const kind = k as DecodeErrorKind;
      d.errors[kind] = (d.errors[kind] ?? 0) + (errors[kind] ?? 0);
    }
  }

  /** The deltas since the last call, and a fresh start. */
  drain(): ExporterDelta[] {
    const out = [...this.deltas.values()];
    this.deltas = new Map();
    return out;
  }
}
