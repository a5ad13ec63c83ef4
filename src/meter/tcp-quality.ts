/**
 * TCP quality per flow, following Wireshark's sequence analysis
 * (epan/dissectors/packet-tcp.c, tcp_analyze_sequence_number) so that counts
 * agree with `tcp.analysis.*` on the same packets: retransmissions (including
 * fast and spurious ones, which Wireshark also flags as retransmissions),
 * out-of-order segments, lost segments ("previous segment not captured") and
 * zero windows. The state is a few numbers per direction in the columns.
 */
import type { PacketView } from '../decode/packet/index.ts';
import type { FlowColumns } from './flow-columns.ts';

const FIN = 0x01;
const SYN = 0x02;
const RST = 0x04;
const ACK = 0x10;
const KEEP_ALIVE = 1;
const ZERO_WINDOW_PROBE = 2;
/** Wireshark: a retransmission within 20 ms of the second duplicate ACK is a fast one. */
const FAST_RETRANSMISSION_MS = 20;
/** Wireshark's out-of-order window before the handshake RTT is known. */
const OUT_OF_ORDER_DEFAULT_MS = 3;
const Q_RETRANS = 0;
const Q_OOO = 1;
const Q_LOST = 2;
const Q_ZERO_WINDOW = 3;
/** Window value that no packet carries: "not seen yet". */
export const WINDOW_UNKNOWN = 0xffffffff;

/** seq comparison modulo 2^32 (RFC 9293 §3.4). */
function gtSeq(a: number, b: number): boolean {
  return ((a - b) | 0) > 0;
}

/** Updates handshake times: most recent SYN, its SYN/ACK, and the first ACK after them. */
export function trackHandshake(c: FlowColumns, slot: number, flags: number, tsMs: number): void {
  const h = slot * 3;
  const synAck = flags & (SYN | ACK);
  if (synAck === SYN) {
    c.handshake[h] = tsMs;
    c.handshake[h + 1] = 0;
    c.handshake[h + 2] = 0;
  } else if (synAck === (SYN | ACK)) {
    if (c.handshake[h]! > 0) c.handshake[h + 1] = tsMs;
  } else if (synAck === ACK && c.handshake[h]! > 0 && c.handshake[h + 2] === 0) {
    c.handshake[h + 2] = tsMs;
  }
}

/** Analyses one TCP segment sent in direction `d` (0 initiator -> responder, 1 back). */
export function analyseSegment(c: FlowColumns, slot: number, d: number, v: PacketView, tsMs: number): void {
  const fi = slot * 2 + d;
  const ri = slot * 2 + (1 - d);
  const q = slot * 4;
  const seq = v.seq;
  const ack = v.ack;
  const win = v.window;
  const flags = v.tcpFlags;
  const seglen = v.payloadLength;
  const fNext = c.nextSeq[fi]!;
  let marks = 0;
  let skipRest = false;
  if (seglen === 1 && seq === fNext && c.window[ri] === 0) {
    marks |= ZERO_WINDOW_PROBE;
    skipRest = true;
  }
  if (!skipRest) {
    if (win === 0 && (flags & (RST | FIN | SYN)) === 0) c.quality[q + Q_ZERO_WINDOW]!++;
    if (fNext !== 0 && gtSeq(seq, fNext) && (flags & RST) === 0) c.quality[q + Q_LOST]!++;
    const plain = (flags & (SYN | FIN | RST)) === 0;
    if (seglen <= 1 && seq === (fNext - 1) >>> 0 && plain) marks |= KEEP_ALIVE;
    const repeats = seglen === 0 && plain && seq === fNext && ack === c.lastAck[fi] && win === c.window[fi];
    if (repeats && (c.lastSegment[ri]! & (KEEP_ALIVE | ZERO_WINDOW_PROBE)) !== 0) {
      // keep-alive ACK or zero-window-probe ACK: not a duplicate ACK
    } else if (repeats && win !== 0) c.dupAcks[fi]!++;
  }
  if (ack !== c.lastAck[fi]) c.dupAcks[fi] = 0;
  if ((seglen > 0 || (flags & (SYN | FIN)) !== 0) && (marks & KEEP_ALIVE) === 0)
    classifyResend(c, slot, fi, ri, v, tsMs);
  let next = (seq + seglen) >>> 0;
  if ((seglen > 0 || (flags & (SYN | FIN)) !== 0) && (flags & (SYN | FIN)) !== 0) next = (next + 1) >>> 0;
  if ((gtSeq(next, fNext) || fNext === 0) && (marks & ZERO_WINDOW_PROBE) === 0) {
    c.nextSeq[fi] = next;
    c.nextSeqTime[fi] = tsMs;
  }
  c.window[fi] = win;
  c.lastAck[fi] = ack;
  c.lastAckTime[fi] = tsMs;
  c.lastSegment[fi] = marks;
}

/**
 * A segment with data (or SYN/FIN): spurious, fast or plain retransmission,
 * out of order, or new data. Wireshark's order and conditions: spurious
 * first (everything in it was acknowledged already; needs no sequence gap),
 * then, for a segment that does not advance the sequence, fast (>= 2
 * duplicate ACKs for it, within 20 ms), out of order (soon after the highest
 * segment and not its exact resend: SYN and FIN count one), else plain.
 */
function classifyResend(
  c: FlowColumns,
  slot: number,
  fi: number,
  ri: number,
  v: PacketView,
  tsMs: number,
): void {
  const q = slot * 4;
  const seq = v.seq;
  const seglen = v.payloadLength;
  const fNext = c.nextSeq[fi]!;
  // A segment starting one below nextseq after a zero-window probe brings new data.
  const notAdvanced = fNext !== 0 && gtSeq(fNext, seq) && !(seglen > 1 && (fNext - 1) >>> 0 === seq);
  const revAck = c.lastAck[ri]!;
  if (seglen > 0 && revAck !== 0 && !gtSeq((seq + seglen) >>> 0, revAck)) {
    c.quality[q + Q_RETRANS]!++; // spurious
    return;
  }
  if (!notAdvanced) return;
  if (c.dupAcks[ri]! >= 2 && revAck === seq && tsMs - c.lastAckTime[ri]! < FAST_RETRANSMISSION_MS) {
    c.quality[q + Q_RETRANS]!++; // fast
    return;
  }
  const h = slot * 3;
  const firstRtt = c.handshake[h + 2]! > 0 ? c.handshake[h + 2]! - c.handshake[h]! : 0;
  const threshold = firstRtt > 0 ? firstRtt : OUT_OF_ORDER_DEFAULT_MS;
  const end = (seq + seglen + ((v.tcpFlags & (SYN | FIN)) !== 0 ? 1 : 0)) >>> 0;
  if (tsMs - c.nextSeqTime[fi]! < threshold && fNext !== end) {
    c.quality[q + Q_OOO]!++;
    return;
  }
  c.quality[q + Q_RETRANS]!++;
}
