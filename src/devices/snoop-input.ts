/**
 * The meter's snooped packets -> the inventory: DHCP (v4 on UDP 67/68, v6 on
 * 546/547) with an optional Fingerbank refinement for
 * unsure clients, mDNS responses, and SSDP announcements whose UPnP
 * descriptions are fetched in the background (bounded, cached, from the
 * announcing host only). Nothing here blocks the meter: fetches and
 * lookups settle later and add their observations then.
 */
import type { Clock } from '../common/clock.ts';
import type { Logger } from '../common/logger.ts';
import type { SnoopEvent } from '../meter/index.ts';
import type { DevicesConfig } from './config.ts';
import { observeDhcp } from './dhcp/dhcp-observation.ts';
import { observeDhcpv6 } from './dhcp/dhcpv6.ts';
import { createFingerbank, type Fingerbank, type FingerbankQuery } from './fingerbank.ts';
import type { Inventory } from './inventory.ts';
import { observeSnoopedMdns } from './mdns/mdns-observation.ts';
import type { Device, Observation } from './model.ts';
import { createDescriptionFetcher, type DescriptionFetcher, type FetchLike } from './ssdp/description.ts';
import { descriptionObservation, observeSnoopedSsdp } from './ssdp/ssdp-observation.ts';

/** What the snoop input needs. */
export interface SnoopInputDeps {
  clock: Clock;
  log: Logger;
  inventory: Inventory;
  /** HTTP for descriptions and Fingerbank; none: neither is fetched. */
  fetch?: FetchLike | undefined;
}

function fingerbankOf(cfg: DevicesConfig, deps: SnoopInputDeps): Fingerbank | undefined {
  const fb = cfg.fingerbank;
  if (!fb.apiKey || !deps.fetch) return undefined;
  const o = {
    apiKey: fb.apiKey,
    url: fb.url,
    requestsPerMinute: fb.requestsPerMinute,
    cacheEntries: fb.cacheEntries,
    cacheTtlMs: fb.cacheTtl,
    timeoutMs: fb.timeout,
  };
  return createFingerbank(o, deps.fetch, deps.clock.now);
}

function descriptionsOf(cfg: DevicesConfig, deps: SnoopInputDeps): DescriptionFetcher | undefined {
  const s = cfg.discovery.ssdp;
  if (!deps.fetch) return undefined;
  return createDescriptionFetcher({
    fetch: deps.fetch,
    now: deps.clock.now,
    maxBytes: s.maxDescriptionBytes,
    timeoutMs: s.descriptionTimeout,
    cacheEntries: s.descriptionCacheEntries,
    ttlMs: s.descriptionTtl,
  });
}

/** The fingerprint query of a DHCP observation. */
function fingerbankQuery(o: Observation): FingerbankQuery {
  const q: FingerbankQuery = {};
  if (o.dhcp?.prl.length) q.dhcpFingerprint = o.dhcp.prl.join(',');
  if (o.dhcp?.vendorClass) q.dhcpVendor = o.dhcp.vendorClass;
  if (o.mac) q.mac = o.mac;
  const host = o.names?.find((n) => n.source === 'dhcp-client')?.name;
  if (host) q.hostname = host;
  return q;
}

/** The onSnoop listener. */
export function createSnoopInput(cfg: DevicesConfig, deps: SnoopInputDeps): (e: SnoopEvent) => void {
  const { inventory, log, clock } = deps;
  const fingerbank = fingerbankOf(cfg, deps);
  const descriptions = descriptionsOf(cfg, deps);

  /** Asks Fingerbank about a DHCP client the rules leave unsure; its answer is more evidence. */
  const refine = (f: Fingerbank, d: Device, o: Observation): void => {
    if ((inventory.classification(d.id)?.deviceType.confidence ?? 0) >= cfg.fingerbank.belowConfidence)
      return;
    const mac = o.mac;
    if (!mac) return;
    f.lookup(fingerbankQuery(o))
      .then(
        (evidence) =>
          evidence.length && inventory.observe({ source: 'dhcp', tsMs: clock.now(), mac, evidence }),
      )
      .catch((err: unknown) => log.debug({ err }, 'fingerbank lookup failed'));
  };

  const describe = (f: DescriptionFetcher, location: string, base: Observation): void => {
    f.get(location, base.ip ?? '')
      .then((d) => d && inventory.observe(descriptionObservation(d, base)))
      .catch((err: unknown) => log.debug({ err, location }, 'UPnP description not read'));
  };

  return (e) => {
    if (e.kind === 'dhcp') {
      const v6 = e.dstPort === 547 || e.dstPort === 546 || e.srcPort === 547 || e.srcPort === 546;
      const o = v6 ? observeDhcpv6(e.payload, e) : observeDhcp(e.payload, e);
      if (!o) return;
      const d = inventory.observe(o);
      if (fingerbank && o.dhcp) refine(fingerbank, d, o);
    } else if (e.kind === 'mdns') {
      for (const o of observeSnoopedMdns(e)) inventory.observe(o);
    } else if (e.kind === 'ssdp') {
      const sight = observeSnoopedSsdp(e);
      if (!sight) return;
      inventory.observe(sight.observation);
      if (sight.location && descriptions) describe(descriptions, sight.location, sight.observation);
    }
  };
}
