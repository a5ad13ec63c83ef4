/**
 * The flow table's storage: one typed array per field ("columns"), indexed by
 * flow slot (times the field's width), all views of one ArrayBuffer. Grown
 * up to the bound (flow-table.ts); memory follows the number of flows rather
 * than the capacity, as the buffer's untouched pages are never mapped.
 */

type Ctor =
  | Float64ArrayConstructor
  | Uint32ArrayConstructor
  | Int32ArrayConstructor
  | Uint16ArrayConstructor
  | Uint8ArrayConstructor;

/** Column name -> [element type, elements per flow]. Directional columns hold [initiator, responder]. */
const LAYOUT = {
  /** Canonical key: endpoint A address (4 words) then endpoint B (4 words). */
  keyAddr: [Uint32Array, 8],
  /** portA << 16 | portB, signed (flow-key.ts) */
  keyPorts: [Int32Array, 1],
  /** proto | family << 8 | outerFamily << 12 | tunnelType << 16 | initiatorIsB << 24 */
  keyMeta: [Uint32Array, 1],
  keyVlan: [Uint16Array, 1],
  keyScope: [Uint32Array, 1],
  hash: [Uint32Array, 1],
  gen: [Uint32Array, 1],
  /** FLAG_* bits */
  state: [Uint8Array, 1],
  bytes: [Float64Array, 2],
  packets: [Uint32Array, 2],
  first: [Float64Array, 1],
  last: [Float64Array, 1],
  tcpFlags: [Uint8Array, 2],
  tos: [Uint8Array, 1],
  icmp: [Uint16Array, 1],
  /** initiator's source and destination MAC, as 48-bit numbers */
  mac: [Float64Array, 2],
  /** vlan, outerVlan, etherType */
  l2: [Uint16Array, 3],
  mpls: [Uint32Array, 3],
  mplsCount: [Uint8Array, 1],
  tunnelId: [Uint32Array, 1],
  /** outer source then outer destination as the initiator's first packet had them */
  outerAddr: [Uint32Array, 8],
  /** TCP analysis per direction (Wireshark's tcp_analyze_sequence_number state) */
  nextSeq: [Uint32Array, 2],
  lastAck: [Uint32Array, 2],
  window: [Uint32Array, 2],
  dupAcks: [Uint16Array, 2],
  /** per direction: last segment was a keep-alive (1) / zero-window probe (2) */
  lastSegment: [Uint8Array, 2],
  nextSeqTime: [Float64Array, 2],
  lastAckTime: [Float64Array, 2],
  /** retransmissions, out-of-order, lost (previous segment not captured), zero windows */
  quality: [Uint32Array, 4],
  /** most recent SYN, SYN/ACK, and the first ACK after them */
  handshake: [Float64Array, 3],
  /** first request payload time, application response time (ms, -1 unknown) */
  app: [Float64Array, 2],
  appLabel: [Uint16Array, 1],
  /** payload packets shown to the inspector, per direction */
  inspected: [Uint8Array, 2],
  /** LRU list by last packet, and list by start (active timeout) */
  lruPrev: [Int32Array, 1],
  lruNext: [Int32Array, 1],
  agePrev: [Int32Array, 1],
  ageNext: [Int32Array, 1],
} as const satisfies Record<string, readonly [Ctor, number]>;

type Layout = typeof LAYOUT;
/** The columns, each the typed array its layout names. */
export type FlowColumns = { -readonly [K in keyof Layout]: InstanceType<Layout[K][0]> };

/** Bytes one flow slot takes in the columns (without the hash index). */
export const BYTES_PER_SLOT = Object.values(LAYOUT).reduce((n, [c, w]) => n + c.BYTES_PER_ELEMENT * w, 0);

/** Every column starts at a multiple of this in the buffer (a Float64Array's alignment). */
const COLUMN_ALIGN = 8;

/**
 * New columns for `capacity` slots, keeping the first slots of `old` when
 * given. Written out as one object literal on purpose: an object built by
 * adding 40 properties with computed names falls into V8's dictionary mode,
 * and every `cols.x` on the hot path becomes a hash lookup (measured: the
 * meter ran about a third slower).
 *
 * One buffer rather than one per column: the C library gives an allocation
 * this large fresh pages from the kernel, zero until touched. Forty
 * column-sized allocations mostly came from its heap instead, and were
 * cleared with memset, every page of the whole capacity touched up front
 * (on 1M packets: 75 M instructions and 1,800 page faults).
 */
export function allocateColumns(capacity: number, old?: FlowColumns): FlowColumns {
  const bytes = Object.values(LAYOUT).reduce(
    (n, [c, w]) => n + alignUp(capacity * w * c.BYTES_PER_ELEMENT),
    0,
  );
  const buffer = new ArrayBuffer(bytes);
  let at = 0;
  const col = <K extends keyof FlowColumns>(name: K): FlowColumns[K] => {
    const [ctor, width] = LAYOUT[name];
    const a = new ctor(buffer, at, capacity * width) as FlowColumns[K];
    at += alignUp(a.byteLength);
    if (old) a.set(old[name] as never);
    return a;
  };
  return {
    keyAddr: col('keyAddr'),
    keyPorts: col('keyPorts'),
    keyMeta: col('keyMeta'),
    keyVlan: col('keyVlan'),
    keyScope: col('keyScope'),
    hash: col('hash'),
    gen: col('gen'),
    state: col('state'),
    bytes: col('bytes'),
    packets: col('packets'),
    first: col('first'),
    last: col('last'),
    tcpFlags: col('tcpFlags'),
    tos: col('tos'),
    icmp: col('icmp'),
    mac: col('mac'),
    l2: col('l2'),
    mpls: col('mpls'),
    mplsCount: col('mplsCount'),
    tunnelId: col('tunnelId'),
    outerAddr: col('outerAddr'),
    nextSeq: col('nextSeq'),
    lastAck: col('lastAck'),
    window: col('window'),
    dupAcks: col('dupAcks'),
    lastSegment: col('lastSegment'),
    nextSeqTime: col('nextSeqTime'),
    lastAckTime: col('lastAckTime'),
    quality: col('quality'),
    handshake: col('handshake'),
    app: col('app'),
    appLabel: col('appLabel'),
    inspected: col('inspected'),
    lruPrev: col('lruPrev'),
    lruNext: col('lruNext'),
    agePrev: col('agePrev'),
    ageNext: col('ageNext'),
  };
}

/** state bits */
export const FLAG_FIN_INITIATOR = 1;
export const FLAG_FIN_RESPONDER = 2;
export const FLAG_RST = 4;
export const FLAG_CLOSED = 8;

/** The columns touchSlots maps (a list made once: Object.entries at every call allocated 2.5 KB). */
const TOUCHED_COLUMNS = (Object.keys(LAYOUT) as (keyof FlowColumns)[]).filter(
  (name) => name !== 'mpls' && name !== 'outerAddr',
);

/** Slots whose pages `touchSlots` maps at a time. */
export const TOUCH_SLOTS = 128;
const PAGE_BYTES = 4096;

/**
 * Writes a zero into every page that slots [from, to) take in each column,
 * slots no flow has used yet (still zero). The kernel maps a fresh page at
 * its first access: a read maps the shared zero page, and the write that
 * follows takes a second fault, a copy and a TLB flush on every core the
 * process's threads run on. Flows read some columns before writing them
 * (counters, TCP analysis state), so pages are written first here. Measured
 * on 1M packets: 3,700 such double faults. Left out: the columns only a flow
 * with MPLS labels or a tunnel writes, and only such a flow's export reads,
 * which traffic without them never needs mapped.
 */
export function touchSlots(c: FlowColumns, capacity: number, from: number, to: number): void {
  // One byte view over the columns' buffer: a store through it is a plain store in optimised code,
  // where a store through each column's own array (seven element types) went to V8's runtime.
  const bytes = new Uint8Array(c.keyAddr.buffer);
  for (const name of TOUCHED_COLUMNS) {
    const a = c[name];
    const slotBytes = a.byteLength / capacity;
    const start = a.byteOffset + from * slotBytes;
    const end = a.byteOffset + Math.min(to, capacity) * slotBytes;
    for (let i = start; i < end; i += PAGE_BYTES) bytes[i] = 0;
    if (end > start) bytes[end - 1] = 0;
  }
}

function alignUp(n: number): number {
  return Math.ceil(n / COLUMN_ALIGN) * COLUMN_ALIGN;
}
