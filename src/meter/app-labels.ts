/**
 * Application labels per flow: the PayloadInspector sees each direction's
 * first payload once, and the labels it returns are interned (a flow keeps a
 * 16-bit index into `labels`, 0 for none).
 */
import type { PacketView } from '../decode/packet/index.ts';
import { FLAG_INSPECTED_INITIATOR, type FlowColumns } from './flow-columns.ts';
import type { AppLabel, PayloadInspector } from './payload-inspector.ts';

/** Indexes stay below this (0 = no label). */
const MAX_LABELS = 0xfffe;

export interface AppLabeler {
  /** Label i is `labels[i - 1]`. */
  readonly labels: readonly AppLabel[];
  /** Shows the payload of the packet in `v` (from `frame`) to the inspector, once per direction of slot `s`. */
  inspect(c: FlowColumns, s: number, d: number, v: PacketView, frame: Uint8Array): void;
}

export function createAppLabeler(inspector: PayloadInspector, payloadBytes: number): AppLabeler {
  const labels: AppLabel[] = [];
  const index = new Map<string, number>();
  const intern = (l: AppLabel): number => {
    const k = `${l.appProto}\u0000${l.appCategory ?? ''}`;
    let i = index.get(k);
    if (i === undefined && labels.length < MAX_LABELS) {
      labels.push(l);
      i = labels.length;
      index.set(k, i);
    }
    return i ?? 0;
  };
  return {
    labels,
    inspect(c, s, d, v, frame) {
      const bit = FLAG_INSPECTED_INITIATOR << d;
      if ((c.state[s]! & bit) !== 0 || v.payloadCaptured === 0) return;
      c.state[s] = c.state[s]! | bit;
      if (c.appLabel[s] !== 0) return;
      const payload = frame.subarray(
        v.payloadOffset,
        v.payloadOffset + Math.min(v.payloadCaptured, payloadBytes),
      );
      const l = inspector.inspect({
        proto: v.proto,
        srcPort: v.srcPort,
        dstPort: v.dstPort,
        fromInitiator: d === 0,
        payload,
      });
      if (l) c.appLabel[s] = intern(l);
    },
  };
}
