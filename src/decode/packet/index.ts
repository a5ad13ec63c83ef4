/**
 * Packet decoding for the flow meter: captured frames -> one reused
 * PacketView (layer 2, the inner IP 5-tuple, TCP fields, tunnel fields),
 * allocation-free and never throwing.
 */
/** The decoder: `createPacketDecoder().decode(linkType, bytes)` fills `.view` and returns a status. */
export { createPacketDecoder, type PacketDecoder, type PacketDecoderOptions } from './decode-packet.ts';
/** The decoded packet, the statuses, and the closed list of tunnel types with their codes. */
export {
  TUNNEL_TYPES,
  TUNNEL_NONE,
  TUNNEL_GTP_C,
  TUNNEL_GRE,
  TUNNEL_ERSPAN,
  TUNNEL_VXLAN,
  TUNNEL_GENEVE,
  MAX_KEPT_MPLS_LABELS,
  type PacketView,
  type PacketStatus,
  type TunnelType,
} from './packet-view.ts';
/** The direction-free flow hash that splits flows between threads, from a key or from raw bytes. */
export { shardHash, quickShardHash } from './shard-hash.ts';
/** Hash helpers the flow table shares with the fragment hash. */
export { mix32, mixZero, fmix32, u16, u32 } from './bytes.ts';
