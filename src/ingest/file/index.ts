/**
 * Capture files: streamed pcap/pcapng reading, the link layers flow exports
 * arrive on, and UDP datagrams with IP fragments reassembled.
 */
export {
  readPackets,
  detectCaptureFormat,
  pcapHeader,
  CaptureFileError,
  PCAP_HEADER_BYTES,
  PCAP_RECORD_HEADER_BYTES,
  type CapturedPacket,
} from './pcap-reader.ts';
export {
  asCaptureFileError,
  detectCaptureFile,
  openCaptureBytes,
  type CaptureBytes,
  type CaptureFileKind,
} from './capture-bytes.ts';
export {
  newPcapngSection,
  pcapngBlockBytes,
  walkPcapngBlocks,
  MAX_BLOCK_BYTES,
  PcapngStreamError,
  PCAPNG_BLOCK_HEADER_BYTES,
} from './pcapng.ts';
export { readUdpDatagrams, extractUdp, type UdpDatagram } from './udp-datagrams.ts';
export { createReassembler, type Reassembler } from './ip-reassembly.ts';
export { findNetworkLayer, type NetworkLayer } from './link-layer.ts';
