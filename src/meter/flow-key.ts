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
  type PacketView,
} from '../decode/packet/index.ts';
import type { FlowColumns } from './flow-columns.ts';

const ICMP = 1;
const ICMPV6 = 58;

/** Scratch key of the current packet. */
export interface FlowKey {
  addr: Uint32Array;
  ports: number;
  meta: number;
  vlan: number;
  scope: number;
  hash: number;
  /** True when the packet's source is endpoint A of the canonical key. */
  srcIsA: boolean;
}

export function createFlowKey(): FlowKey {
  return { addr: new Uint32Array(8), ports: 0, meta: 0, vlan: 0, scope: 0, hash: 0, srcIsA: true };
}

/** Fills `k` from `v`. ICMP flows are keyed without type/code so that echo and reply meet. */
export function buildFlowKey(v: PacketView, k: FlowKey): void {
  const a = v.addr;
  const icmp = v.proto === ICMP || v.proto === ICMPV6;
  const sp = icmp ? 0 : v.srcPort;
  const dp = icmp ? 0 : v.dstPort;
  let cmp = 0;
  for (let i = 0; i < 4 && cmp === 0; i++) cmp = a[i]! - a[i + 4]!;
  if (cmp === 0) cmp = sp - dp;
  const srcIsA = cmp <= 0;
  k.srcIsA = srcIsA;
  const ka = k.addr;
  for (let i = 0; i < 4; i++) {
    ka[i] = srcIsA ? a[i]! : a[i + 4]!;
    ka[i + 4] = srcIsA ? a[i + 4]! : a[i]!;
  }
  k.ports = ((srcIsA ? sp : dp) * 0x10000 + (srcIsA ? dp : sp)) >>> 0;
  const tt = v.tunnelType;
  k.meta = (v.proto | (v.family << 8)) >>> 0;
  k.vlan = v.vlan;
  k.scope = tt === TUNNEL_VXLAN || tt === TUNNEL_GENEVE || tt === TUNNEL_GTP_C ? v.tunnelId : 0;
  let h = k.meta;
  for (let i = 0; i < 8; i++) h = mix32(h, ka[i]!);
  h = mix32(h, k.ports);
  h = mix32(h, k.vlan);
  k.hash = fmix32(mix32(h, k.scope));
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
