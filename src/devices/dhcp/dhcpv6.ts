/**
 * DHCPv6 (RFC 8415) as device discovery needs it: the client's DUID (§11;
 * DUID-LLT and DUID-LL carry its MAC), option request order (ORO, option 6),
 * vendor class (16: enterprise number + data; 311 is Microsoft), FQDN (39,
 * RFC 4704), a prefix delegation request (IA_PD, 25: a router) and a MUD URL
 * (112, RFC 8520: an IoT device), and the addresses a reply assigns
 * (IA_NA 3 / IAADDR 5), the user class (15) and the order of the options and
 * of the ORO, which fingerprint the client (fingerprints/dhcpv6-rules.ts).
 * Relay messages (12, 13) are unwrapped through their Relay Message option
 * (9). Bounded, never throws. Clients send from UDP 546 to 547; the meter
 * snoops both ports (src/meter/snoop.ts).
 */
import { dhcpv6Evidence } from '../fingerprints/dhcpv6-rules.ts';
import type { Dhcpv6Fingerprint, Observation } from '../model.ts';

const RELAY_FORW = 12;
const RELAY_REPL = 13;
const REPLY = 7;
const ADVERTISE = 2;
const OPT = {
  clientId: 1,
  iaNa: 3,
  iaAddr: 5,
  oro: 6,
  relayMsg: 9,
  userClass: 15,
  vendorClass: 16,
  iaPd: 25,
  fqdn: 39,
  mudUrl: 112,
} as const;
const MAX_DEPTH = 8;
const MAX_OPTIONS = 64;
const MAX_CLASS_ITEMS = 8;
const HW_ETHERNET = 1;

/** A DHCPv6 message's client facts. */
export interface Dhcpv6Message {
  msgType: number;
  duid?: string;
  duidType?: number;
  mac?: string;
  oro: number[];
  /** Option codes in the message's order. */
  options: number[];
  vendorEnterprise?: number;
  vendorClass?: string;
  /** User class items (option 15), joined with ",". */
  userClass?: string;
  fqdn?: string;
  requestsPrefix: boolean;
  mudUrl?: string;
  addresses: string[];
}

const u16 = (p: Uint8Array, o: number): number => ((p[o] ?? 0) << 8) | (p[o + 1] ?? 0);
const hex = (p: Uint8Array, sep = ''): string =>
  Array.from(p, (x) => x.toString(16).padStart(2, '0')).join(sep);
const text = (p: Uint8Array): string => new TextDecoder().decode(p).replace(/[^\x20-\x7e]/g, '?');

function ipv6(p: Uint8Array): string {
  const g: string[] = [];
  for (let i = 0; i < 8; i++) g.push(u16(p, 2 * i).toString(16));
  return g.join(':').replace(/(^|:)0(:0)+(:|$)/, '::');
}

function* options(p: Uint8Array, start: number): Generator<[number, Uint8Array]> {
  let n = 0;
  for (let o = start; o + 4 <= p.length && n++ < MAX_OPTIONS;) {
    const len = u16(p, o + 2);
    yield [u16(p, o), p.subarray(o + 4, Math.min(p.length, o + 4 + len))];
    o += 4 + len;
  }
}

/** The items of a user or vendor class option: each a 2-byte length and its data (RFC 8415 §21.15, §21.16). */
function classItems(p: Uint8Array, start: number): string[] {
  const out: string[] = [];
  for (let o = start; o + 2 <= p.length && out.length < MAX_CLASS_ITEMS;) {
    const len = u16(p, o);
    out.push(text(p.subarray(o + 2, Math.min(p.length, o + 2 + len))));
    o += 2 + len;
  }
  return out;
}

function applyDuid(m: Dhcpv6Message, v: Uint8Array): void {
  m.duid = hex(v);
  const type = u16(v, 0);
  m.duidType = type;
  // DUID-LLT: type 1, hardware type, time, address; DUID-LL: type 3, hardware type, address.
  const at = type === 1 ? 8 : type === 3 ? 4 : -1;
  if (at > 0 && u16(v, 2) === HW_ETHERNET && v.length >= at + 6) m.mac = hex(v.subarray(at, at + 6), ':');
}

function applyOption(m: Dhcpv6Message, code: number, v: Uint8Array): void {
  switch (code) {
    case OPT.clientId:
      applyDuid(m, v);
      break;
    case OPT.oro:
      for (let i = 0; i + 1 < v.length; i += 2) m.oro.push(u16(v, i));
      break;
    case OPT.vendorClass: {
      m.vendorEnterprise = (v[0] ?? 0) * 2 ** 24 + ((v[1] ?? 0) << 16) + u16(v, 2);
      const first = classItems(v, 4)[0];
      if (first) m.vendorClass = first;
      break;
    }
    case OPT.userClass: {
      const items = classItems(v, 0);
      if (items.length) m.userClass = items.join(',');
      break;
    }
    case OPT.fqdn: {
      const labels: string[] = [];
      for (let o = 1; o < v.length && v[o]! > 0 && labels.length < 32; o += 1 + v[o]!)
        labels.push(text(v.subarray(o + 1, o + 1 + v[o]!)));
      if (labels.length) m.fqdn = labels.join('.');
      break;
    }
    case OPT.iaPd:
      m.requestsPrefix = true;
      break;
    case OPT.mudUrl:
      m.mudUrl = text(v);
      break;
    case OPT.iaNa:
      for (const [c, a] of options(v, 12))
        if (c === OPT.iaAddr && a.length >= 16) m.addresses.push(ipv6(a.subarray(0, 16)));
      break;
    default:
      break;
  }
}

/** The innermost client or server message of a DHCPv6 payload; undefined when it is not one. */
export function parseDhcpv6(p: Uint8Array, depth = 0): Dhcpv6Message | undefined {
  const type = p[0];
  if (type === undefined || type === 0 || type > 35 || depth > MAX_DEPTH) return undefined;
  if (type === RELAY_FORW || type === RELAY_REPL) {
    for (const [code, v] of options(p, 34)) if (code === OPT.relayMsg) return parseDhcpv6(v, depth + 1);
    return undefined;
  }
  const m: Dhcpv6Message = { msgType: type, oro: [], options: [], requestsPrefix: false, addresses: [] };
  for (const [code, v] of options(p, 4)) {
    m.options.push(code);
    applyOption(m, code, v);
  }
  return m;
}

/** The fingerprint of a client message. */
function fingerprintOf(m: Dhcpv6Message): Dhcpv6Fingerprint {
  const f: Dhcpv6Fingerprint = { oro: m.oro, options: m.options };
  if (m.duidType !== undefined) f.duidType = m.duidType;
  if (m.vendorEnterprise !== undefined) f.enterprise = m.vendorEnterprise;
  if (m.vendorClass) f.vendorClass = m.vendorClass;
  if (m.userClass) f.userClass = m.userClass;
  return f;
}

/** The observation in a DHCPv6 payload sent from `srcAddr`. */
export function observeDhcpv6(
  payload: Uint8Array,
  ctx: { tsMs: number; srcAddr: string; srcMac?: string },
): Observation | undefined {
  const m = parseDhcpv6(payload);
  if (!m || !m.duid) return undefined;
  const fromServer = m.msgType === REPLY || m.msgType === ADVERTISE;
  const o: Observation = { source: 'dhcp', tsMs: ctx.tsMs, clientId: `duid:${m.duid}` };
  const mac = m.mac ?? (fromServer || payload[0] === RELAY_FORW ? undefined : ctx.srcMac);
  if (mac) o.mac = mac;
  const ip = fromServer ? m.addresses[0] : payload[0] === RELAY_FORW ? undefined : ctx.srcAddr;
  if (ip) o.ip = ip;
  if (m.fqdn && !fromServer) o.names = [{ name: m.fqdn, source: 'dhcp-fqdn' }];
  if (!fromServer) {
    o.dhcpv6 = fingerprintOf(m);
    const ev = dhcpv6Evidence(o.dhcpv6, m.mudUrl ? { mudUrl: m.mudUrl } : {});
    if (ev.length) o.evidence = ev;
  }
  return o;
}
