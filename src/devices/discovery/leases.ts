/**
 * DHCP servers' lease files: Kea's memfile CSV (lease4: address, hwaddr,
 * client_id, hostname, state; Kea ARM "Memfile - Basic Storage for Leases")
 * and dnsmasq's lease file ("expiry mac ip hostname client-id", dnsmasq(8)
 * --dhcp-leasefile). The host name in a lease is the one the server
 * recorded for the client ("lease"); expired and declined leases are skipped.
 */
import type { Observation } from '../model.ts';
import { DiscoveryError } from './errors.ts';
import type { DiscoveryMethod } from './scheduler.ts';

/** Kea lease states: 0 default, 1 declined, 2 expired-reclaimed. */
const KEA_STATE_DEFAULT = '0';

function csvRow(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

/** Leases of a Kea lease4 CSV file (the latest line of an address wins, as Kea reads it). */
export function parseKeaLeases(text: string, nowMs: number): Observation[] {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  const header = csvRow(lines[0] ?? '');
  const col = (name: string): number => header.indexOf(name);
  const [iAddr, iHw, iCid, iHost, iState, iExpire] = [
    'address',
    'hwaddr',
    'client_id',
    'hostname',
    'state',
    'expire',
  ].map(col);
  if (iAddr === undefined || iAddr < 0 || iHw === undefined || iHw < 0) return [];
  const byAddr = new Map<string, Observation>();
  for (const line of lines.slice(1)) {
    const r = csvRow(line);
    const ip = r[iAddr];
    const mac = r[iHw];
    if (!ip) continue;
    const state = iState !== undefined && iState >= 0 ? r[iState] : KEA_STATE_DEFAULT;
    const expireMs = Number(iExpire !== undefined && iExpire >= 0 ? r[iExpire] : 0) * 1000;
    if (!mac || state !== KEA_STATE_DEFAULT || (expireMs > 0 && expireMs < nowMs)) {
      byAddr.delete(ip);
      continue;
    }
    const o: Observation = { source: 'lease', tsMs: nowMs, ip, mac };
    const cid = iCid !== undefined && iCid >= 0 ? r[iCid]?.replace(/:/g, '') : undefined;
    if (cid) o.clientId = cid.toLowerCase();
    const host = iHost !== undefined && iHost >= 0 ? r[iHost]?.replace(/\.$/, '') : undefined;
    if (host) o.names = [{ name: host, source: 'lease' }];
    byAddr.set(ip, o);
  }
  return [...byAddr.values()];
}

/** IPv4 leases of a dnsmasq lease file (IPv6 lines, which carry an IAID, not a MAC, are skipped). */
export function parseDnsmasqLeases(text: string, nowMs: number): Observation[] {
  const out: Observation[] = [];
  for (const line of text.split('\n')) {
    const [expiry, mac, ip, host, cid] = line.trim().split(/\s+/);
    if (!expiry || !mac || !ip || !/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i.test(mac)) continue;
    if (Number(expiry) !== 0 && Number(expiry) * 1000 < nowMs) continue;
    const o: Observation = { source: 'lease', tsMs: nowMs, ip, mac: mac.toLowerCase() };
    if (host && host !== '*') o.names = [{ name: host, source: 'lease' }];
    if (cid && cid !== '*') o.clientId = cid.replace(/:/g, '').toLowerCase();
    out.push(o);
  }
  return out;
}

/** Settings of the lease method. */
export interface LeaseOptions {
  kea: string[];
  dnsmasq: string[];
  intervalMs: number;
  timeoutMs: number;
}

/** The `lease` method: every configured file, each read whole. */
export function createLeaseMethod(
  o: LeaseOptions,
  deps: { now(): number; readText(path: string): Promise<string> },
): DiscoveryMethod {
  const read = async (path: string): Promise<string> => {
    try {
      return await deps.readText(path);
    } catch (err) {
      throw DiscoveryError.from(`lease file ${path}`, err);
    }
  };
  return {
    name: 'lease',
    intervalMs: o.intervalMs,
    timeoutMs: o.timeoutMs,
    async run() {
      const out: Observation[] = [];
      for (const p of o.kea) out.push(...parseKeaLeases(await read(p), deps.now()));
      for (const p of o.dnsmasq) out.push(...parseDnsmasqLeases(await read(p), deps.now()));
      return out;
    },
  };
}
