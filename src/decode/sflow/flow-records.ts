/**
 * Flow records of a flow sample (sFlow v5 §5, "Flow Data Types") into the
 * sample's FlowRecord. Records may come in any order, so precedence is by
 * source, not by position: the sampled header sets fields outright; the
 * sampled Ethernet/IPv4/IPv6 records only fill what is still unknown; the
 * extended gateway's (BGP) next hop wins over the extended router's.
 */
import type { FlowRecord } from '../../schema/flow-record.ts';
import { countError } from '../result.ts';
import { formatIpv4, formatMac, formatIpv6 } from '../../common/net.ts';
import {
  EXTENDED_SWITCH_BYTES,
  FLOW_EXTENDED_GATEWAY,
  FLOW_EXTENDED_ROUTER,
  FLOW_EXTENDED_SWITCH,
  FLOW_SAMPLED_ETHERNET,
  FLOW_SAMPLED_HEADER,
  FLOW_SAMPLED_IPV4,
  FLOW_SAMPLED_IPV6,
  HEADER_PROTOCOL_ETHERNET,
  HEADER_PROTOCOL_IPV4,
  HEADER_PROTOCOL_IPV6,
  SAMPLED_ETHERNET_BYTES,
  SAMPLED_HEADER_FIXED_BYTES,
  SAMPLED_IPV4_BYTES,
  SAMPLED_IPV6_BYTES,
  VLAN_ID_MAX,
} from './constants.ts';
import {
  BYTES_FROM_ETHERNET,
  BYTES_FROM_HEADER,
  BYTES_FROM_IP,
  isUnspecified,
  readAddress,
  type DecodeScope,
} from './decode-scope.ts';
import { decodeGateway } from './gateway-record.ts';
import { decodeEthernet, decodeIpv4, decodeIpv6 } from './packet-header.ts';

const PROTO_TCP = 6;
const PROTO_UDP = 17;
const PROTO_SCTP = 132;

/**
 * Unmapped fields go to `extra` under IANA IPFIX element numbers (enterprise 0):
 * postVlanId (59) for the switch's outgoing VLAN, dot1qPriority (244) for the
 * incoming 802.1p priority.
 */
const EXTRA_POST_VLAN = '0.59';
const EXTRA_DOT1Q_PRIORITY = '0.244';

/** Decodes one standard (enterprise 0) flow record spanning [p, end); unknown formats are ignored. */
export function decodeFlowRecord(
  sc: DecodeScope,
  format: number,
  p: number,
  end: number,
  rec: FlowRecord,
): void {
  switch (format) {
    case FLOW_SAMPLED_HEADER:
      return decodeSampledHeader(sc, p, end, rec);
    case FLOW_SAMPLED_ETHERNET:
      return decodeSampledEthernet(sc, p, end, rec);
    case FLOW_SAMPLED_IPV4:
      return decodeSampledIpv4(sc, p, end, rec);
    case FLOW_SAMPLED_IPV6:
      return decodeSampledIpv6(sc, p, end, rec);
    case FLOW_EXTENDED_SWITCH:
      return decodeSwitch(sc, p, end, rec);
    case FLOW_EXTENDED_ROUTER:
      return decodeRouter(sc, p, end, rec);
    case FLOW_EXTENDED_GATEWAY:
      return decodeGateway(sc, p, end, rec);
    default:
      return;
  }
}

/** sampled_header (0:1): the frame length, then the packet's first bytes. */
function decodeSampledHeader(sc: DecodeScope, p: number, end: number, rec: FlowRecord): void {
  if (end - p < SAMPLED_HEADER_FIXED_BYTES) {
    countError(sc.errors, 'bad_record');
    return;
  }
  const v = sc.v;
  const protocol = v.getUint32(p);
  rec.bytes = v.getUint32(p + 4);
  sc.bytesSource = BYTES_FROM_HEADER;
  const start = p + SAMPLED_HEADER_FIXED_BYTES;
  let stop = start + v.getUint32(p + 12);
  if (stop > end) {
    countError(sc.errors, 'bad_record'); // says it holds more than the record does: use what is there
    stop = end;
  }
  if (protocol === HEADER_PROTOCOL_ETHERNET) decodeEthernet(sc.b, v, start, stop, rec);
  else if (protocol === HEADER_PROTOCOL_IPV4) decodeIpv4(sc.b, v, start, stop, rec);
  else if (protocol === HEADER_PROTOCOL_IPV6) decodeIpv6(sc.b, v, start, stop, rec);
}

/** sampled_ethernet (0:2): length, source and destination MAC (padded to 8 bytes each), type. */
function decodeSampledEthernet(sc: DecodeScope, p: number, end: number, rec: FlowRecord): void {
  if (end - p < SAMPLED_ETHERNET_BYTES) {
    countError(sc.errors, 'bad_record');
    return;
  }
  if (sc.bytesSource < BYTES_FROM_ETHERNET) {
    rec.bytes = sc.v.getUint32(p);
    sc.bytesSource = BYTES_FROM_ETHERNET;
  }
  rec.srcMac ??= formatMac(sc.b, p + 4);
  rec.dstMac ??= formatMac(sc.b, p + 12);
  rec.etherType ??= sc.v.getUint32(p + 20) & 0xffff;
}

/** sampled_ipv4 (0:3): length, protocol, addresses, ports, TCP flags, ToS. */
function decodeSampledIpv4(sc: DecodeScope, p: number, end: number, rec: FlowRecord): void {
  if (end - p < SAMPLED_IPV4_BYTES) {
    countError(sc.errors, 'bad_record');
    return;
  }
  fillSampledIp(sc, p, rec);
  rec.srcAddr ??= formatIpv4(sc.b, p + 8);
  rec.dstAddr ??= formatIpv4(sc.b, p + 12);
  fillPortsFlags(sc, p + 16, rec);
  rec.tos ??= sc.v.getUint32(p + 28) & 0xff;
}

/** sampled_ipv6 (0:4): length, protocol, addresses, ports, TCP flags, priority. */
function decodeSampledIpv6(sc: DecodeScope, p: number, end: number, rec: FlowRecord): void {
  if (end - p < SAMPLED_IPV6_BYTES) {
    countError(sc.errors, 'bad_record');
    return;
  }
  fillSampledIp(sc, p, rec);
  rec.srcAddr ??= formatIpv6(sc.b, p + 8);
  rec.dstAddr ??= formatIpv6(sc.b, p + 24);
  fillPortsFlags(sc, p + 40, rec);
  rec.tos ??= sc.v.getUint32(p + 52) & 0xff;
}

function fillSampledIp(sc: DecodeScope, p: number, rec: FlowRecord): void {
  if (sc.bytesSource < BYTES_FROM_IP) {
    rec.bytes = sc.v.getUint32(p);
    sc.bytesSource = BYTES_FROM_IP;
  }
  rec.proto ??= sc.v.getUint32(p + 4) & 0xff;
}

/** Ports only mean something for port-bearing protocols; flags only for TCP. */
function fillPortsFlags(sc: DecodeScope, p: number, rec: FlowRecord): void {
  const proto = rec.proto;
  if (proto !== PROTO_TCP && proto !== PROTO_UDP && proto !== PROTO_SCTP) return;
  rec.srcPort ??= sc.v.getUint32(p) & 0xffff;
  rec.dstPort ??= sc.v.getUint32(p + 4) & 0xffff;
  if (proto === PROTO_TCP) rec.tcpFlags ??= sc.v.getUint32(p + 8) & 0xff;
}

/** extended_switch (1001): incoming VLAN/priority, outgoing VLAN/priority. */
function decodeSwitch(sc: DecodeScope, p: number, end: number, rec: FlowRecord): void {
  if (end - p < EXTENDED_SWITCH_BYTES) {
    countError(sc.errors, 'bad_record');
    return;
  }
  const v = sc.v;
  const srcVlan = v.getUint32(p);
  const dstVlan = v.getUint32(p + 8);
  // A tag seen in the sampled header is what was on the wire; the switch's
  // VLAN only stands in when the header had none (e.g. untagged access port).
  if (isVlanId(srcVlan)) rec.vlan ??= srcVlan;
  rec.extra ??= {};
  rec.extra[EXTRA_DOT1Q_PRIORITY] = v.getUint32(p + 4);
  if (isVlanId(dstVlan)) rec.extra[EXTRA_POST_VLAN] = dstVlan;
}

function isVlanId(n: number): boolean {
  return n >= 1 && n <= VLAN_ID_MAX;
}

/** extended_router (1002): next hop, source and destination prefix lengths. */
function decodeRouter(sc: DecodeScope, p: number, end: number, rec: FlowRecord): void {
  const q = readAddress(sc, p, end);
  if (q < 0 || q + 8 > end) {
    countError(sc.errors, 'bad_record');
    return;
  }
  const hop = sc.address;
  if (hop !== undefined && !sc.nextHopFromGateway && !isUnspecified(hop)) rec.nextHop = hop;
  rec.srcMask = sc.v.getUint32(q);
  rec.dstMask = sc.v.getUint32(q + 4);
}
