/**
 * The discovery methods the configuration switches on, built with the
 * system (commands, files, clock) injected.
 */
import { readFile } from 'node:fs/promises';
import type { Clock } from '../../common/clock.ts';
import { createMdnsMethod } from '../mdns/mdns-browse.ts';
import { createDescriptionFetcher, type FetchLike } from '../ssdp/description.ts';
import { createSsdpMethod } from '../ssdp/ssdp-search.ts';
import type { DevicesConfig } from '../config.ts';
import { createArpScanMethod } from './arp-scan.ts';
import { runCommand, type CommandRunner } from './command.ts';
import { createArpMethod, createNdpMethod } from './neighbours.ts';
import type { DiscoveryMethod } from './scheduler.ts';
import { createLeaseMethod } from './leases.ts';
import { createNftMethod } from './nftables.ts';
import { createStaticMethod } from './static-clients.ts';

/** How the methods reach the system; the real one unless replaced (tests). */
export interface MethodDeps {
  clock: Clock;
  /** Fetches UPnP descriptions (SSDP); the global fetch unless given. */
  fetch?: FetchLike;
  run?: CommandRunner;
  readText?(path: string): Promise<string>;
}

/** Every enabled method of `cfg.discovery`. */
export function createDiscoveryMethods(cfg: DevicesConfig, deps: MethodDeps): DiscoveryMethod[] {
  const d = cfg.discovery;
  const run = deps.run ?? runCommand;
  const readText = deps.readText ?? ((p: string) => readFile(p, 'utf8'));
  const sys = { now: deps.clock.now, run, readText, netns: d.netns };
  const out: DiscoveryMethod[] = [];
  if (d.neighbours.enabled) {
    out.push(createArpMethod(sys, d.neighbours.interval, d.neighbours.timeout));
    out.push(createNdpMethod(sys, d.neighbours.interval, d.neighbours.timeout));
  }
  if (d.arpScan.enabled)
    out.push(
      createArpScanMethod(
        {
          binary: d.arpScan.binary,
          interfaces: d.arpScan.interfaces,
          intervalMs: d.arpScan.interval,
          timeoutMs: d.arpScan.timeout,
          netns: d.netns,
        },
        sys,
      ),
    );
  if (d.leases.enabled)
    out.push(
      createLeaseMethod(
        {
          kea: d.leases.kea,
          dnsmasq: d.leases.dnsmasq,
          intervalMs: d.leases.interval,
          timeoutMs: d.leases.timeout,
        },
        sys,
      ),
    );
  if (d.mdns.enabled)
    out.push(
      createMdnsMethod(
        {
          services: d.mdns.services,
          windowMs: d.mdns.window,
          intervalMs: d.mdns.interval,
          timeoutMs: d.mdns.timeout,
          interfaces: d.mdns.interfaces,
          ipv6: d.mdns.ipv6,
        },
        deps.clock,
      ),
    );
  if (d.ssdp.enabled) {
    const s = d.ssdp;
    const descriptions = createDescriptionFetcher({
      fetch: deps.fetch ?? ((url, init) => fetch(url, init)),
      now: deps.clock.now,
      maxBytes: s.maxDescriptionBytes,
      timeoutMs: s.descriptionTimeout,
      cacheEntries: s.descriptionCacheEntries,
      ttlMs: s.descriptionTtl,
    });
    const o = {
      searchTarget: s.searchTarget,
      windowMs: s.window,
      intervalMs: s.interval,
      timeoutMs: s.timeout,
      ipv6: s.ipv6,
    };
    out.push(createSsdpMethod(o, deps.clock, descriptions));
  }
  if (d.nftables.enabled) {
    const n = d.nftables;
    out.push(
      createNftMethod(
        {
          binary: n.binary,
          mode: n.mode,
          table: n.table,
          hooks: n.hooks,
          localNetworks: n.localNetworks,
          intervalMs: n.interval,
          timeoutMs: n.timeout,
          netns: d.netns,
        },
        sys,
      ),
    );
  }
  if (d.static.enabled && d.static.file)
    out.push(
      createStaticMethod(
        { file: d.static.file, intervalMs: d.static.interval, timeoutMs: d.static.timeout },
        sys,
      ),
    );
  return out;
}
