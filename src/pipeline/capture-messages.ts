import type { InterfaceCaptureStats } from '../ingest/capture/index.ts';
import type { LiveDelta } from '../live/index.ts';
import type { MeterStats, SnoopEvent } from '../meter/index.ts';

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
  /** DHCP, mDNS and SSDP packets the meters saw, for device discovery (bounded per report). */
  | { t: 'snoop'; events: SnoopEvent[]; dropped: number }
  | { t: 'stopped' }
  | { t: 'log'; level: 'warn' | 'error'; msg: string; fields: Record<string, unknown> };
