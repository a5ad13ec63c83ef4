/**
 * Just enough of the DNS message format (RFC 1035 §4.1, AAAA from RFC 3596)
 * to read the first question and the A/AAAA/CNAME answers. Bounds-checked,
 * never throws, follows compression pointers with a hop limit.
 */
import { formatIpv4, formatIpv6 } from '../../common/net.ts';

const HEADER_BYTES = 12;
const TYPE_A = 1;
const TYPE_CNAME = 5;
const TYPE_AAAA = 28;
const CLASS_IN = 1;
/** A name longer than this is malformed (RFC 1035 §2.3.4). */
const MAX_NAME_CHARS = 253;
/** Compression pointers followed before a name is called malformed (loops). */
const MAX_POINTER_HOPS = 16;
/** Answers read from one message (a hostile message could claim 65535). */
const MAX_ANSWERS = 64;

/** One answer record that maps a name to an address or another name. */
export interface DnsAnswer {
  name: string;
  type: 'A' | 'AAAA' | 'CNAME';
  /** An address for A/AAAA, the target name for CNAME. */
  data: string;
  ttlSec: number;
}

/** The parts of a DNS message enrichment uses. */
export interface DnsMessage {
  id: number;
  isResponse: boolean;
  rcode: number;
  /** The first question's name (lowercase, no trailing dot), when present. */
  qname?: string;
  qtype?: number;
  answers: DnsAnswer[];
}

/** Reads a (possibly compressed) name at `offset`; returns it and the offset after it. */
function readName(b: Uint8Array, offset: number): { name: string; next: number } | undefined {
  const labels: string[] = [];
  let o = offset;
  let next = -1;
  let hops = 0;
  let chars = 0;
  for (;;) {
    if (o >= b.length) return undefined;
    const len = b[o]!;
    if (len === 0) {
      if (next < 0) next = o + 1;
      break;
    }
    if ((len & 0xc0) === 0xc0) {
      if (o + 1 >= b.length || ++hops > MAX_POINTER_HOPS) return undefined;
      if (next < 0) next = o + 2;
      o = ((len & 0x3f) << 8) | b[o + 1]!;
      continue;
    }
    if ((len & 0xc0) !== 0 || o + 1 + len > b.length) return undefined;
    chars += len + 1;
    if (chars > MAX_NAME_CHARS + 1) return undefined;
    labels.push(Buffer.from(b.buffer, b.byteOffset + o + 1, len).toString('utf8'));
    o += 1 + len;
  }
  return { name: labels.join('.').toLowerCase(), next };
}

/**
 * False when the `length` bytes at `b[at]` cannot be a message parseDnsMessage
 * parses: shorter than a header, or an opcode (flags bits 11-14) other than
 * QUERY (0), for which what follows would make no sense. Read from the bytes
 * where they lie (the meter's frame, PayloadInspector.mayMatch): a payload
 * on a DNS port that is not DNS is turned away before anything is made.
 */
export function mayBeDnsMessage(b: Uint8Array, at: number, length: number): boolean {
  return length >= HEADER_BYTES && ((b[at + 2]! >> 3) & 0xf) === 0;
}

/** Parses a DNS message (UDP payload; for TCP skip the 2-byte length first). */
export function parseDnsMessage(b: Uint8Array): DnsMessage | undefined {
  if (!mayBeDnsMessage(b, 0, b.length)) return undefined;
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const flags = v.getUint16(2);
  const qdcount = v.getUint16(4);
  const ancount = Math.min(v.getUint16(6), MAX_ANSWERS);
  const msg: DnsMessage = {
    id: v.getUint16(0),
    isResponse: (flags & 0x8000) !== 0,
    rcode: flags & 0xf,
    answers: [],
  };
  let o = HEADER_BYTES;
  for (let i = 0; i < Math.min(qdcount, MAX_ANSWERS); i++) {
    const q = readName(b, o);
    if (!q || q.next + 4 > b.length) return i === 0 ? undefined : msg;
    if (i === 0) {
      msg.qname = q.name;
      msg.qtype = v.getUint16(q.next);
    }
    o = q.next + 4;
  }
  for (let i = 0; i < ancount; i++) {
    const r = readName(b, o);
    if (!r || r.next + 10 > b.length) break;
    const type = v.getUint16(r.next);
    const cls = v.getUint16(r.next + 2);
    const ttlSec = v.getUint32(r.next + 4);
    const rdlen = v.getUint16(r.next + 8);
    const rd = r.next + 10;
    if (rd + rdlen > b.length) break;
    o = rd + rdlen;
    if (cls !== CLASS_IN) continue;
    if (type === TYPE_A && rdlen === 4)
      msg.answers.push({ name: r.name, type: 'A', data: formatIpv4(b, rd), ttlSec });
    else if (type === TYPE_AAAA && rdlen === 16)
      msg.answers.push({ name: r.name, type: 'AAAA', data: formatIpv6(b, rd), ttlSec });
    else if (type === TYPE_CNAME) {
      const t = readName(b, rd);
      if (t) msg.answers.push({ name: r.name, type: 'CNAME', data: t.name, ttlSec });
    }
  }
  return msg;
}

/**
 * Address -> the name the client asked for: CNAME chains are followed back to
 * the question, so `www.youtube.com CNAME youtube-ui.l.google.com A 1.2.3.4`
 * names 1.2.3.4 "www.youtube.com".
 */
export function addressNames(msg: DnsMessage): { address: string; name: string; ttlSec: number }[] {
  const aliasOf = new Map<string, string>();
  for (const a of msg.answers) if (a.type === 'CNAME' && !aliasOf.has(a.data)) aliasOf.set(a.data, a.name);
  const out: { address: string; name: string; ttlSec: number }[] = [];
  for (const a of msg.answers) {
    if (a.type === 'CNAME') continue;
    let name = a.name;
    for (let hops = 0; hops < 8; hops++) {
      const up = aliasOf.get(name);
      if (up === undefined) break;
      name = up;
    }
    out.push({ address: a.data, name, ttlSec: a.ttlSec });
  }
  return out;
}
