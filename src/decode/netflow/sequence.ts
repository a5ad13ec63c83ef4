/**
 * Sequence-number gap accounting (v5 flow_sequence, v9 package sequence, IPFIX
 * sequence). Arithmetic is modulo 2^32. A jump backwards (reordering, exporter
 * restart) or forwards by more than MAX_SEQUENCE_GAP resets the expectation
 * instead of being reported as billions of lost records.
 */

/**
 * Largest forward jump still counted as loss. A restarted exporter or one
 * whose counter we never saw can land anywhere in 2^32; a million records (or
 * datagrams) lost between two consecutive datagrams is already implausible.
 */
export const MAX_SEQUENCE_GAP = 1_000_000;

/** How many were lost between the expected and the received number (0 when unknown or a reset). */
export function sequenceGap(expected: number, received: number): number {
  if (expected < 0) return 0;
  const gap = (received - expected) >>> 0;
  return gap > 0 && gap <= MAX_SEQUENCE_GAP ? gap : 0;
}

/** The number expected after `received` when `count` items came with it. */
export function nextSequence(received: number, count: number): number {
  return (received + count) >>> 0;
}
