/**
 * The flow record every source produces and every later stage consumes
 * (contracts.md, "Flow record"). A field is left undefined when unknown, so
 * JSON output omits it. Times are epoch milliseconds UTC; addresses are text
 * (IPv6 in RFC 5952 form, as `formatIpv6` in common/net writes them).
 */
export type FlowType = 'netflow5' | 'netflow9' | 'ipfix' | 'sflow5' | 'packets';

/** One flow (or one sFlow sample) as it leaves a decoder or the meter. */
export interface FlowRecord {
  type: FlowType;
  /** Address of the device that sent the datagram (meter: interface or file). */
  exporter: string;
  /** IPFIX observation domain / NetFlow v9 source id / sFlow agent sub-id. */
  observationDomain?: number;
  start?: number;
  end?: number;
  srcAddr?: string;
  dstAddr?: string;
  srcPort?: number;
  dstPort?: number;
  /** IANA protocol number. */
  proto?: number;
  /** As carried by the record, NOT multiplied by the sampling rate. */
  bytes: number;
  packets: number;
  reverseBytes?: number;
  reversePackets?: number;
  /** 1-in-N sampling that applies to this record. */
  samplingRate?: number;
  tcpFlags?: number;
  tos?: number;
  inIf?: number;
  outIf?: number;
  direction?: 'ingress' | 'egress';
  srcAs?: number;
  dstAs?: number;
  nextHop?: string;
  srcMask?: number;
  dstMask?: number;
  srcMac?: string;
  dstMac?: string;
  vlan?: number;
  /** Outer (service) VLAN when the exporter reports QinQ (IE 243/254 dot1q). */
  outerVlan?: number;
  etherType?: number;
  icmpType?: number;
  icmpCode?: number;
  /** MPLS label stack, top first (label values only, 20 bits each). */
  mplsLabels?: number[];
  /** NAT translations (IANA IE 225-228 / Cisco NSEL). */
  natSrcAddr?: string;
  natDstAddr?: string;
  natSrcPort?: number;
  natDstPort?: number;
  tunnelType?: string;
  tunnelId?: number;
  outerSrcAddr?: string;
  outerDstAddr?: string;
  rttUs?: number;
  retransmissions?: number;
  outOfOrder?: number;
  lost?: number;
  jitterUs?: number;
  /** Meter: OR of the TCP flags the responder sent (tcpFlags is the initiator's). */
  reverseTcpFlags?: number;
  /** Meter: TCP segments advertising a zero window (Wireshark tcp.analysis.zero_window), both directions. */
  zeroWindows?: number;
  /** Meter: handshake RTT split at the probe: SYN -> SYN/ACK (server side) and SYN/ACK -> ACK (client side). */
  serverRttUs?: number;
  clientRttUs?: number;
  /** Meter: first request payload of the initiator -> first response payload of the responder. */
  appResponseUs?: number;
  /** Application id as the exporter sent it (IANA IE 95, e.g. NBAR "13:453"). */
  appId?: string;
  appProto?: string;
  appCategory?: string;
  srcCountry?: string;
  dstCountry?: string;
  srcAsName?: string;
  dstAsName?: string;
  srcHost?: string;
  dstHost?: string;
  /** Label of a private or special range (RFC 1918 "private", "cgnat", "loopback", ...) instead of a country. */
  srcScope?: string;
  dstScope?: string;
  /** MAC vendor from the IEEE registries; "randomised" for locally administered addresses. */
  srcVendor?: string;
  dstVendor?: string;
  /** Server name the client asked for (TLS/QUIC SNI, HTTP Host, DNS query). */
  serverName?: string;
  /** JA4 TLS client fingerprint (FoxIO). */
  ja4?: string;
  httpUserAgent?: string;
  /**
   * Enterprise-specific (PEN) and otherwise unmapped fields, kept by number:
   * key `"<pen>.<ie>"` (e.g. `"9.12232"`), value a number when the field is
   * an unsigned integer of at most 6 bytes, else lowercase hex.
   */
  extra?: Record<string, number | string>;
}
