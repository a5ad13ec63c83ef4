import type { FlowRecord } from '../schema/flow-record.ts';

/**
 * Why a datagram (or part of it) could not be decoded. Stable strings: they are
 * the `kind` label of `flowlens_collector_errors_total`.
 */
export type DecodeErrorKind =
  /** shorter than a header or a length field says */
  | 'truncated'
  /** not a NetFlow v5/v9, IPFIX or sFlow v5 datagram */
  | 'unknown_format'
  /** a header field is out of range (count, length, version) */
  | 'bad_header'
  /** a template or options template that cannot be used (zero/huge length, bad ids) */
  | 'bad_template'
  /** a data set whose template is not known (yet) — held, then decoded or expired */
  | 'template_missing'
  /** held data whose template never came within the hold time, or evicted to stay bounded */
  | 'pending_expired'
  /** a record or sample structure that is malformed */
  | 'bad_record'
  /** a bound was hit (templates per exporter, records per datagram, ...) */
  | 'limit_exceeded';

/** What decoding one datagram produced. */
export interface DecodeOutput {
  records: FlowRecord[];
  /** Counts by error kind; absent kinds are zero. */
  errors: Partial<Record<DecodeErrorKind, number>>;
  /**
   * Records the exporter says it sent but we never received, from sequence
   * numbers (v5 flow sequence, IPFIX sequence, sFlow sample sequence). NetFlow v9
   * numbers datagrams, not records: its gaps go to `lostDatagrams`.
   */
  lostRecords?: number;
  lostDatagrams?: number;
  /** Templates learnt from this datagram (NetFlow v9 / IPFIX), for statistics. */
  templates?: number;
}

/** Where a datagram came from: the exporter is its source address. */
export interface DatagramContext {
  exporter: string;
  /** When the datagram was received (epoch ms), used for hold/expiry. */
  receivedMs: number;
}

/** Add `n` to `errors[kind]`. */
export function countError(errors: DecodeOutput['errors'], kind: DecodeErrorKind, n = 1): void {
  errors[kind] = (errors[kind] ?? 0) + n;
}
