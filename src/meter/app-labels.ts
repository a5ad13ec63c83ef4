/**
 * Application labels per flow: the PayloadInspector sees the first payload
 * packet of each direction, for UDP the second when the first told nothing, and,
 * while the inspector says a message is cut (`wantsMore`: a ClientHello or
 * HTTP header longer than a segment), the next ones joined to it, up to
 * `inspectPackets`. Labels are interned (a flow keeps a 16-bit index into `labels`,
 * 0 for none); the server name and JA4 of a flow, which are many and
 * different, live in a map by slot that the meter empties when the slot is
 * freed (`forget`).
 */
import type { PacketView } from '../decode/packet/index.ts';
import type { FlowColumns } from './flow-columns.ts';
import type { AppLabel, PayloadInspector, PayloadSample } from './payload-inspector.ts';

/** Indexes stay below this (0 = no label). */
const MAX_LABELS = 0xfffe;
/**
 * UDP payload packets of a direction inspected one by one while nothing is
 * found: each datagram is a message (an mDNS flow may start with a response
 * without a question). A TCP direction has one start: its first payload
 * (joined while cut) is all that message-start detectors can use.
 */
const UDP_TRIES = 2;
const TCP = 6;
/** A cut message is joined up to this (a TLS record is at most 16 KB, RFC 8446 §5.1). */
const MAX_JOINED_BYTES = 16 * 1024;

/** What a flow's inspection found besides its label. */
export interface FlowNames {
  serverName?: string;
  ja4?: string;
}

export interface AppLabeler {
  /** Label i is `labels[i - 1]`. */
  readonly labels: readonly AppLabel[];
  /** Shows the payload of the packet in `v` (from `frame`) to the inspector while slot `s` has no label. */
  inspect(c: FlowColumns, s: number, d: number, v: PacketView, frame: Uint8Array): void;
  /** The server name and JA4 found for slot `s`, if any. */
  names(s: number): FlowNames | undefined;
  /** Slot `s` is freed. */
  forget(s: number): void;
  /** Every slot is freed. */
  clear(): void;
}

export function createAppLabeler(
  inspector: PayloadInspector,
  payloadBytes: number,
  inspectPackets: number,
): AppLabeler {
  const labels: AppLabel[] = [];
  const index = new Map<string, number>();
  const names = new Map<number, FlowNames>();
  /** Payload so far of a direction (slot * 2 + d) whose message goes on (`wantsMore`). */
  const pending = new Map<number, Uint8Array>();
  /** The one sample handed to the inspector, refilled for each payload (PayloadSample: valid during the call). */
  const sample: PayloadSample = {
    proto: 0,
    srcPort: 0,
    dstPort: 0,
    fromInitiator: false,
    payload: new Uint8Array(0),
  };
  const wantsMore = inspector.wantsMore?.bind(inspector);
  const mayMatch = inspector.mayMatch?.bind(inspector);
  const intern = (l: AppLabel): number => {
    const k = `${l.appProto}\u0000${l.appCategory ?? ''}`;
    let i = index.get(k);
    if (i === undefined && labels.length < MAX_LABELS) {
      labels.push({
        appProto: l.appProto,
        ...(l.appCategory === undefined ? {} : { appCategory: l.appCategory }),
      });
      i = labels.length;
      index.set(k, i);
    }
    return i ?? 0;
  };
  const label = (c: FlowColumns, s: number, l: AppLabel): void => {
    c.appLabel[s] = intern(l);
    if (l.serverName !== undefined || l.ja4 !== undefined) {
      const n: FlowNames = {};
      if (l.serverName !== undefined) n.serverName = l.serverName;
      if (l.ja4 !== undefined) n.ja4 = l.ja4;
      names.set(s, n);
    }
  };
  return {
    labels,
    inspect(c, s, d, v, frame) {
      const i = s * 2 + d;
      const seen = c.inspected[i]!;
      if (c.appLabel[s] !== 0 || seen >= inspectPackets || v.payloadCaptured === 0) return;
      c.inspected[i] = seen + 1;
      const before = seen > 0 && pending.size > 0 ? pending.get(i) : undefined;
      // A message going on (`before`) was let through already; a new one may be turned away at once.
      const length = Math.min(v.payloadCaptured, payloadBytes);
      if (!before && mayMatch && !mayMatch(v.proto, v.srcPort, v.dstPort, frame, v.payloadOffset, length)) {
        if (v.proto === TCP || seen + 1 >= UDP_TRIES) c.inspected[i] = inspectPackets; // as when nothing is found
        return;
      }
      let payload = frame.subarray(v.payloadOffset, v.payloadOffset + length);
      if (before) {
        const joined = new Uint8Array(Math.min(before.length + payload.length, MAX_JOINED_BYTES));
        joined.set(before);
        joined.set(payload.subarray(0, joined.length - before.length), before.length);
        payload = joined;
        pending.delete(i);
      }
      sample.proto = v.proto;
      sample.srcPort = v.srcPort;
      sample.dstPort = v.dstPort;
      sample.fromInitiator = d === 0;
      sample.payload = payload;
      const l = inspector.inspect(sample);
      const last = seen + 1 >= inspectPackets || payload.length >= MAX_JOINED_BYTES;
      // A label without a name from a cut message (a ClientHello before its SNI) waits for the rest.
      if (!last && l?.serverName === undefined && wantsMore?.(sample) === true) {
        pending.set(i, before ? payload : payload.slice());
        return;
      }
      if (l) label(c, s, l);
      // Nothing found and nothing cut: for UDP, the next datagram may tell (see UDP_TRIES).
      else if (v.proto === TCP || seen + 1 >= UDP_TRIES) c.inspected[i] = inspectPackets;
    },
    names: (s) => (names.size === 0 ? undefined : names.get(s)),
    forget(s) {
      if (names.size > 0) names.delete(s);
      if (pending.size > 0) {
        pending.delete(s * 2);
        pending.delete(s * 2 + 1);
      }
    },
    clear() {
      names.clear();
      pending.clear();
    },
  };
}
