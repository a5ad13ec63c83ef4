/**
 * Recognises a flow-export datagram by its content, whatever port it came on.
 * Header layouts: NetFlow v5 (Cisco), v9 (RFC 3954 §5.1), IPFIX (RFC 7011 §3.1),
 * sFlow v5 (sflow_version_5.txt, "sample_datagram_v5").
 */
export type ExportFormat = 'netflow5' | 'netflow9' | 'ipfix' | 'sflow5';

const V5_HEADER = 24;
const V5_RECORD = 48;
const V9_HEADER = 20;
const IPFIX_HEADER = 16;
const SFLOW_MIN_HEADER = 28;

/**
 * The format of a datagram, or undefined when it is none of them. On a
 * collector port the version field decides (so a malformed datagram reaches
 * its decoder and is counted there); `strict` also checks the header, so that
 * ordinary UDP traffic in a capture file (DNS, NTP, ...) is not taken for exports.
 */
export function sniffFormat(b: Uint8Array, strict = false): ExportFormat | undefined {
  if (b.length < 4) return undefined;
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const version = v.getUint16(0);
  if (!strict) {
    if (version === 5) return 'netflow5';
    if (version === 9) return 'netflow9';
    if (version === 10) return 'ipfix';
    return version === 0 && v.getUint32(0) === 5 ? 'sflow5' : undefined;
  }
  if (version === 5 && b.length >= V5_HEADER) {
    const count = v.getUint16(2);
    return count >= 1 && count <= 30 && b.length >= V5_HEADER + V5_RECORD ? 'netflow5' : undefined;
  }
  if (version === 9 && b.length >= V9_HEADER + 4) {
    const setId = v.getUint16(V9_HEADER);
    const setLen = v.getUint16(V9_HEADER + 2);
    return (setId <= 1 || setId >= 256) && setLen >= 4 ? 'netflow9' : undefined;
  }
  if (version === 10 && b.length >= IPFIX_HEADER) {
    return v.getUint16(2) === b.length ? 'ipfix' : undefined;
  }
  if (version === 0 && b.length >= SFLOW_MIN_HEADER && v.getUint32(0) === 5) {
    const addrType = v.getUint32(4);
    return addrType === 1 || addrType === 2 ? 'sflow5' : undefined;
  }
  return undefined;
}
