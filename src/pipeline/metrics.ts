import { Counter, Gauge, type Registry } from 'prom-client';
import type { ExporterDelta } from './exporter-stats.ts';

/**
 * The collector's and pipeline's metrics (contracts.md names). Exporter labels
 * are bounded: past `maxExporters` distinct exporters, new ones share the
 * label "other".
 */
export function createCollectorMetrics(registry: Registry, maxExporters = 1000) {
  const registers = [registry];
  /** Kernel receive-buffer drops, read at scrape time (set by the collector once its sockets are bound). */
  let socketDrops: (() => Promise<number>) | undefined;
  let lastSocketDrops = 0;
  const m = {
    datagrams: new Counter({
      name: 'flowlens_collector_datagrams_total',
      help: 'Datagrams received and decoded, by exporter and format.',
      labelNames: ['exporter', 'type'],
      registers,
    }),
    records: new Counter({
      name: 'flowlens_collector_records_total',
      help: 'Flow records decoded, by exporter and format.',
      labelNames: ['exporter', 'type'],
      registers,
    }),
    errors: new Counter({
      name: 'flowlens_collector_errors_total',
      help: 'Malformed or undecodable input, by exporter and kind.',
      labelNames: ['exporter', 'kind'],
      registers,
    }),
    lostRecords: new Counter({
      name: 'flowlens_collector_sequence_lost_records_total',
      help: 'Records the exporter sent that never arrived (sequence gaps).',
      labelNames: ['exporter', 'type'],
      registers,
    }),
    lostDatagrams: new Counter({
      name: 'flowlens_collector_sequence_lost_datagrams_total',
      help: 'Datagrams the exporter sent that never arrived (NetFlow v9 / sFlow sequence gaps).',
      labelNames: ['exporter', 'type'],
      registers,
    }),
    recordBytes: new Counter({
      name: 'flowlens_collector_record_bytes_total',
      help: 'Sum of the bytes field of decoded records, not scaled by sampling.',
      labelNames: ['exporter', 'type'],
      registers,
    }),
    recordPackets: new Counter({
      name: 'flowlens_collector_record_packets_total',
      help: 'Sum of the packets field of decoded records, not scaled by sampling.',
      labelNames: ['exporter', 'type'],
      registers,
    }),
    lastSeen: new Gauge({
      name: 'flowlens_collector_exporter_last_seen_seconds',
      help: 'When the exporter last sent a datagram (Unix time).',
      labelNames: ['exporter'],
      registers,
    }),
    templates: new Gauge({
      name: 'flowlens_collector_templates',
      help: 'NetFlow v9 / IPFIX templates known.',
      registers,
    }),
    pending: new Gauge({
      name: 'flowlens_collector_pending_datasets',
      help: 'Data sets held while waiting for their template.',
      registers,
    }),
    dropped: new Counter({
      name: 'flowlens_pipeline_dropped_total',
      help: 'Items dropped by a pipeline stage, by stage and reason (receive/socket_buffer: datagrams the kernel dropped).',
      labelNames: ['stage', 'reason'],
      registers,
      async collect() {
        if (!socketDrops) return;
        const now = await socketDrops();
        if (now > lastSocketDrops)
          this.inc({ stage: 'receive', reason: 'socket_buffer' }, now - lastSocketDrops);
        lastSocketDrops = Math.max(lastSocketDrops, now);
      },
    }),
    queued: new Gauge({
      name: 'flowlens_pipeline_queued_batches',
      help: 'Batches waiting for a decode worker.',
      labelNames: ['worker'],
      registers,
    }),
    batches: new Counter({
      name: 'flowlens_pipeline_batches_total',
      help: 'Batches handed to decode workers.',
      labelNames: ['worker'],
      registers,
    }),
    received: new Counter({
      name: 'flowlens_collector_received_bytes_total',
      help: 'UDP payload bytes received, by listener.',
      labelNames: ['listener'],
      registers,
    }),
  };
  const known = new Set<string>();
  const label = (exporter: string): string => {
    if (known.has(exporter)) return exporter;
    if (known.size >= maxExporters) return 'other';
    known.add(exporter);
    return exporter;
  };
  return {
    ...m,
    /** Where kernel socket drops are read from (a monotonic count). */
    setSocketDropsSource(fn: () => Promise<number>): void {
      socketDrops = fn;
    },
    /** Adds a worker's deltas to the counters. */
    apply(deltas: ExporterDelta[]): void {
      for (const d of deltas) {
        const exporter = label(d.exporter);
        const l = { exporter, type: d.type };
        if (d.datagrams) m.datagrams.inc(l, d.datagrams);
        if (d.records) m.records.inc(l, d.records);
        if (d.bytes) m.recordBytes.inc(l, d.bytes);
        if (d.packets) m.recordPackets.inc(l, d.packets);
        if (d.lostRecords) m.lostRecords.inc(l, d.lostRecords);
        if (d.lostDatagrams) m.lostDatagrams.inc(l, d.lostDatagrams);
        for (const [kind, n] of Object.entries(d.errors)) if (n) m.errors.inc({ exporter, kind }, n);
        if (d.datagrams) m.lastSeen.set({ exporter }, Math.floor(d.lastSeenMs / 1000));
      }
    },
  };
}

/** The collector metrics object. */
export type CollectorMetrics = ReturnType<typeof createCollectorMetrics>;
