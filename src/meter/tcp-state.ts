/**
 * TCP connection state the meter acts on: handshake times and sequence
 * analysis (tcp-quality.ts), and closing: after an RST or a FIN each way the
 * flow lingers `tcpClosedTimeoutMs` for stray packets, then is exported.
 */
import type { PacketView } from '../decode/packet/index.ts';
import { FLAG_CLOSED, FLAG_FIN_INITIATOR, FLAG_RST, type FlowColumns } from './flow-columns.ts';
import { analyseSegment, trackHandshake } from './tcp-quality.ts';

const FIN = 0x01;
const RST = 0x04;

/** Updates the TCP state of slot `s`; true when this packet closed the connection. */
export function updateTcp(c: FlowColumns, s: number, d: number, v: PacketView, tsMs: number): boolean {
  trackHandshake(c, s, v.tcpFlags, tsMs);
  analyseSegment(c, s, d, v, tsMs);
  const before = c.state[s]!;
  let state = before;
  if (v.tcpFlags & FIN) state |= FLAG_FIN_INITIATOR << d;
  if (v.tcpFlags & RST) state |= FLAG_RST;
  if ((state & FLAG_RST) !== 0 || (state & 3) === 3) state |= FLAG_CLOSED;
  c.state[s] = state;
  return (before & FLAG_CLOSED) === 0 && (state & FLAG_CLOSED) !== 0;
}

/** Closed flows in closing order (packet time only grows, so the head is the oldest). */
export interface ClosingQueue {
  add(slot: number, gen: number, tsMs: number): void;
  /** The next slot closed at or before `closedBeforeMs` and still the same flow (generation), or -1. */
  due(closedBeforeMs: number, flowGens: Uint32Array): number;
  /** Closing time of the oldest entry (Infinity when empty). */
  nextTime(): number;
  clear(): void;
}

export function createClosingQueue(capacity: number): ClosingQueue {
  const slots = new Int32Array(capacity);
  const gens = new Uint32Array(capacity);
  const times = new Float64Array(capacity);
  let head = 0;
  let count = 0;
  return {
    add(slot, gen, tsMs) {
      if (count === capacity) {
        // Full: the oldest entry is dropped; its flow then ends by the idle timeout instead.
        head = (head + 1) % capacity;
        count--;
      }
      const i = (head + count) % capacity;
      slots[i] = slot;
      gens[i] = gen;
      times[i] = tsMs;
      count++;
    },
    due(closedBeforeMs, flowGens) {
      while (count > 0 && times[head]! <= closedBeforeMs) {
        const s = slots[head]!;
        const live = flowGens[s] === gens[head];
        head = (head + 1) % capacity;
        count--;
        if (live) return s;
      }
      return -1;
    },
    nextTime: () => (count > 0 ? times[head]! : Infinity),
    clear() {
      head = 0;
      count = 0;
    },
  };
}
