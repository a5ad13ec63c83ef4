/**
 * TLS ClientHello reader (RFC 8446 §4.1.2; extensions: server_name RFC 6066
 * §3, ALPN RFC 7301 §3.1, supported_versions RFC 8446 §4.2.1,
 * signature_algorithms RFC 8446 §4.2.3). It reads as much as it is given: a
 * hello cut by the end of the first segment still yields the SNI when the
 * SNI came before the cut, and `complete` says whether JA4 may be computed.
 */

/** What a ClientHello tells. Lists are in wire order, GREASE included (JA4 filters). */
export interface ClientHello {
  /** legacy_version of the hello (0x0303 for TLS 1.2 and 1.3). */
  version: number;
  ciphers: number[];
  extensions: number[];
  serverName?: string;
  alpn: string[];
  supportedVersions: number[];
  signatureAlgorithms: number[];
  /** False when the bytes ended before the last extension. */
  complete: boolean;
}

const RECORD_HANDSHAKE = 22;
const HANDSHAKE_CLIENT_HELLO = 1;
const EXT_SERVER_NAME = 0x0000;
const EXT_ALPN = 0x0010;
const EXT_SIGNATURE_ALGORITHMS = 0x000d;
const EXT_SUPPORTED_VERSIONS = 0x002b;
/** SNI name_type host_name (RFC 6066 §3). */
const SNI_HOST_NAME = 0;

/**
 * The ClientHello at the start of a TCP stream: TLS records of type
 * handshake (RFC 8446 §5.1), whose fragments are joined until the hello is
 * whole or the bytes end.
 */
export function parseTlsRecords(b: Uint8Array): ClientHello | undefined {
  if (b.length < 9 || b[0] !== RECORD_HANDSHAKE || b[1] !== 3 || b[5] !== HANDSHAKE_CLIENT_HELLO)
    return undefined;
  const parts: Uint8Array[] = [];
  let o = 0;
  while (o + 5 <= b.length && b[o] === RECORD_HANDSHAKE) {
    const len = (b[o + 3]! << 8) | b[o + 4]!;
    parts.push(b.subarray(o + 5, Math.min(b.length, o + 5 + len)));
    o += 5 + len;
  }
  const hs = parts.length === 1 ? parts[0]! : Buffer.concat(parts);
  return parseHandshake(hs);
}

/** A ClientHello handshake message (type, 3-byte length, body), as QUIC CRYPTO frames carry it. */
export function parseHandshake(hs: Uint8Array): ClientHello | undefined {
  if (hs.length < 4 || hs[0] !== HANDSHAKE_CLIENT_HELLO) return undefined;
  const bodyLen = (hs[1]! << 16) | (hs[2]! << 8) | hs[3]!;
  const body = hs.subarray(4, Math.min(hs.length, 4 + bodyLen));
  return parseBody(body, 4 + bodyLen <= hs.length);
}

function u16(b: Uint8Array, o: number): number {
  return (b[o]! << 8) | b[o + 1]!;
}

function parseBody(b: Uint8Array, whole: boolean): ClientHello | undefined {
  // legacy_version(2) random(32) session_id<0..32>
  if (b.length < 35) return undefined;
  const hello: ClientHello = {
    version: u16(b, 0),
    ciphers: [],
    extensions: [],
    alpn: [],
    supportedVersions: [],
    signatureAlgorithms: [],
    complete: false,
  };
  let o = 35 + b[34]!;
  if (o + 2 > b.length) return hello;
  const cipherBytes = u16(b, o);
  o += 2;
  if (o + cipherBytes > b.length) return hello;
  for (let i = 0; i + 1 < cipherBytes; i += 2) hello.ciphers.push(u16(b, o + i));
  o += cipherBytes;
  if (o + 1 > b.length) return hello;
  o += 1 + b[o]!; // legacy_compression_methods
  if (o + 2 > b.length) {
    hello.complete = whole && o === b.length; // a hello without extensions
    return hello;
  }
  const extEnd = Math.min(b.length, o + 2 + u16(b, o));
  o += 2;
  while (o + 4 <= extEnd) {
    const type = u16(b, o);
    const len = u16(b, o + 2);
    hello.extensions.push(type);
    if (o + 4 + len > extEnd) return hello;
    readExtension(hello, type, b.subarray(o + 4, o + 4 + len));
    o += 4 + len;
  }
  hello.complete = whole && o === extEnd;
  return hello;
}

function readExtension(h: ClientHello, type: number, e: Uint8Array): void {
  switch (type) {
    case EXT_SERVER_NAME: {
      // server_name_list<1..2^16-1>: name_type(1) HostName<1..2^16-1>
      let o = 2;
      while (o + 3 <= e.length) {
        const len = u16(e, o + 1);
        if (e[o] === SNI_HOST_NAME && o + 3 + len <= e.length) {
          h.serverName = Buffer.from(e.subarray(o + 3, o + 3 + len))
            .toString('latin1')
            .toLowerCase();
          return;
        }
        o += 3 + len;
      }
      return;
    }
    case EXT_ALPN: {
      // ProtocolNameList: protocol_name_list<2..2^16-1>, each ProtocolName<1..2^8-1>
      for (let o = 2; o < e.length;) {
        const len = e[o]!;
        if (o + 1 + len > e.length) return;
        h.alpn.push(Buffer.from(e.subarray(o + 1, o + 1 + len)).toString('latin1'));
        o += 1 + len;
      }
      return;
    }
    case EXT_SUPPORTED_VERSIONS:
      for (let o = 1; o + 1 < e.length && o < 1 + e[0]!; o += 2) h.supportedVersions.push(u16(e, o));
      return;
    case EXT_SIGNATURE_ALGORITHMS:
      for (let o = 2; o + 1 < e.length && o < 2 + u16(e, 0); o += 2) h.signatureAlgorithms.push(u16(e, o));
      return;
    default:
      return;
  }
}
