/**
 * Finds the network-layer header inside a captured frame for the link types
 * flow-export captures come in. LINKTYPE_* numbers from tcpdump.org/linktypes.html.
 */
export const LINKTYPE_NULL = 0;
export const LINKTYPE_ETHERNET = 1;
export const LINKTYPE_PPP = 9;
export const LINKTYPE_RAW = 101;
export const LINKTYPE_LOOP = 108;
export const LINKTYPE_LINUX_SLL = 113;
export const LINKTYPE_IPV4 = 228;
export const LINKTYPE_IPV6 = 229;
export const LINKTYPE_LINUX_SLL2 = 276;

/** EtherTypes (IEEE 802, IANA). */
export const ETHERTYPE_IPV4 = 0x0800;
export const ETHERTYPE_IPV6 = 0x86dd;
const ETHERTYPE_VLAN = 0x8100;
const ETHERTYPE_QINQ = 0x88a8;
const ETHERTYPE_QINQ_OLD = 0x9100;
/** At most this many stacked VLAN tags are skipped (guards hostile frames). */
const MAX_VLAN_TAGS = 8;

/** Where the IP header starts, and which IP version the link layer says it is. */
export interface NetworkLayer {
  offset: number;
  etherType: number;
}

/** The network layer of a frame, or undefined when the frame carries no IP. */
export function findNetworkLayer(linkType: number, b: Uint8Array): NetworkLayer | undefined {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  switch (linkType) {
    case LINKTYPE_ETHERNET:
      return b.length >= 14 ? skipVlanTags(v, 12) : undefined;
    case LINKTYPE_LINUX_SLL:
      return b.length >= 16 ? skipVlanTags(v, 14) : undefined;
    case LINKTYPE_LINUX_SLL2:
      return b.length >= 20 ? { offset: 20, etherType: v.getUint16(0) } : undefined;
    case LINKTYPE_RAW:
    case LINKTYPE_IPV4:
    case LINKTYPE_IPV6:
      return fromVersionNibble(b, 0);
    case LINKTYPE_NULL:
    case LINKTYPE_LOOP:
      // A 4-byte address family in the capturing host's byte order; the IP version tells.
      return fromVersionNibble(b, 4);
    case LINKTYPE_PPP: {
      if (b.length < 4) return undefined;
      const proto = v.getUint16(2);
      if (proto === 0x0021) return { offset: 4, etherType: ETHERTYPE_IPV4 };
      if (proto === 0x0057) return { offset: 4, etherType: ETHERTYPE_IPV6 };
      return undefined;
    }
    default:
      return undefined;
  }
}

/** Skips 802.1Q / 802.1ad tags starting at the EtherType at `typeOffset`. */
function skipVlanTags(v: DataView, typeOffset: number): NetworkLayer | undefined {
  let o = typeOffset;
  for (let i = 0; i <= MAX_VLAN_TAGS; i++) {
    if (o + 2 > v.byteLength) return undefined;
    const t = v.getUint16(o);
    if (t !== ETHERTYPE_VLAN && t !== ETHERTYPE_QINQ && t !== ETHERTYPE_QINQ_OLD) {
      return { offset: o + 2, etherType: t };
    }
    o += 4;
  }
  return undefined;
}

function fromVersionNibble(b: Uint8Array, offset: number): NetworkLayer | undefined {
  const first = b[offset];
  if (first === undefined) return undefined;
  if (first >> 4 === 4) return { offset, etherType: ETHERTYPE_IPV4 };
  if (first >> 4 === 6) return { offset, etherType: ETHERTYPE_IPV6 };
  return undefined;
}
