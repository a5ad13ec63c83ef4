/**
 * A snooped DHCP message -> an observation. A client's message (BOOTREQUEST)
 * gives its fingerprint, identity and its own host name ("dhcp-client"); a
 * server's ACK gives the address assigned and, when the server sends option
 * 12, the name it assigned ("dhcp-assigned"), kept apart from the client's.
 */
import type { Observation } from '../model.ts';
import { parseDhcpMessage } from './dhcp-message.ts';

const BOOTREQUEST = 1;
/** RFC 2132 §9.6 message types. */
const DHCPACK = 5;
const NO_ADDRESS = '0.0.0.0';

/** Where the message came from (the meter's snoop event fields). */
export interface DhcpPacketContext {
  tsMs: number;
  srcMac?: string;
  srcAddr: string;
}

/** The observation in a DHCP payload; undefined when it says nothing about a client. */
export function observeDhcp(payload: Uint8Array, ctx: DhcpPacketContext): Observation | undefined {
  const m = parseDhcpMessage(payload);
  if (!m) return undefined;
  const mac = m.chaddr ?? (m.op === BOOTREQUEST ? ctx.srcMac : undefined);
  if (!mac) return undefined;
  const o: Observation = { source: 'dhcp', tsMs: ctx.tsMs, mac };
  if (m.clientId) o.clientId = m.clientId;
  if (m.op === BOOTREQUEST) {
    const ip = m.ciaddr !== NO_ADDRESS ? m.ciaddr : ctx.srcAddr !== NO_ADDRESS ? ctx.srcAddr : undefined;
    if (ip) o.ip = ip;
    const names: NonNullable<Observation['names']> = [];
    if (m.hostName) names.push({ name: m.hostName, source: 'dhcp-client' });
    if (m.fqdn) names.push({ name: m.fqdn, source: 'dhcp-fqdn' });
    if (names.length) o.names = names;
    if (m.fingerprint.prl.length > 0 || m.fingerprint.vendorClass) o.dhcp = m.fingerprint;
  } else {
    if (m.messageType === DHCPACK && m.yiaddr !== NO_ADDRESS) o.ip = m.yiaddr;
    if (m.hostName) o.names = [{ name: m.hostName, source: 'dhcp-assigned' }];
    // A server's reply is not the client speaking: its client id echo is enough to link, nothing else.
  }
  return o;
}
