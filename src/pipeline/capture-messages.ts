import type { InterfaceCaptureStats } from '../ingest/capture/index.ts';
import type { LiveDelta } from '../live/index.ts';
import type { MeterStats } from '../meter/index.ts';

/** Interface and meter counters of the capture worker. */
export interface CaptureStats {
  interfaces: InterfaceCaptureStats[];
  meters: (MeterStats & { name: string })[];
}

/** Main thread -> capture worker. */
export type ToCaptureWorker = { t: 'live'; enabled: boolean } | { t: 'stop' };

/** Capture worker -> main thread. */
export type FromCaptureWorker =
  | { t: 'ready' }
  | { t: 'stats'; stats: CaptureStats }
  | { t: 'live'; delta: LiveDelta }
  | { t: 'stopped' }
  | { t: 'log'; level: 'warn' | 'error'; msg: string; fields: Record<string, unknown> };
