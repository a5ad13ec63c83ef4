/**
 * sFlow version 5 protocol numbers. Section names refer to the specification
 * text at https://sflow.org/sflow_version_5.txt ("sFlow Version 5", July 2004);
 * structures are XDR (RFC 4506): big-endian 32-bit words, opaque data padded to
 * a multiple of four bytes.
 */

/** `sample_datagram_v5.version` (§5, "Sample datagram"). */
export const SFLOW_VERSION_5 = 5;

/** `address_type` of the agent, next hop and gateway addresses (§5, "address"). */
export const ADDRESS_UNKNOWN = 0;
export const ADDRESS_IPV4 = 1;
export const ADDRESS_IPV6 = 2;

/**
 * A `data_format` word is the enterprise (top 20 bits) and the format (low 12
 * bits); only enterprise 0 (standard sFlow) structures are decoded, the rest are
 * skipped by their length (§5, "data_format").
 */
export const FORMAT_BITS = 12;
export const FORMAT_MASK = 0xfff;

/** Standard sample formats (§5, "sample_record"; enterprise 0). */
export const SAMPLE_FLOW = 1;
export const SAMPLE_COUNTERS = 2;
export const SAMPLE_FLOW_EXPANDED = 3;
export const SAMPLE_COUNTERS_EXPANDED = 4;

/** Standard flow record formats (§5, "Flow Data Types"). */
export const FLOW_SAMPLED_HEADER = 1;
export const FLOW_SAMPLED_ETHERNET = 2;
export const FLOW_SAMPLED_IPV4 = 3;
export const FLOW_SAMPLED_IPV6 = 4;
export const FLOW_EXTENDED_SWITCH = 1001;
export const FLOW_EXTENDED_ROUTER = 1002;
export const FLOW_EXTENDED_GATEWAY = 1003;

/** Standard counter record formats (§5, "Counter Data Types"). */
export const COUNTERS_GENERIC_INTERFACE = 1;
export const COUNTERS_ETHERNET = 2;

/** `header_protocol` of a sampled header (§5, "sampled_header"). */
export const HEADER_PROTOCOL_ETHERNET = 1;
export const HEADER_PROTOCOL_IPV4 = 11;
export const HEADER_PROTOCOL_IPV6 = 12;

/**
 * Interface encoding (§5, "interface"): the top two bits are the format, the
 * low 30 bits the value. Format 0 is an ifIndex (0x3FFFFFFF: internal / not
 * known), 1 a discard reason, 2 a count of output interfaces.
 */
export const INTERFACE_FORMAT_SHIFT = 30;
export const INTERFACE_VALUE_MASK = 0x3fffffff;
export const INTERFACE_FORMAT_IFINDEX = 0;
export const INTERFACE_INTERNAL = 0x3fffffff;

/** Source id of a compact sample: type in the top byte, index in the low 24 bits (§5, "sflow_data_source"). */
export const SOURCE_TYPE_SHIFT = 24;
export const SOURCE_INDEX_MASK = 0xffffff;
/** `sflow_data_source` type 0: the index is an ifIndex. */
export const SOURCE_TYPE_IFINDEX = 0;

/** Fixed sizes in bytes of the structures we read (§5). */
export const SAMPLE_HEADER_BYTES = 8; // data_format + length
export const FLOW_SAMPLE_FIXED_BYTES = 32; // seq, source, rate, pool, drops, input, output, record count
export const FLOW_EXPANDED_FIXED_BYTES = 44; // as above, source and interfaces as two words each
export const COUNTER_SAMPLE_FIXED_BYTES = 12; // seq, source, record count
export const COUNTER_EXPANDED_FIXED_BYTES = 16; // seq, source type, source index, record count
export const SAMPLED_HEADER_FIXED_BYTES = 16; // protocol, frame length, stripped, header length
export const SAMPLED_ETHERNET_BYTES = 24; // length, src mac (6+2 pad), dst mac (6+2 pad), type
export const SAMPLED_IPV4_BYTES = 32;
export const SAMPLED_IPV6_BYTES = 56;
export const EXTENDED_SWITCH_BYTES = 16;
export const GENERIC_INTERFACE_BYTES = 88;
export const ETHERNET_COUNTERS_BYTES = 52;

/** IEEE 802.1Q: the VLAN id is the low 12 bits of the TCI; 0 and 4095 are not VLANs. */
export const VLAN_ID_MASK = 0xfff;
export const VLAN_ID_MAX = 4094;
