/**
 * Data sets that arrived before their template: held (a copy of the set body
 * and what is needed to resolve its times), bounded per exporter by count and
 * age, and decoded when the template arrives.
 */
import { countError, type DecodeOutput } from '../result.ts';
import type { ExporterState } from './template-registry.ts';

/** One held data set. */
export interface PendingSet {
  version: number;
  domain: number;
  templateId: number;
  /** A copy of the set's records (without the set header). */
  body: Uint8Array;
  receivedMs: number;
  /** Header export time (epoch ms) and, for v9, sysUptime (ms). */
  exportMs: number;
  sysUptimeMs: number;
}

/** Holds a set; evicts the oldest beyond `max` (counted 'pending_expired'). */
export function holdSet(ex: ExporterState, set: PendingSet, max: number, out: DecodeOutput): void {
  countError(out.errors, 'template_missing');
  ex.pending.push(set);
  while (ex.pending.length > max) {
    ex.pending.shift();
    countError(out.errors, 'pending_expired');
  }
}

/** Drops held sets received more than `holdMs` before `nowMs`; returns how many. */
export function expirePending(ex: ExporterState, nowMs: number, holdMs: number): number {
  const before = ex.pending.length;
  if (before === 0) return 0;
  // Held sets are in arrival order, but clocks given by callers may jump: filter, not shift.
  ex.pending = ex.pending.filter((p) => nowMs - p.receivedMs <= holdMs);
  return before - ex.pending.length;
}

/** Removes and returns the held sets of (version, domain) whose template id is in `ids`. */
export function takePending(
  ex: ExporterState,
  version: number,
  domain: number,
  ids: Set<number>,
): PendingSet[] {
  const taken: PendingSet[] = [];
  const kept: PendingSet[] = [];
  for (const p of ex.pending) {
    if (p.version === version && p.domain === domain && ids.has(p.templateId)) taken.push(p);
    else kept.push(p);
  }
  if (taken.length > 0) ex.pending = kept;
  return taken;
}
