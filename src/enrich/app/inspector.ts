/**
 * The built-in payload inspector: the first payload bytes of each direction
 * of a metered flow -> protocol, server name, fingerprint, application and
 * category. Implements the meter's PayloadInspector hook (structurally: the
 * meter's `AppLabel` is a subset of `AppDetection`).
 */
import { addressNames, mayBeDnsMessage, parseDnsMessage } from '../dns/dns-message.ts';
import type { CategoryMap } from './categories.ts';
import type { HostAppMap } from './host-apps.ts';
import { computeJa4 } from './ja4.ts';
import { appFromPorts } from './port-apps.ts';
import { looksLikeQuicInitial, quicClientHello } from './quic-initial.ts';
import {
  isBitTorrentHandshake,
  isHttpResponse,
  isSip,
  looksLikeRtcp,
  looksLikeRtp,
  parseHttpRequest,
  parseSshBanner,
} from './text-protocols.ts';
import { parseTlsRecords, type ClientHello } from './tls-client-hello.ts';

const TCP = 6;
const UDP = 17;
const DNS_PORT = 53;
const MDNS_PORT = 5353;
const LLMNR_PORT = 5355;
/** RFC 8446 §5.1 record type handshake; §4 handshake type client_hello. */
const TLS_HANDSHAKE_RECORD = 22;
const TLS_CLIENT_HELLO = 1;
/** An HTTP/1.x request method (RFC 9110 §9): upper-case token. */
const HTTP_METHOD_START = /^[A-Z]{3,7}$/;
/** The empty line that ends an HTTP header block (RFC 9112 §2.1). */
const HTTP_HEADER_END = '\r\n\r\n';
/** RTP is only guessed between unprivileged ports (RFC 3551 suggests ≥ 1024, even/odd pairs). */
const MIN_RTP_PORT = 1024;

/** One direction's first payload, as the meter hands it over. */
export interface PayloadSample {
  proto: number;
  srcPort: number;
  dstPort: number;
  /** True when the sender started the flow (client to server). */
  fromInitiator: boolean;
  payload: Uint8Array;
}

/** What the inspector found. `appProto` is the application when known, else the protocol. */
export interface AppDetection {
  appProto: string;
  appCategory?: string;
  /** The wire protocol: TLS, QUIC, HTTP, DNS, SSH, BitTorrent, SIP, RTP, ... */
  l7Proto: string;
  /** TLS/QUIC SNI, HTTP Host, or the DNS question name. */
  serverName?: string;
  ja4?: string;
  alpn?: string;
  httpUserAgent?: string;
  sshSoftware?: string;
}

/** A TLS handshake record or HTTP request start whose message goes on past `b`. */
function isCutMessage(b: Uint8Array): boolean {
  if (b.length >= 6 && b[0] === TLS_HANDSHAKE_RECORD && b[1] === 3 && b[5] === TLS_CLIENT_HELLO)
    return parseTlsRecords(b)?.complete === false;
  if ((b[0] ?? 0) < 0x41 || (b[0] ?? 0) > 0x5a) return false; // a request method is upper-case
  const sp = b.subarray(0, 9).indexOf(0x20);
  if (sp < 3 || sp > 8 || !HTTP_METHOD_START.test(Buffer.from(b.buffer, b.byteOffset, sp).toString('latin1')))
    return false;
  return Buffer.from(b.buffer, b.byteOffset, b.length).indexOf(HTTP_HEADER_END) < 0;
}

function isDnsPort(sp: number, dp: number): boolean {
  return (
    sp === DNS_PORT ||
    dp === DNS_PORT ||
    sp === MDNS_PORT ||
    dp === MDNS_PORT ||
    sp === LLMNR_PORT ||
    dp === LLMNR_PORT
  );
}

/**
 * The payloads `inspectOne` and `isCutMessage` can match, so that the meter
 * need not build a sample for the others (binary protocols nothing here
 * knows), by their first bytes: over UDP on a DNS port, what parseDnsMessage
 * can parse (the only detector tried there); over TCP on one, anything; then
 * BitTorrent's 19, an upper-case letter (HTTP request and response, SSH,
 * SIP), TLS's handshake record over TCP, and over UDP a QUIC long header and
 * RTP/RTCP version 2 between unprivileged ports. Kept next to inspectOne: a
 * detector added there must be let through here
 * (test/enrich/may-match.test.ts holds every detection of the test captures
 * to it).
 */
function mayMatch(proto: number, sp: number, dp: number, b: Uint8Array, at: number, length: number): boolean {
  if ((proto !== TCP && proto !== UDP) || length === 0) return false;
  if (isDnsPort(sp, dp)) return proto === TCP || mayBeDnsMessage(b, at, length);
  const first = b[at]!;
  if (first === 19 || (first >= 0x41 && first <= 0x5a)) return true;
  if (proto === TCP) return first === TLS_HANDSHAKE_RECORD;
  return (first & 0xf0) === 0xc0 || (sp >= MIN_RTP_PORT && dp >= MIN_RTP_PORT && first >> 6 === 2);
}

/** Bytes of a TCP direction joined for inspection (a ClientHello or request header fits). */
const MAX_STREAM_BYTES = 16 * 1024;

function joinStream(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const joined = Buffer.concat(parts);
  return joined.length > MAX_STREAM_BYTES ? joined.subarray(0, MAX_STREAM_BYTES) : joined;
}

/** Inputs of a whole-flow inspection (several packets per direction). */
export interface FlowPayloads {
  proto: number;
  srcPort: number;
  dstPort: number;
  clientPayload: readonly Uint8Array[];
  serverPayload: readonly Uint8Array[];
}

/** Counters of the inspector (monotonic). */
export interface InspectorStats {
  inspected: number;
  detected: number;
}

/** The built-in detector. */
export interface PayloadInspector {
  readonly name: string;
  inspect(sample: PayloadSample): AppDetection | undefined;
  /**
   * True when the client's payload is the start of a message longer than it
   * (a TLS ClientHello or an HTTP request header cut by the segment's end):
   * the meter joins the next segments and asks again.
   */
  wantsMore(sample: PayloadSample): boolean;
  /** False when no detector can match the `length` bytes at `b[at]` (the meter's PayloadInspector.mayMatch). */
  mayMatch?(
    proto: number,
    srcPort: number,
    dstPort: number,
    b: Uint8Array,
    at: number,
    length: number,
  ): boolean;
  inspectFlow(flow: FlowPayloads): AppDetection | undefined;
  readonly stats: InspectorStats;
}

/** What the inspector needs. */
export interface InspectorDeps {
  hostApps: HostAppMap;
  categories: CategoryMap;
  /** Called with address -> name pairs seen in DNS responses (for `dns` learning). */
  onDnsNames?: (names: { address: string; name: string; ttlSec: number }[]) => void;
}

/** Creates the built-in inspector. */
export function createBuiltinInspector(deps: InspectorDeps): PayloadInspector {
  const stats: InspectorStats = { inspected: 0, detected: 0 };

  function finish(d: Omit<AppDetection, 'appProto'>): AppDetection {
    const app = d.serverName !== undefined ? deps.hostApps.lookup(d.serverName) : undefined;
    const appProto = app ?? d.l7Proto;
    stats.detected++;
    return { ...d, appProto, appCategory: deps.categories.categoryOf(appProto) };
  }

  function fromHello(h: ClientHello, transport: 't' | 'q'): AppDetection {
    const d: Omit<AppDetection, 'appProto'> = { l7Proto: transport === 'q' ? 'QUIC' : 'TLS' };
    if (h.serverName !== undefined) d.serverName = h.serverName;
    if (h.alpn[0] !== undefined) d.alpn = h.alpn[0];
    if (h.complete) d.ja4 = computeJa4(h, transport);
    return finish(d);
  }

  function dns(b: Uint8Array): AppDetection | undefined {
    const msg = parseDnsMessage(b);
    if (!msg || msg.qname === undefined) return undefined;
    if (msg.isResponse && deps.onDnsNames && msg.answers.length > 0) deps.onDnsNames(addressNames(msg));
    return { ...finish({ l7Proto: 'DNS' }), serverName: msg.qname };
  }

  function inspectOne(
    proto: number,
    sp: number,
    dp: number,
    fromClient: boolean,
    b: Uint8Array,
  ): AppDetection | undefined {
    if (b.length === 0) return undefined;
    const dnsPort = isDnsPort(sp, dp);
    if (proto === UDP) {
      if (dnsPort) return dns(b);
      if (fromClient && looksLikeQuicInitial(b)) {
        const h = quicClientHello([b]);
        if (h) return fromHello(h, 'q');
      }
      if (isSip(b)) return finish({ l7Proto: 'SIP' });
      if (isBitTorrentHandshake(b)) return finish({ l7Proto: 'BitTorrent' });
      if (sp >= MIN_RTP_PORT && dp >= MIN_RTP_PORT) {
        if (looksLikeRtcp(b)) return finish({ l7Proto: 'RTCP' });
        if (looksLikeRtp(b)) return finish({ l7Proto: 'RTP' });
      }
      return undefined;
    }
    if (proto !== TCP) return undefined;
    if (dnsPort && b.length > 2) return dns(b.subarray(2)); // RFC 1035 §4.2.2 length prefix
    const hello = fromClient ? parseTlsRecords(b) : undefined;
    if (hello) return fromHello(hello, 't');
    const http = parseHttpRequest(b);
    if (http) {
      const d: Omit<AppDetection, 'appProto'> = { l7Proto: 'HTTP' };
      if (http.host !== undefined) d.serverName = http.host;
      if (http.userAgent !== undefined) d.httpUserAgent = http.userAgent;
      return finish(d);
    }
    const ssh = parseSshBanner(b);
    if (ssh !== undefined) return { ...finish({ l7Proto: 'SSH' }), sshSoftware: ssh };
    if (isBitTorrentHandshake(b)) return finish({ l7Proto: 'BitTorrent' });
    if (isSip(b)) return finish({ l7Proto: 'SIP' });
    if (isHttpResponse(b)) return finish({ l7Proto: 'HTTP' });
    return undefined;
  }

  return {
    name: 'builtin',
    stats,
    inspect(s) {
      stats.inspected++;
      return inspectOne(s.proto, s.srcPort, s.dstPort, s.fromInitiator, s.payload);
    },
    wantsMore: (s) => s.proto === TCP && s.fromInitiator && isCutMessage(s.payload),
    mayMatch,
    inspectFlow(f) {
      stats.inspected++;
      if (
        f.proto === UDP &&
        f.clientPayload.length > 1 &&
        f.clientPayload[0] &&
        looksLikeQuicInitial(f.clientPayload[0])
      ) {
        const h = quicClientHello(f.clientPayload);
        if (h) return fromHello(h, 'q');
      }
      // TCP payloads are one byte stream: a request line longer than a segment pushes Host into the next.
      const client = f.proto === TCP ? [joinStream(f.clientPayload)] : f.clientPayload;
      const server = f.proto === TCP ? [joinStream(f.serverPayload)] : f.serverPayload;
      for (const p of client) {
        const d = inspectOne(f.proto, f.srcPort, f.dstPort, true, p);
        if (d) return d;
      }
      for (const p of server) {
        const d = inspectOne(f.proto, f.dstPort, f.srcPort, false, p);
        if (d) return d;
      }
      const port = appFromPorts(f.proto, f.srcPort, f.dstPort);
      return port === undefined
        ? undefined
        : { appProto: port, l7Proto: port, appCategory: deps.categories.categoryOf(port) };
    },
  };
}
