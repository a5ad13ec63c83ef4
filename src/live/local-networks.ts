/**
 * Which addresses are "clients": those inside the configured local networks.
 * node:net's BlockList does the matching (both families, any prefix).
 */
import { BlockList, isIPv4, isIPv6 } from 'node:net';
import { parseIpv4Number } from '../common/net.ts';

/** A parsed CIDR block. */
export interface Cidr {
  address: string;
  prefix: number;
  family: 'ipv4' | 'ipv6';
}

/** "10.0.0.0/8" or "fc00::/7" -> block; undefined when malformed. */
export function parseCidr(s: string): Cidr | undefined {
  const slash = s.indexOf('/');
  if (slash < 0) return undefined;
  const address = s.slice(0, slash);
  const prefixText = s.slice(slash + 1);
  if (!/^\d{1,3}$/.test(prefixText)) return undefined;
  const prefix = Number(prefixText);
  if (isIPv4(address) && prefix <= 32) return { address, prefix, family: 'ipv4' };
  if (isIPv6(address) && prefix <= 128) return { address, prefix, family: 'ipv6' };
  return undefined;
}

/** Tells whether an address is local. */
export interface LocalNetworks {
  contains(address: string): boolean;
  /** `contains` for an IPv4 address given as its 32-bit value. */
  containsV4(n: number): boolean;
}

/** A matcher over `blocks` (malformed entries are ignored: the config schema rejects them first). */
export function createLocalNetworks(blocks: readonly string[]): LocalNetworks {
  const list = new BlockList();
  /** IPv4 blocks as [first, last] 32-bit values, checked without BlockList (the per-flow case). */
  const v4: number[] = [];
  for (const b of blocks) {
    const c = parseCidr(b);
    if (!c) continue;
    list.addSubnet(c.address, c.prefix, c.family);
    if (c.family === 'ipv4') {
      const size = 2 ** (32 - c.prefix);
      const n = parseIpv4Number(c.address);
      const first = n - (n % size);
      v4.push(first, first + size - 1);
    }
  }
  const containsV4 = (n: number): boolean => {
    for (let i = 0; i < v4.length; i += 2) if (n >= v4[i]! && n <= v4[i + 1]!) return true;
    return false;
  };
  return {
    containsV4,
    contains(address) {
      const n = parseIpv4Number(address);
      if (n >= 0) return containsV4(n);
      if (isIPv4(address)) return list.check(address, 'ipv4');
      if (isIPv6(address)) return list.check(address, 'ipv6');
      return false;
    },
  };
}
