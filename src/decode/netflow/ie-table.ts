/**
 * Which handler each information element compiles to. Where the registry offers
 * several elements for one FlowRecord field, the choice is made once per
 * template (from the elements it holds), so the per-record loop never arbitrates.
 */
import {
  H,
  IE,
  NSEL_XLATE_DST_ADDR_IPV4,
  NSEL_XLATE_DST_PORT,
  NSEL_XLATE_SRC_ADDR_IPV4,
  NSEL_XLATE_SRC_PORT,
  NTOP_BASE_ID,
  NTOP_OOORDER_IN,
  NTOP_OOORDER_OUT,
  NTOP_RETRANSMITTED_IN,
  NTOP_RETRANSMITTED_OUT,
  PEN_NTOP,
  PEN_REVERSE,
} from './ie-numbers.ts';

/** Which (pen 0) elements the template holds, for precedence decisions. */
export type HasElement = (ie: number) => boolean;

/**
 * The handler of field (`ie`, `pen`) in a template whose other elements are
 * given by `has`. `version` 9 or 10: v9 has no PEN but vendor ids above 32767.
 */
export function chooseHandler(ie: number, pen: number, version: number, has: HasElement): number {
  if (pen !== 0) return chooseEnterpriseHandler(ie, pen);
  if (version === 9) {
    const v9 = chooseV9Handler(ie);
    if (v9 !== H.SKIP) return v9;
  }
  return chooseCounterHandler(ie, has) ?? chooseAddressingHandler(ie, has) ?? chooseOtherHandler(ie, has);
}

function chooseEnterpriseHandler(ie: number, pen: number): number {
  if (pen === PEN_REVERSE) {
    if (ie === IE.octetDeltaCount || ie === IE.octetTotalCount) return H.REV_BYTES;
    if (ie === IE.packetDeltaCount || ie === IE.packetTotalCount) return H.REV_PACKETS;
  }
  if (pen === PEN_NTOP) {
    if (ie === NTOP_RETRANSMITTED_IN || ie === NTOP_RETRANSMITTED_OUT) return H.RETRANSMISSIONS;
    if (ie === NTOP_OOORDER_IN || ie === NTOP_OOORDER_OUT) return H.OUT_OF_ORDER;
  }
  return H.EXTRA;
}

function chooseV9Handler(ie: number): number {
  switch (ie) {
    case NSEL_XLATE_SRC_ADDR_IPV4:
      return H.NAT_SRC_V4;
    case NSEL_XLATE_DST_ADDR_IPV4:
      return H.NAT_DST_V4;
    case NSEL_XLATE_SRC_PORT:
      return H.NAT_SRC_PORT;
    case NSEL_XLATE_DST_PORT:
      return H.NAT_DST_PORT;
    case NTOP_BASE_ID + NTOP_RETRANSMITTED_IN:
    case NTOP_BASE_ID + NTOP_RETRANSMITTED_OUT:
      return H.RETRANSMISSIONS;
    case NTOP_BASE_ID + NTOP_OOORDER_IN:
    case NTOP_BASE_ID + NTOP_OOORDER_OUT:
      return H.OUT_OF_ORDER;
    default:
      return H.SKIP;
  }
}

/** Counters: L3 delta, then total, then NSEL/initiator, then layer 2 (only when no L3 counter). */
function chooseCounterHandler(ie: number, has: HasElement): number | undefined {
  const l3Bytes = has(IE.octetDeltaCount) || has(IE.octetTotalCount);
  const l3Packets = has(IE.packetDeltaCount) || has(IE.packetTotalCount);
  switch (ie) {
    case IE.octetDeltaCount:
      return H.BYTES;
    case IE.octetTotalCount:
      return has(IE.octetDeltaCount) ? H.SKIP : H.BYTES;
    case IE.initiatorOctets:
      return l3Bytes ? H.SKIP : H.BYTES;
    case IE.layer2OctetDeltaCount:
      return l3Bytes || has(IE.initiatorOctets) ? H.SKIP : H.BYTES;
    case IE.layer2OctetTotalCount:
      return l3Bytes || has(IE.initiatorOctets) || has(IE.layer2OctetDeltaCount) ? H.SKIP : H.BYTES;
    case IE.responderOctets:
      return H.REV_BYTES;
    case IE.packetDeltaCount:
      return H.PACKETS;
    case IE.packetTotalCount:
      return has(IE.packetDeltaCount) ? H.SKIP : H.PACKETS;
    case IE.initiatorPackets:
      return l3Packets ? H.SKIP : H.PACKETS;
    case IE.responderPackets:
      return H.REV_PACKETS;
    default:
      return undefined;
  }
}

/** Addresses, ports, interfaces, next hops: logical before physical, IP before BGP next hop. */
function chooseAddressingHandler(ie: number, has: HasElement): number | undefined {
  switch (ie) {
    case IE.sourceIPv4Address:
      return H.SRC_V4;
    case IE.destinationIPv4Address:
      return H.DST_V4;
    // A template may hold both families; the record loop keeps the non-zero one.
    case IE.sourceIPv6Address:
      return H.SRC_V6;
    case IE.destinationIPv6Address:
      return H.DST_V6;
    case IE.sourceTransportPort:
      return H.SRC_PORT;
    case IE.destinationTransportPort:
      return H.DST_PORT;
    case IE.udpSourcePort:
    case IE.tcpSourcePort:
      return has(IE.sourceTransportPort) ? H.SKIP : H.SRC_PORT;
    case IE.udpDestinationPort:
    case IE.tcpDestinationPort:
      return has(IE.destinationTransportPort) ? H.SKIP : H.DST_PORT;
    case IE.ingressInterface:
      return H.IN_IF;
    case IE.egressInterface:
      return H.OUT_IF;
    case IE.ingressPhysicalInterface:
      return has(IE.ingressInterface) ? H.SKIP : H.IN_IF;
    case IE.egressPhysicalInterface:
      return has(IE.egressInterface) ? H.SKIP : H.OUT_IF;
    case IE.ipNextHopIPv4Address:
      return H.NEXT_HOP_V4;
    case IE.ipNextHopIPv6Address:
      return H.NEXT_HOP_V6;
    case IE.bgpNextHopIPv4Address:
      return has(IE.ipNextHopIPv4Address) || has(IE.ipNextHopIPv6Address) ? H.SKIP : H.NEXT_HOP_V4;
    case IE.bgpNextHopIPv6Address:
      return has(IE.ipNextHopIPv4Address) || has(IE.ipNextHopIPv6Address) || has(IE.bgpNextHopIPv4Address)
        ? H.SKIP
        : H.NEXT_HOP_V6;
    case IE.postNATSourceIPv4Address:
      return H.NAT_SRC_V4;
    case IE.postNATDestinationIPv4Address:
      return H.NAT_DST_V4;
    case IE.postNATSourceIPv6Address:
      return H.NAT_SRC_V6;
    case IE.postNATDestinationIPv6Address:
      return H.NAT_DST_V6;
    case IE.postNAPTSourceTransportPort:
      return H.NAT_SRC_PORT;
    case IE.postNAPTDestinationTransportPort:
      return H.NAT_DST_PORT;
    default:
      return undefined;
  }
}

/** Everything else: times, layer 2, ICMP, MPLS, sampling, application. */
function chooseOtherHandler(ie: number, has: HasElement): number {
  if (ie >= IE.mplsTopLabelStackSection && ie <= IE.mplsLabelStackSection10) return H.MPLS_LABEL;
  const time = chooseTimeHandler(ie);
  if (time !== undefined) return time;
  const qinq = has(IE.dot1qCustomerVlanId);
  switch (ie) {
    case IE.protocolIdentifier:
      return H.PROTO;
    case IE.ipClassOfService:
      return H.TOS;
    case IE.tcpControlBits:
      return H.TCP_FLAGS;
    case IE.sourceIPv4PrefixLength:
    case IE.sourceIPv6PrefixLength:
      return H.SRC_MASK;
    case IE.destinationIPv4PrefixLength:
    case IE.destinationIPv6PrefixLength:
      return H.DST_MASK;
    case IE.bgpSourceAsNumber:
      return H.SRC_AS;
    case IE.bgpDestinationAsNumber:
      return H.DST_AS;
    case IE.icmpTypeCodeIPv4:
    case IE.icmpTypeCodeIPv6:
      return H.ICMP_TYPE_CODE;
    case IE.icmpTypeIPv4:
    case IE.icmpTypeIPv6:
      return H.ICMP_TYPE;
    case IE.icmpCodeIPv4:
    case IE.icmpCodeIPv6:
      return H.ICMP_CODE;
    case IE.sourceMacAddress:
      return H.SRC_MAC;
    case IE.postSourceMacAddress:
      return has(IE.sourceMacAddress) ? H.SKIP : H.SRC_MAC;
    case IE.destinationMacAddress:
      return H.DST_MAC;
    case IE.postDestinationMacAddress:
      return has(IE.destinationMacAddress) ? H.SKIP : H.DST_MAC;
    // QinQ (IEEE 802.1ad): with a customer tag (245) present, 243 is the
    // service (outer) tag and 245 the customer one; otherwise 58, then 243,
    // then the post-VLAN 59 name the flow's VLAN.
    case IE.dot1qCustomerVlanId:
      return has(IE.vlanId) ? H.SKIP : H.VLAN;
    case IE.dot1qVlanId:
      return qinq ? H.OUTER_VLAN : has(IE.vlanId) ? H.SKIP : H.VLAN;
    case IE.vlanId:
      return H.VLAN;
    case IE.postVlanId:
      return has(IE.vlanId) || has(IE.dot1qVlanId) || qinq ? H.SKIP : H.VLAN;
    case IE.flowDirection:
      return H.DIRECTION;
    case IE.applicationId:
      return H.APP_ID;
    case IE.ethernetType:
      return H.ETHER_TYPE;
    case IE.samplingInterval:
    case IE.samplerRandomInterval:
      return H.SAMPLING_INTERVAL;
    case IE.samplingPacketInterval:
      return H.PKT_INTERVAL;
    case IE.samplingPacketSpace:
      return H.PKT_SPACE;
    case IE.samplerId:
    case IE.selectorId:
      return H.SAMPLER_ID;
    default:
      return H.SKIP;
  }
}

function chooseTimeHandler(ie: number): number | undefined {
  switch (ie) {
    case IE.flowStartSysUpTime:
      return H.UP_START;
    case IE.flowEndSysUpTime:
      return H.UP_END;
    case IE.flowStartSeconds:
      return H.SEC_START;
    case IE.flowEndSeconds:
      return H.SEC_END;
    case IE.flowStartMilliseconds:
      return H.MS_START;
    case IE.flowEndMilliseconds:
      return H.MS_END;
    // RFC 7011 §6.1.9/§6.1.10: micro- and nanosecond times are NTP timestamps.
    case IE.flowStartMicroseconds:
    case IE.flowStartNanoseconds:
      return H.NTP_START;
    case IE.flowEndMicroseconds:
    case IE.flowEndNanoseconds:
      return H.NTP_END;
    case IE.flowDurationMilliseconds:
      return H.DURATION_MS;
    case IE.flowDurationMicroseconds:
      return H.DURATION_US;
    case IE.systemInitTimeMilliseconds:
      return H.SYS_INIT_MS;
    default:
      return undefined;
  }
}
