/**
 * DHCPv4 messages as device discovery needs them (RFC 2131 §2 layout, RFC
 * 2132 options): the client's fingerprint (option 55 in its order, 60, 57,
 * 77), its names (12, 81) and identity (61), and the server's assignment.
 * Bounds-checked, never throws; option overload (52) is not followed.
 */
import type { DhcpFingerprint } from '../model.ts';

/** A parsed DHCP message. */
export interface DhcpMessage {
  /** 1 BOOTREQUEST (client), 2 BOOTREPLY (server). */
  op: number;
  /** Option 53. */
  messageType?: number;
  chaddr?: string;
  ciaddr: string;
  yiaddr: string;
  fingerprint: DhcpFingerprint;
  /** Option 12. */
  hostName?: string;
  /** Option 81 (RFC 4702) domain name. */
  fqdn?: string;
  /** Option 61, hex. */
  clientId?: string;
  /** Option 50. */
  requestedIp?: string;
}

const BOOTP_FIXED_BYTES = 236;
const DHCP_MAGIC = [0x63, 0x82, 0x53, 0x63]; // RFC 2131 §3
const HTYPE_ETHERNET = 1;
const MAX_OPTIONS = 96;
const MAX_TEXT = 128;

/** Option numbers (RFC 2132 §9, RFC 3004, RFC 4702). */
export const DHCP_OPTION = {
  hostName: 12,
  requestedIp: 50,
  messageType: 53,
  prl: 55,
  maxMessageSize: 57,
  vendorClass: 60,
  clientId: 61,
  userClass: 77,
  clientFqdn: 81,
} as const;

/** Parses the UDP payload of a DHCP message; undefined when it is not one. */
export function parseDhcpMessage(p: Uint8Array): DhcpMessage | undefined {
  if (p.length < BOOTP_FIXED_BYTES + 4) return undefined;
  for (let i = 0; i < 4; i++) if (p[BOOTP_FIXED_BYTES + i] !== DHCP_MAGIC[i]) return undefined;
  const m: DhcpMessage = {
    op: p[0]!,
    ciaddr: ipv4At(p, 12),
    yiaddr: ipv4At(p, 16),
    fingerprint: { prl: [], options: [] },
  };
  if (p[1] === HTYPE_ETHERNET && p[2] === 6) m.chaddr = hexAt(p, 28, 6, ':');
  for (let o = BOOTP_FIXED_BYTES + 4; o < p.length && m.fingerprint.options.length < MAX_OPTIONS;) {
    const code = p[o]!;
    if (code === 255) break;
    if (code === 0) {
      o++;
      continue;
    }
    const len = p[o + 1] ?? 0;
    const v = p.subarray(o + 2, Math.min(p.length, o + 2 + len));
    o += 2 + len;
    m.fingerprint.options.push(code);
    applyOption(m, code, v);
  }
  return m;
}

function applyOption(m: DhcpMessage, code: number, v: Uint8Array): void {
  const f = m.fingerprint;
  switch (code) {
    case DHCP_OPTION.messageType:
      if (v.length >= 1) m.messageType = v[0]!;
      break;
    case DHCP_OPTION.prl:
      f.prl = [...v];
      break;
    case DHCP_OPTION.vendorClass:
      f.vendorClass = text(v);
      break;
    case DHCP_OPTION.maxMessageSize:
      if (v.length >= 2) f.maxMessageSize = (v[0]! << 8) | v[1]!;
      break;
    case DHCP_OPTION.userClass:
      f.userClass = text(v);
      break;
    case DHCP_OPTION.hostName:
      m.hostName = text(v);
      break;
    case DHCP_OPTION.clientFqdn:
      // RFC 4702 §2: flags, two obsolete RCODE bytes, then the name (wire or ASCII form by the E flag).
      if (v.length > 3) m.fqdn = (v[0]! & 0x04) !== 0 ? wireName(v.subarray(3)) : text(v.subarray(3));
      break;
    case DHCP_OPTION.clientId:
      if (v.length > 0) m.clientId = hexAt(v, 0, Math.min(v.length, 64), '');
      break;
    case DHCP_OPTION.requestedIp:
      if (v.length === 4) m.requestedIp = ipv4At(v, 0);
      break;
    default:
      break;
  }
}

/** Printable ASCII of an option, trimmed of NULs and bounded. */
function text(v: Uint8Array): string {
  let s = '';
  for (const b of v.subarray(0, MAX_TEXT)) {
    if (b === 0) break;
    s += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '?';
  }
  return s.trim();
}

/** A DNS wire-format name (RFC 1035 §3.1) without compression. */
function wireName(v: Uint8Array): string {
  const labels: string[] = [];
  for (let o = 0; o < v.length;) {
    const len = v[o]!;
    if (len === 0 || len > 63) break;
    labels.push(text(v.subarray(o + 1, o + 1 + len)));
    o += 1 + len;
  }
  return labels.join('.');
}

function ipv4At(p: Uint8Array, o: number): string {
  return `${p[o] ?? 0}.${p[o + 1] ?? 0}.${p[o + 2] ?? 0}.${p[o + 3] ?? 0}`;
}

function hexAt(p: Uint8Array, o: number, n: number, sep: string): string {
  return Array.from(p.subarray(o, o + n), (x) => x.toString(16).padStart(2, '0')).join(sep);
}
