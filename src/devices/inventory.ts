/**
 * The inventory: one record per physical device. Observations are matched
 * to a device by, in order, a globally unique MAC, the DHCP client
 * identifier (option 61), and, for randomised MACs only, the client's own
 * host name together with its option-55 fingerprint; an observation with
 * no MAC falls back to the device currently holding its address. When one
 * observation names two records (a new randomised MAC with a known client
 * id), the sources agree that they are one device and the records merge.
 * Bounded: past maxDevices the least recently seen device without a manual
 * edit is forgotten.
 */
import { classify, evidenceFor, type VendorLookup } from './classify.ts';
import {
  absorb,
  addEvidence,
  applyObservation,
  DEFAULT_RECORD_LIMITS,
  newDevice,
  setPresence,
  type RecordLimits,
} from './device-record.ts';
import type { EvidenceDraft } from './fingerprints/conclusion.ts';
import { createIdentityIndex } from './identity-index.ts';
import { isUsableMac, normaliseMac } from './mac.ts';
import type { Classification, Device, DeviceOverride, Observation } from './model.ts';

/** What the inventory needs. */
export interface InventoryOptions {
  vendorOf: VendorLookup;
  maxDevices: number;
  /** A device not seen for this long is offline. */
  offlineAfterMs: number;
  limits?: RecordLimits;
}

/** The inventory's surface. */
export interface Inventory {
  observe(o: Observation): Device;
  get(id: string): Device | undefined;
  /** The device holding `ip` now. */
  byIp(ip: string): Device | undefined;
  byMac(mac: string): Device | undefined;
  list(): Device[];
  readonly size: number;
  classification(id: string): Classification | undefined;
  /** Sets (a string) or clears (null) fields of the manual override. */
  setOverride(id: string, patch: { [K in keyof DeviceOverride]?: string | null }): Device | undefined;
  /** Online/offline transitions at `nowMs`; returns how many changed. */
  updatePresence(nowMs: number): number;
  /** Replaces the content with saved records. */
  load(devices: Device[]): void;
  /** Adds flow traffic to the device holding `ip`; false when no device holds it. */
  addFlowTraffic(
    ip: string,
    delta: { bytesIn: number; bytesOut: number; packetsIn: number; packetsOut: number },
    atMs: number,
  ): boolean;
  /** Adds evidence (traffic behaviour) to the device holding `ip`; false when no device holds it. */
  addEvidenceAt(ip: string, evidence: readonly EvidenceDraft[], atMs: number): boolean;
  /** Changes since the start (saves are skipped when it has not moved). */
  readonly version: number;
}

/** A new, empty inventory. */
export function createInventory(opts: InventoryOptions): Inventory {
  const lim = opts.limits ?? DEFAULT_RECORD_LIMITS;
  const devices = new Map<string, Device>();
  const ids = createIdentityIndex();
  const classified = new Map<string, Classification>();
  let version = 0;

  function newId(mac: string | undefined, ip: string | undefined): string {
    const base = mac ? mac.replace(/:/g, '') : ip ? `ip-${ip.replace(/[:.]/g, '-')}` : `dev-${version}`;
    let id = base;
    for (let n = 2; devices.has(id); n++) id = `${base}-${n}`;
    return id;
  }

  function evictIfFull(): void {
    if (devices.size < opts.maxDevices) return;
    let oldest: Device | undefined;
    for (const d of devices.values())
      if (Object.keys(d.override).length === 0 && (!oldest || d.lastSeenMs < oldest.lastSeenMs)) oldest = d;
    if (oldest) remove(oldest);
  }

  function remove(d: Device): void {
    ids.remove(d);
    devices.delete(d.id);
    classified.delete(d.id);
  }

  function observe(o: Observation): Device {
    const raw = o.mac ? normaliseMac(o.mac) : undefined;
    const mac = raw && isUsableMac(raw) ? raw : undefined;
    const found = ids.candidates(o, mac, (id) => devices.get(id));
    let d = found[0] === undefined ? undefined : devices.get(found[0]);
    if (!d) {
      evictIfFull();
      d = newDevice(newId(mac, o.ip), o.tsMs);
      devices.set(d.id, d);
    }
    for (const other of found.slice(1)) {
      const od = devices.get(other);
      if (!od) continue;
      remove(od);
      absorb(d, od, lim);
      // The absorbed record's addresses are this device's now.
      for (const a of od.addresses) if (ids.ipHolder(a.ip) === undefined) ids.holdIp(a.ip, d.id);
    }
    applyObservation(d, o, mac, lim);
    addEvidence(d, evidenceFor({ ...o, ...(mac ? { mac } : {}) }, opts.vendorOf), o.tsMs, lim.evidence);
    ids.add(d);
    if (o.ip) ids.holdIp(o.ip, d.id);
    classified.delete(d.id);
    version++;
    return d;
  }

  return {
    observe,
    get: (id) => devices.get(id),
    byIp: (ip) => devices.get(ids.ipHolder(ip) ?? ''),
    byMac: (m) => devices.get(ids.macHolder(normaliseMac(m) ?? '') ?? ''),
    list: () => [...devices.values()],
    get size() {
      return devices.size;
    },
    get version() {
      return version;
    },
    classification(id) {
      const d = devices.get(id);
      if (!d) return undefined;
      let c = classified.get(id);
      if (!c) classified.set(id, (c = classify(d)));
      return c;
    },
    setOverride(id, patch) {
      const d = devices.get(id);
      if (!d) return undefined;
      for (const [k, v] of Object.entries(patch) as [keyof DeviceOverride, string | null | undefined][]) {
        if (v === null) delete d.override[k];
        else if (v !== undefined) d.override[k] = v;
      }
      classified.delete(id);
      version++;
      return d;
    },
    addFlowTraffic(ip, delta, atMs) {
      const d = devices.get(ids.ipHolder(ip) ?? '');
      if (!d) return false;
      const t = (d.flowTraffic ??= {
        bytesIn: 0,
        bytesOut: 0,
        packetsIn: 0,
        packetsOut: 0,
        source: 'flow',
        atMs,
      });
      t.bytesIn += delta.bytesIn;
      t.bytesOut += delta.bytesOut;
      t.packetsIn += delta.packetsIn;
      t.packetsOut += delta.packetsOut;
      t.atMs = atMs;
      applyObservation(d, { source: 'flow', tsMs: atMs }, undefined, lim);
      version++;
      return true;
    },
    addEvidenceAt(ip, evidence, atMs) {
      const d = devices.get(ids.ipHolder(ip) ?? '');
      if (!d) return false;
      if (addEvidence(d, evidence, atMs, lim.evidence)) {
        classified.delete(d.id);
        version++;
      }
      return true;
    },
    updatePresence(nowMs) {
      let n = 0;
      for (const d of devices.values()) {
        const online = nowMs - d.lastSeenMs < opts.offlineAfterMs;
        if (online === d.online) continue;
        setPresence(d, online, online ? d.lastSeenMs : d.lastSeenMs + opts.offlineAfterMs, lim.presence);
        n++;
      }
      if (n > 0) version++;
      return n;
    },
    load(saved) {
      devices.clear();
      classified.clear();
      ids.clear();
      const held: [string, string, number][] = [];
      for (const d of saved) {
        devices.set(d.id, d);
        ids.add(d);
        for (const a of d.addresses) held.push([a.ip, d.id, a.lastSeenMs]);
      }
      // The latest holder of each address wins.
      held.sort((a, b) => a[2] - b[2]);
      for (const [ip, id] of held) ids.holdIp(ip, id);
      version++;
    },
  };
}
