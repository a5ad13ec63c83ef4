/**
 * Names the filter language accepts: every dimension of the field table by
 * its name (case-insensitive), short aliases, and "either side" aliases
 * (`host`, `port`, `as`, ...) that match the source or the destination.
 */
import { DIMENSIONS, fieldByName, type FieldDef } from '../../schema/fields.ts';

const ALIASES: Record<string, readonly string[]> = {
  src: ['srcAddr'],
  dst: ['dstAddr'],
  host: ['srcAddr', 'dstAddr'],
  addr: ['srcAddr', 'dstAddr'],
  sport: ['srcPort'],
  dport: ['dstPort'],
  port: ['srcPort', 'dstPort'],
  as: ['srcAs', 'dstAs'],
  srcas: ['srcAs'],
  dstas: ['dstAs'],
  country: ['srcCountry', 'dstCountry'],
  app: ['appProto'],
  category: ['appCategory'],
  inif: ['inIf'],
  outif: ['outIf'],
  if: ['inIf', 'outIf'],
  mac: ['srcMac', 'dstMac'],
  flags: ['tcpFlags'],
  dir: ['direction'],
  nexthop: ['nextHop'],
  tunnel: ['tunnelType'],
};

const byLowerName = new Map<string, readonly FieldDef[]>(DIMENSIONS.map((d) => [d.name.toLowerCase(), [d]]));
for (const [alias, names] of Object.entries(ALIASES))
  byLowerName.set(
    alias,
    names.map((n) => fieldByName(n)!),
  );

/** The fields a filter name stands for (one, or source and destination), or undefined. */
export function resolveFilterName(name: string): readonly FieldDef[] | undefined {
  return byLowerName.get(name.toLowerCase());
}

/** IP protocol names accepted for `proto` (IANA protocol numbers). */
export const PROTOCOL_NUMBERS: Readonly<Record<string, number>> = {
  icmp: 1,
  igmp: 2,
  tcp: 6,
  udp: 17,
  gre: 47,
  esp: 50,
  ah: 51,
  icmpv6: 58,
  ipv6icmp: 58,
  ospf: 89,
  pim: 103,
  vrrp: 112,
  sctp: 132,
};
