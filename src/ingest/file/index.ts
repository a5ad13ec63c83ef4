/**
 * Capture files: streamed pcap/pcapng reading, the link layers flow exports
 * arrive on, and UDP datagrams with IP fragments reassembled.
 */
export { readPackets, detectCaptureFormat, CaptureFileError, type CapturedPacket } from './pcap-reader.ts';
export { readUdpDatagrams, extractUdp, type UdpDatagram } from './udp-datagrams.ts';
export { createReassembler, type Reassembler } from './ip-reassembly.ts';
export { findNetworkLayer, type NetworkLayer } from './link-layer.ts';
