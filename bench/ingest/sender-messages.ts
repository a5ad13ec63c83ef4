/** Messages between the runner and its sender worker threads (sender-worker.ts). */
import type { Protocol } from './export-stream.ts';

/** What a sender worker is given at start (workerData). */
export interface SenderInit {
  protocol: Protocol;
  port: number;
  /** Source id / observation domain of this sender's stream. */
  domain: number;
  seed: number;
  ringDatagrams: number;
  maxDatagramBytes: number;
  /** Flows per second for this sender; 0 sends as fast as it can. */
  flowsPerSec: number;
  durationMs: number;
  /** The template is sent first, then again this often. */
  templateIntervalMs: number;
  /** Wait after the first template before data, so the collector knows it. */
  templateLeadMs: number;
  nowMs: number;
}

/** What a sender worker reports when done. */
export interface SenderResult {
  flowsPerDatagram: number;
  datagramBytes: number;
  dataDatagrams: number;
  templateDatagrams: number;
  /** Data datagrams whose send failed (counted, not in `flows`). */
  sendErrors: number;
  flows: number;
  /** Wall time of the data phase, first to last data datagram. */
  elapsedMs: number;
  /** Event-loop utilisation of the sender thread (≈ its CPU share) during the data phase. */
  busy: number;
}

export type FromSender = { t: 'ready' } | { t: 'done'; result: SenderResult };
export type ToSender = { t: 'start' };
