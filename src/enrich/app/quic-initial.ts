/**
 * QUIC v1 client Initial packets (RFC 9000 §17.2.2) opened with the keys
 * anyone can derive from the Destination Connection ID (RFC 9001 §5.2), so
 * the CRYPTO frames' ClientHello (and its SNI) can be read. Header protection
 * is AES-128-ECB over a 16-byte sample (RFC 9001 §5.4.3), the payload
 * AES-128-GCM with the packet number XORed into the IV (§5.3).
 */
import type * as Crypto from 'node:crypto';
import { parseHandshake, type ClientHello } from './tls-client-hello.ts';

/** node:crypto when first needed (a QUIC Initial): loading it costs `flowlens meter` 3-4 ms at start. */
const crypto = (): typeof Crypto => process.getBuiltinModule('node:crypto');

/** RFC 9001 §5.2: initial_salt for QUIC version 1. */
const INITIAL_SALT_V1 = Buffer.from('38762cf7f55934b34d179ae6a4c80cadccbb7f0a', 'hex');
const QUIC_V1 = 0x00000001;
const AEAD_TAG_BYTES = 16;
const SAMPLE_BYTES = 16;
/** RFC 9000 §17.2: a v1 connection id is at most 20 bytes. */
const MAX_CID_BYTES = 20;
/** CRYPTO bytes gathered from one flow's Initials (a ClientHello with PQ key shares is ~1.8 KB). */
const MAX_CRYPTO_BYTES = 16 * 1024;
const FRAME_PADDING = 0x00;
const FRAME_PING = 0x01;
const FRAME_ACK = 0x02;
const FRAME_ACK_ECN = 0x03;
const FRAME_CRYPTO = 0x06;

/** Initial keys of one direction (RFC 9001 §5.1). */
export interface InitialKeys {
  key: Buffer;
  iv: Buffer;
  hp: Buffer;
}

/** HKDF-Expand-Label (RFC 8446 §7.1) with an empty context, SHA-256, output ≤ 32 bytes. */
function expandLabel(secret: Buffer, label: string, length: number): Buffer {
  const full = Buffer.from(`tls13 ${label}`, 'latin1');
  const info = Buffer.concat([
    Buffer.from([length >> 8, length & 0xff, full.length]),
    full,
    Buffer.from([0, 1]),
  ]);
  // HKDF-Expand (RFC 5869 §2.3): T(1) = HMAC(PRK, info | 0x01) suffices for ≤ 32 bytes.
  return crypto().createHmac('sha256', secret).update(info).digest().subarray(0, length);
}

/** The client's Initial keys for a Destination Connection ID (RFC 9001 §5.2). */
export function clientInitialKeys(dcid: Uint8Array): InitialKeys {
  const initialSecret = crypto().createHmac('sha256', INITIAL_SALT_V1).update(dcid).digest();
  const client = expandLabel(initialSecret, 'client in', 32);
  return {
    key: expandLabel(client, 'quic key', 16),
    iv: expandLabel(client, 'quic iv', 12),
    hp: expandLabel(client, 'quic hp', 16),
  };
}

/** A QUIC variable-length integer (RFC 9000 §16) at `o`: value and size, or undefined. */
function varint(b: Uint8Array, o: number): { v: number; n: number } | undefined {
  if (o >= b.length) return undefined;
  const n = 1 << (b[o]! >> 6);
  if (o + n > b.length) return undefined;
  let v = b[o]! & 0x3f;
  for (let i = 1; i < n; i++) v = v * 256 + b[o + i]!;
  return { v, n };
}

/** True when `b` starts like a QUIC v1 long-header Initial packet. */
export function looksLikeQuicInitial(b: Uint8Array): boolean {
  return (
    b.length >= 7 &&
    (b[0]! & 0xf0) === 0xc0 &&
    ((b[1]! << 24) | (b[2]! << 16) | (b[3]! << 8) | b[4]!) === QUIC_V1
  );
}

/** One CRYPTO frame's stream offset and bytes. */
export interface CryptoChunk {
  offset: number;
  data: Uint8Array;
}

/** Opens the first (client) Initial packet of a datagram and returns its CRYPTO frames. */
export function openClientInitial(pkt: Uint8Array): CryptoChunk[] | undefined {
  if (!looksLikeQuicInitial(pkt)) return undefined;
  let o = 5;
  const dcidLen = pkt[o]!;
  if (dcidLen > MAX_CID_BYTES || o + 1 + dcidLen >= pkt.length) return undefined;
  const dcid = pkt.subarray(o + 1, o + 1 + dcidLen);
  o += 1 + dcidLen;
  const scidLen = pkt[o]!;
  if (scidLen > MAX_CID_BYTES) return undefined;
  o += 1 + scidLen;
  const token = varint(pkt, o);
  if (!token) return undefined;
  o += token.n + token.v;
  const length = varint(pkt, o);
  if (!length) return undefined;
  const pnOffset = o + length.n;
  const end = pnOffset + length.v;
  if (end > pkt.length || pnOffset + 4 + SAMPLE_BYTES > end) return undefined;
  const keys = clientInitialKeys(dcid);
  return unprotect(pkt, pnOffset, end, keys);
}

function unprotect(
  pkt: Uint8Array,
  pnOffset: number,
  end: number,
  keys: InitialKeys,
): CryptoChunk[] | undefined {
  const ecb = crypto().createCipheriv('aes-128-ecb', keys.hp, null);
  const mask = ecb.update(pkt.subarray(pnOffset + 4, pnOffset + 4 + SAMPLE_BYTES));
  const header = Buffer.from(pkt.subarray(0, pnOffset + 4));
  header[0] = header[0]! ^ (mask[0]! & 0x0f);
  const pnLen = (header[0] & 0x03) + 1;
  const nonce = Buffer.from(keys.iv);
  for (let i = 0; i < pnLen; i++) {
    const byte = header[pnOffset + i]! ^ mask[1 + i]!;
    header[pnOffset + i] = byte;
    nonce[nonce.length - pnLen + i] = nonce[nonce.length - pnLen + i]! ^ byte;
  }
  const payloadStart = pnOffset + pnLen;
  if (end - payloadStart < AEAD_TAG_BYTES) return undefined;
  try {
    const gcm = crypto().createDecipheriv('aes-128-gcm', keys.key, nonce);
    gcm.setAAD(header.subarray(0, payloadStart));
    gcm.setAuthTag(pkt.subarray(end - AEAD_TAG_BYTES, end));
    const plain = Buffer.concat([gcm.update(pkt.subarray(payloadStart, end - AEAD_TAG_BYTES)), gcm.final()]);
    return cryptoFrames(plain);
  } catch {
    return undefined; // not an Initial from a client, or corrupt: the tag does not verify
  }
}

/** CRYPTO frames of an Initial payload; stops at the first frame type an Initial should not carry. */
function cryptoFrames(p: Uint8Array): CryptoChunk[] {
  const out: CryptoChunk[] = [];
  let o = 0;
  while (o < p.length) {
    const type = p[o]!;
    if (type === FRAME_PADDING || type === FRAME_PING) {
      o++;
    } else if (type === FRAME_CRYPTO) {
      const off = varint(p, o + 1);
      const len = off && varint(p, o + 1 + off.n);
      if (!off || !len || o + 1 + off.n + len.n + len.v > p.length) break;
      const start = o + 1 + off.n + len.n;
      out.push({ offset: off.v, data: p.subarray(start, start + len.v) });
      o = start + len.v;
    } else if (type === FRAME_ACK || type === FRAME_ACK_ECN) {
      const next = skipAck(p, o + 1, type === FRAME_ACK_ECN);
      if (next === undefined) break;
      o = next;
    } else break;
  }
  return out;
}

/** RFC 9000 §19.3: largest, delay, range count, first range, ranges (gap, len), ECN counts. */
function skipAck(p: Uint8Array, o: number, ecn: boolean): number | undefined {
  const fields: number[] = [];
  for (let i = 0; i < 4; i++) {
    const f = varint(p, o);
    if (!f) return undefined;
    fields.push(f.v);
    o += f.n;
  }
  const more = 2 * fields[2]! + (ecn ? 3 : 0);
  for (let i = 0; i < more; i++) {
    const f = varint(p, o);
    if (!f) return undefined;
    o += f.n;
  }
  return o;
}

/**
 * The ClientHello from the CRYPTO frames of one or more client Initial
 * datagrams (browsers split and reorder them): the contiguous bytes from
 * offset 0 are parsed, partial or not.
 */
export function quicClientHello(datagrams: readonly Uint8Array[]): ClientHello | undefined {
  const chunks: CryptoChunk[] = [];
  for (const d of datagrams) chunks.push(...(openClientInitial(d) ?? []));
  if (chunks.length === 0) return undefined;
  chunks.sort((a, b) => a.offset - b.offset);
  const buf = Buffer.alloc(
    Math.min(
      MAX_CRYPTO_BYTES,
      chunks.reduce((m, c) => Math.max(m, c.offset + c.data.length), 0),
    ),
  );
  let contiguous = 0;
  for (const c of chunks) {
    if (c.offset > contiguous || c.offset >= buf.length) break;
    buf.set(c.data.subarray(0, buf.length - c.offset), c.offset);
    contiguous = Math.max(contiguous, Math.min(buf.length, c.offset + c.data.length));
  }
  return parseHandshake(buf.subarray(0, contiguous));
}
