/**
 * The canonical (direction-free) flow key of a decoded packet: the two
 * endpoints ordered so both directions hash alike, plus protocol, VLAN and
 * the tunnel scope (VXLAN/Geneve VNI, GTP-C TEID: overlapping tenant address
 * spaces stay apart). Built into reused scratch fields, no allocation.
 */
import {
  shardHash,
  TUNNEL_GENEVE,
  TUNNEL_GTP_C,
  TUNNEL_VXLAN,
  fmix32,
  mix32,
  mixZero,
  type PacketView,
} from '../decode/packet/index.ts';
import type { FlowColumns } from './flow-columns.ts';

const ICMP = 1;
const ICMPV6 = 58;

/** Scratch key of the current packet. */
export interface FlowKey {
  addr: Uint32Array;
  /** portA << 16 | portB as a signed 32-bit integer (flow-columns.ts's keyPorts) */
  ports: number;
  meta: number;
  vlan: number;
  scope: number;
  hash: number;
  /** True when the packet's source is endpoint A of the canonical key. */
  srcIsA: boolean;
}

export function createFlowKey(): FlowKey {
  // Ports, scope and hash go past V8's small integers (31 bits): stored as doubles from the start,
  // their fields never change representation mid-run, which would change the key's shape and
  // deoptimise every function that has seen it (table lookups, keyMatches, initFlow).
  const k = { addr: new Uint32Array(8), ports: 0.5, meta: 0, vlan: 0, scope: 0.5, hash: 0.5, srcIsA: true };
  k.ports = k.scope = k.hash = 0;
  return k;
}

/**
 * The key hash after an IPv4 key's first three words (zero) by protocol:
 * every IPv4 flow of a protocol starts its hash chain alike.
 */
const IPV4_PREFIX_HASH = Int32Array.from({ length: 256 }, (_, proto) =>
  mixZero(mixZero(mixZero(proto | (4 << 8)))),
);

/** Fills `k` from `v`. ICMP flows are keyed without type/code so that echo and reply meet. */
export function buildFlowKey(v: PacketView, k: FlowKey): void {
  const a = v.addr;
  const proto = v.proto;
  const icmp = proto === ICMP || proto === ICMPV6;
  const sp = icmp ? 0 : v.srcPort;
  const dp = icmp ? 0 : v.dstPort;
  const s0 = a[0]!;
  const s1 = a[1]!;
  const s2 = a[2]!;
  const s3 = a[3]!;
  const d0 = a[4]!;
  const d1 = a[5]!;
  const d2 = a[6]!;
  const d3 = a[7]!;
  // Endpoint A is the lower (address, port), compared word by word.
  const srcIsA =
    s0 !== d0 ? s0 < d0 : s1 !== d1 ? s1 < d1 : s2 !== d2 ? s2 < d2 : s3 !== d3 ? s3 < d3 : sp <= dp;
  k.srcIsA = srcIsA;
  // One set of stores of values chosen by srcIsA, rather than a branch each way: the branch that had
  // not run when V8 optimised this function (a wave of new flows' first packets are all one way)
  // deoptimised it at the first reply.
  const ka = k.addr;
  ka[0] = srcIsA ? s0 : d0;
  ka[1] = srcIsA ? s1 : d1;
  ka[2] = srcIsA ? s2 : d2;
  ka[3] = srcIsA ? s3 : d3;
  ka[4] = srcIsA ? d0 : s0;
  ka[5] = srcIsA ? d1 : s1;
  ka[6] = srcIsA ? d2 : s2;
  ka[7] = srcIsA ? d3 : s3;
  // Signed: an unsigned result past 2^31 (port A >= 32768) deoptimised the function the first time.
  const ports = srcIsA ? (sp << 16) | dp : (dp << 16) | sp;
  k.ports = ports;
  const tt = v.tunnelType;
  const family = v.family;
  const meta = proto | (family << 8);
  k.meta = meta;
  const vlan = v.vlan;
  k.vlan = vlan;
  const scope = tt === TUNNEL_VXLAN || tt === TUNNEL_GENEVE || tt === TUNNEL_GTP_C ? v.tunnelId : 0;
  k.scope = scope;
  // mix32 over the words in key order. The chain of mixes is the hash's cost: an
  // IPv4 key skips its known start and mixes its zero words with mixZero.
  let h: number;
  if (family === 4 && (s0 | s1 | s2 | d0 | d1 | d2) === 0) {
    h = mixZero(mixZero(mixZero(mix32(IPV4_PREFIX_HASH[proto & 0xff]!, ka[3]!))));
    h = mix32(h, ka[7]!);
  } else {
    h = meta;
    for (let i = 0; i < 8; i++) h = mix32(h, ka[i]!);
  }
  h = mix32(h, ports);
  h = mix32(h, vlan);
  k.hash = fmix32(mix32(h, scope));
}

/** True when slot `s` holds key `k` (meta compared on protocol and family only). */
export function keyMatches(c: FlowColumns, s: number, k: FlowKey): boolean {
  const o = s * 8;
  const ka = k.addr;
  const ca = c.keyAddr;
  return (
    c.keyPorts[s] === k.ports &&
    (c.keyMeta[s]! & 0xfff) === k.meta &&
    c.keyVlan[s] === k.vlan &&
    c.keyScope[s] === k.scope &&
    ca[o] === ka[0] &&
    ca[o + 1] === ka[1] &&
    ca[o + 2] === ka[2] &&
    ca[o + 3] === ka[3] &&
    ca[o + 4] === ka[4] &&
    ca[o + 5] === ka[5] &&
    ca[o + 6] === ka[6] &&
    ca[o + 7] === ka[7]
  );
}

/** The flow's `shardHash` (decode/packet/shard-hash.ts) from its key. */
export function keyShardHash(k: FlowKey): number {
  const a = k.addr;
  const addrXor = a[0]! ^ a[1]! ^ a[2]! ^ a[3]! ^ a[4]! ^ a[5]! ^ a[6]! ^ a[7]!;
  return shardHash(k.meta & 0xff, addrXor >>> 0, (k.ports >>> 16) ^ (k.ports & 0xffff));
}
