/**
 * JA4 TLS client fingerprint (FoxIO, github.com/FoxIO-LLC/ja4,
 * technical_details/JA4.md):
 * `<q|t><version><d|i><ciphers:2><extensions:2><alpn first+last>_<cipher hash>_<extension hash>`.
 * GREASE values (RFC 8701) are ignored everywhere; the hashes are the first
 * 12 hex characters of SHA-256.
 */
import type * as Crypto from 'node:crypto';
import type { ClientHello } from './tls-client-hello.ts';

/** node:crypto when first needed (a complete ClientHello): loading it costs `flowlens meter` 3-4 ms at start. */
const crypto = (): typeof Crypto => process.getBuiltinModule('node:crypto');

const EXT_SERVER_NAME = 0x0000;
const EXT_ALPN = 0x0010;
/** Spec: "If there are no ciphers/extensions, the hash is 000000000000". */
const EMPTY_HASH = '000000000000';

/** GREASE values are 0x?a?a with both bytes equal (RFC 8701 §2). */
export function isGrease(v: number): boolean {
  return (v & 0x0f0f) === 0x0a0a && v >> 8 === (v & 0xff);
}

const VERSION_LABELS: Record<number, string> = {
  0x0304: '13',
  0x0303: '12',
  0x0302: '11',
  0x0301: '10',
  0x0300: 's3',
  0x0200: 's2',
  0x0100: 's1',
  // DTLS (the "d" transport) versions, from the current spec.
  0xfeff: 'd1',
  0xfefd: 'd2',
  0xfefc: 'd3',
};

function hex4(v: number): string {
  return v.toString(16).padStart(4, '0');
}

/** First 12 hex characters of SHA-256 of `s` (or zeros for an empty list). */
export function ja4Hash(s: string): string {
  return s === '' ? EMPTY_HASH : crypto().createHash('sha256').update(s).digest('hex').slice(0, 12);
}

function isAlnum(c: string): boolean {
  return /^[0-9A-Za-z]$/.test(c);
}

/**
 * First and last characters of the first ALPN value; "00" without one. When
 * either is not alphanumeric the spec takes the first and last characters of
 * the value's hex form instead (e.g. GREASE-like or binary ALPN values).
 */
function alpnLabel(alpn: readonly string[]): string {
  const first = alpn[0];
  if (first === undefined || first === '') return '00';
  const a = first[0]!;
  const z = first[first.length - 1]!;
  if (isAlnum(a) && isAlnum(z)) return a + z;
  const hex = Buffer.from(first, 'latin1').toString('hex');
  return hex[0]! + hex[hex.length - 1]!;
}

/** The JA4 fingerprint of a hello; `transport` "q" for QUIC, "d" for DTLS, "t" for TCP. */
export function computeJa4(h: ClientHello, transport: 't' | 'q' | 'd'): string {
  const ciphers = h.ciphers.filter((c) => !isGrease(c));
  const exts = h.extensions.filter((e) => !isGrease(e));
  const versions = h.supportedVersions.filter((v) => !isGrease(v));
  const version = versions.length > 0 ? Math.max(...versions) : h.version;
  const a =
    transport +
    (VERSION_LABELS[version] ?? '00') +
    (exts.includes(EXT_SERVER_NAME) ? 'd' : 'i') +
    String(Math.min(ciphers.length, 99)).padStart(2, '0') +
    String(Math.min(exts.length, 99)).padStart(2, '0') +
    alpnLabel(h.alpn);
  const b = ja4Hash(ciphers.map(hex4).sort().join(','));
  const extList = exts
    .filter((e) => e !== EXT_SERVER_NAME && e !== EXT_ALPN)
    .map(hex4)
    .sort()
    .join(',');
  const sigs = h.signatureAlgorithms.filter((s) => !isGrease(s)).map(hex4);
  const c = ja4Hash(sigs.length > 0 ? `${extList}_${sigs.join(',')}` : extList);
  return `${a}_${b}_${c}`;
}
