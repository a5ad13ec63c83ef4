/**
 * Which record an observation belongs to (docs/adr/0005-device-inventory.md):
 * indexes from globally unique MACs, DHCP client identifiers, host name +
 * option-55 fingerprint (randomised MACs only) and current addresses to
 * device ids. Removing a device touches only its own keys.
 */
import { isRandomisedMac } from './mac.ts';
import type { Device, Observation } from './model.ts';

/** The indexes. */
export interface IdentityIndex {
  /** Indexes the device's MACs, client ids and name + fingerprint. */
  add(d: Device): void;
  /** Drops every key that points at `d`. */
  remove(d: Device): void;
  holdIp(ip: string, id: string): void;
  ipHolder(ip: string): string | undefined;
  macHolder(mac: string): string | undefined;
  /** Records `o` may belong to, the strongest match first. */
  candidates(o: Observation, mac: string | undefined, get: (id: string) => Device | undefined): string[];
  clear(): void;
}

const nameFp = (name: string | undefined, prl: number[] | undefined): string | undefined =>
  name && prl?.length ? `${name.toLowerCase()}|${prl.join(',')}` : undefined;

const nameFpOf = (d: Device): string | undefined =>
  nameFp(d.names.find((n) => n.source === 'dhcp-client')?.name, d.dhcp?.prl);

/** Empty indexes. */
export function createIdentityIndex(): IdentityIndex {
  const byMac = new Map<string, string>();
  const byClientId = new Map<string, string>();
  const byNameFp = new Map<string, string>();
  const byIp = new Map<string, string>();
  const drop = (map: Map<string, string>, key: string | undefined, id: string): void => {
    if (key !== undefined && map.get(key) === id) map.delete(key);
  };
  return {
    add(d) {
      for (const m of d.macs) byMac.set(m, d.id);
      for (const c of d.clientIds) byClientId.set(c, d.id);
      const fp = nameFpOf(d);
      if (fp && d.macs.some(isRandomisedMac)) byNameFp.set(fp, d.id);
    },
    remove(d) {
      for (const m of d.macs) drop(byMac, m, d.id);
      for (const c of d.clientIds) drop(byClientId, c, d.id);
      drop(byNameFp, nameFpOf(d), d.id);
      for (const a of d.addresses) drop(byIp, a.ip, d.id);
    },
    holdIp: (ip, id) => void byIp.set(ip, id),
    ipHolder: (ip) => byIp.get(ip),
    macHolder: (mac) => byMac.get(mac),
    candidates(o, mac, get) {
      const ids: (string | undefined)[] = [];
      if (mac) ids.push(byMac.get(mac));
      if (o.clientId) ids.push(byClientId.get(o.clientId));
      if (!mac || isRandomisedMac(mac))
        ids.push(
          byNameFp.get(nameFp(o.names?.find((n) => n.source === 'dhcp-client')?.name, o.dhcp?.prl) ?? ''),
        );
      const holder = o.ip === undefined ? undefined : byIp.get(o.ip);
      const h = holder === undefined ? undefined : get(holder);
      // Without a MAC the address decides; with one, only a record that never had a MAC (or client id) joins.
      if (h && (!mac || h.macs.length === 0) && (!o.clientId || h.clientIds.length === 0)) ids.push(h.id);
      return [...new Set(ids.filter((x): x is string => x !== undefined))];
    },
    clear() {
      for (const m of [byMac, byClientId, byNameFp, byIp]) m.clear();
    },
  };
}
