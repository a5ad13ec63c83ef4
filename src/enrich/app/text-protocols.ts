/**
 * Detectors for protocols recognisable from their first bytes: HTTP/1.x
 * requests (RFC 9112 §3, Host RFC 9110 §7.2, User-Agent §10.1.5), SSH
 * identification strings (RFC 4253 §4.2), the BitTorrent peer handshake
 * (BEP 3), SIP request/status lines (RFC 3261 §7.1/§7.2) and RTP headers
 * (RFC 3550 §5.1, heuristics only: version 2 and a plausible payload type).
 */

/** What an HTTP request start tells. */
export interface HttpRequest {
  method: string;
  host?: string;
  userAgent?: string;
}

const HTTP_METHODS = ['GET', 'POST', 'HEAD', 'PUT', 'DELETE', 'OPTIONS', 'CONNECT', 'PATCH', 'TRACE'];
const SIP_METHODS = [
  'INVITE',
  'REGISTER',
  'OPTIONS',
  'ACK',
  'BYE',
  'CANCEL',
  'SUBSCRIBE',
  'NOTIFY',
  'MESSAGE',
  'INFO',
  'PRACK',
  'UPDATE',
  'REFER',
  'PUBLISH',
];
/** Header bytes looked at; a request line plus the usual headers fit. */
const MAX_HEADER_SCAN = 4096;

/**
 * True when `b` starts with an upper-case ASCII letter: every text protocol
 * here does (methods, "HTTP/", "SSH-", "SIP/"), so binary and other payloads
 * are turned away before any text is made of them.
 */
function startsUpper(b: Uint8Array): boolean {
  const c = b[0] ?? 0;
  return c >= 0x41 && c <= 0x5a;
}

function ascii(b: Uint8Array, max: number): string {
  return Buffer.from(b.subarray(0, Math.min(b.length, max))).toString('latin1');
}

function firstLine(text: string): string {
  const i = text.indexOf('\r\n');
  return i < 0 ? text : text.slice(0, i);
}

/** Value of header `name` (lowercase) in a header block, trimmed. */
function header(text: string, name: string): string | undefined {
  const re = new RegExp(`\\r\\n${name}[ \\t]*:[ \\t]*([^\\r\\n]*)`, 'i');
  const m = re.exec(text);
  return m?.[1]?.trim();
}

/** An HTTP/1.x request: method, Host (port removed, lowercase), User-Agent. */
export function parseHttpRequest(b: Uint8Array): HttpRequest | undefined {
  if (!startsUpper(b)) return undefined;
  const sp = b.subarray(0, 9).indexOf(0x20);
  if (sp < 3 || sp > 8) return undefined;
  const method = ascii(b, sp);
  if (!HTTP_METHODS.includes(method)) return undefined;
  const text = ascii(b, MAX_HEADER_SCAN);
  if (!/^\S+ \S+ HTTP\/\d/.test(firstLine(text))) return undefined;
  const req: HttpRequest = { method };
  const host = header(text, 'host');
  if (host)
    req.host = host
      .replace(/:\d+$/, '')
      .replace(/^\[(.*)\]$/, '$1')
      .toLowerCase();
  const ua = header(text, 'user-agent');
  if (ua) req.userAgent = ua;
  return req;
}

/** An HTTP/1.x response status line ("HTTP/1.1 200 OK"). */
export function isHttpResponse(b: Uint8Array): boolean {
  if (b[0] !== 0x48 || b[1] !== 0x54) return false; // "HT"
  return /^HTTP\/\d(\.\d)? \d{3}/.test(ascii(b, 16));
}

/** SSH identification string "SSH-2.0-software" (RFC 4253 §4.2); returns the software part. */
export function parseSshBanner(b: Uint8Array): string | undefined {
  if (b[0] !== 0x53 || b[1] !== 0x53 || b[2] !== 0x48 || b[3] !== 0x2d) return undefined; // "SSH-"
  const m = /^SSH-(\d\.\d+)-([^\r\n ]*)/.exec(ascii(b, 255));
  return m ? m[2] : undefined;
}

/** BEP 3: pstrlen 19 then "BitTorrent protocol". */
export function isBitTorrentHandshake(b: Uint8Array): boolean {
  return b.length >= 20 && b[0] === 19 && ascii(b.subarray(1), 19) === 'BitTorrent protocol';
}

/** A SIP request ("INVITE sip:... SIP/2.0") or status line ("SIP/2.0 200 OK"). */
export function isSip(b: Uint8Array): boolean {
  if (!startsUpper(b)) return false;
  const line = firstLine(ascii(b, 256));
  if (/^SIP\/2\.0 \d{3} /.test(line)) return true;
  const m = /^([A-Z]+) \S+ SIP\/2\.0$/.exec(line);
  return m !== null && SIP_METHODS.includes(m[1]!);
}

/**
 * RTP (RFC 3550 §5.1) by heuristics: version 2, a payload type of the static
 * audio/video set or the dynamic range (RFC 3551 §6), and not RTCP (types
 * 200-204 in the second byte, RFC 3550 §12.1). Used for UDP on unknown ports only.
 */
export function looksLikeRtp(b: Uint8Array): boolean {
  if (b.length < 12 || b[0]! >> 6 !== 2) return false;
  const pt = b[1]! & 0x7f;
  const csrc = b[0]! & 0x0f;
  if (12 + 4 * csrc > b.length) return false;
  if (b[1]! >= 200 && b[1]! <= 204) return false;
  return pt <= 34 || (pt >= 96 && pt <= 127);
}

/** RTCP sender/receiver report (RFC 3550 §6.4): version 2, packet type 200 or 201. */
export function looksLikeRtcp(b: Uint8Array): boolean {
  return b.length >= 8 && b[0]! >> 6 === 2 && (b[1] === 200 || b[1] === 201);
}
