/** Health of an exporter from the collector's counters (since the service started). */
import type { ExporterSummary } from '../pipeline/exporter-table.ts';

/** ok: sending, little loss; degraded: sequence gaps above LOSS_DEGRADED or data without templates; silent: nothing lately. */
export type ExporterStatus = 'ok' | 'degraded' | 'silent';

/** Nothing for this long: silent (exporters send at least every active timeout, 1-5 minutes). */
export const SILENT_AFTER_MS = 5 * 60_000;
/** Share of records lost (sequence gaps) from which an exporter is degraded. */
export const LOSS_DEGRADED = 0.01;

/** The health of one exporter. */
export interface ExporterHealth {
  status: ExporterStatus;
  /** Records lost / (received + lost). */
  lossRatio: number;
  silentForMs: number;
}

/** Health at `nowMs`. */
export function exporterHealth(e: ExporterSummary, nowMs: number): ExporterHealth {
  const seen = e.records + e.lostRecords;
  const lossRatio = seen === 0 ? 0 : e.lostRecords / seen;
  const silentForMs = Math.max(0, nowMs - e.lastSeenMs);
  const status: ExporterStatus =
    silentForMs > SILENT_AFTER_MS
      ? 'silent'
      : lossRatio > LOSS_DEGRADED || e.templateMisses > 0
        ? 'degraded'
        : 'ok';
  return { status, lossRatio, silentForMs };
}

/** JSON schema of ExporterHealth. */
export const exporterHealthSchema = {
  type: 'object',
  required: ['status', 'lossRatio', 'silentForMs'],
  properties: {
    status: { type: 'string', enum: ['ok', 'degraded', 'silent'] },
    lossRatio: { type: 'number' },
    silentForMs: { type: 'integer' },
  },
} as const;
