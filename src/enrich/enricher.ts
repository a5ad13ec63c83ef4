/**
 * The enricher: fills a flow record's application, category, geo, AS, host
 * and vendor fields. One instance per decode worker (its caches are its own;
 * nothing is shared between threads). Exporter-supplied values win: an
 * existing appProto, srcAs/dstAs are kept, and an AS name is only added when
 * the database agrees with the exporter's AS number.
 */
import type { Clock } from '../common/clock.ts';
import type { Logger } from '../common/logger.ts';
import type { FlowRecord } from '../schema/flow-record.ts';
import { createCategoryMap } from './app/categories.ts';
import { createExporterAppResolver } from './app/exporter-apps.ts';
import { createHostAppMap } from './app/host-apps.ts';
import { createBuiltinInspector, type PayloadInspector } from './app/inspector.ts';
import { loadNdpiInspector } from './app/ndpi.ts';
import { appFromPorts } from './app/port-apps.ts';
import type { EnrichConfig } from './config.ts';
import { createHostNames } from './dns/host-names.ts';
import { createGeoDatabase, type AddressGeo } from './geo/geo-database.ts';
import { ouiAttribution, type Attribution } from './geo/attributions.ts';
import { loadMacVendors, type MacVendors } from './oui/mac-vendors.ts';
import type { EnrichStats, Enricher, EnrichedFields } from './types.ts';

/** One record in this many is timed (performance.now costs ~50 ns a call). */
const COST_SAMPLE_EVERY = 64;

/** Dependencies of the enricher. */
export interface EnricherDeps {
  config: EnrichConfig;
  clock: Clock;
  log?: Logger;
}

export function createEnricher(deps: EnricherDeps): Enricher {
  const cfg = deps.config;
  const categories = createCategoryMap(cfg.app.categories);
  const hostApps = createHostAppMap(cfg.app.hosts);
  const exporterApps = createExporterAppResolver(cfg.app.exporterNameFields);
  const names = createHostNames(
    {
      staticNames: cfg.dns.static,
      learnedEntries: cfg.dns.learnedEntries,
      minLearnedTtlMs: cfg.dns.minLearnedTtlMs,
      reverse: cfg.dns.reverse,
    },
    { clock: deps.clock },
  );
  const builtin = createBuiltinInspector({ hostApps, categories, onDnsNames: (n) => names.learn(n) });
  let inspector: PayloadInspector = builtin;
  const geo = cfg.geo.enabled
    ? createGeoDatabase(cfg.geo, {
        clock: deps.clock,
        onError: (err, what) => deps.log?.warn({ err: String(err), what }, 'enrich: database not loaded'),
        onReload: (paths) => deps.log?.info({ paths }, 'enrich: database reloaded'),
      })
    : undefined;
  let vendors: MacVendors | undefined;
  const stats: EnrichStats = { records: 0, timedRecords: 0, timedNs: 0 };

  function address(addr: string | undefined): AddressGeo | undefined {
    return addr === undefined || geo === undefined ? undefined : geo.lookup(addr);
  }

  function fillApp(r: FlowRecord & EnrichedFields): void {
    if (r.appProto === undefined) {
      const app =
        exporterApps.resolve(r.appId, r.extra) ??
        hostAppOf(r.dstHost) ??
        hostAppOf(r.srcHost) ??
        appFromPorts(r.proto, r.srcPort, r.dstPort);
      if (app !== undefined) r.appProto = app;
    }
    if (r.appProto !== undefined && r.appCategory === undefined)
      r.appCategory = categories.categoryOf(r.appProto);
  }

  function hostAppOf(host: string | undefined): string | undefined {
    return host === undefined ? undefined : hostApps.lookup(host);
  }

  /** What one address contributes; one scratch object reused (the per-record path allocates nothing). */
  const side = {
    host: undefined as string | undefined,
    scope: undefined as string | undefined,
    country: undefined as string | undefined,
    as: undefined as number | undefined,
    asName: undefined as string | undefined,
  };

  function resolveSide(addr: string | undefined, exporterAs: number | undefined): void {
    side.host = side.scope = side.country = side.asName = undefined;
    side.as = undefined;
    if (addr === undefined) return;
    side.host = names.nameOf(addr);
    const g = address(addr);
    if (g === undefined) return;
    if (g.special !== undefined) {
      side.scope = g.special;
      return;
    }
    side.country = g.country;
    if (exporterAs === undefined || exporterAs === 0) {
      side.as = g.asn;
      side.asName = g.asName;
    } else if (exporterAs === g.asn) side.asName = g.asName;
  }

  function fillSides(r: FlowRecord & EnrichedFields): void {
    resolveSide(r.srcAddr, r.srcAs);
    if (side.host !== undefined) r.srcHost ??= side.host;
    if (side.scope !== undefined) r.srcScope = side.scope;
    if (side.country !== undefined) r.srcCountry ??= side.country;
    if (side.as !== undefined) r.srcAs = side.as;
    if (side.asName !== undefined) r.srcAsName ??= side.asName;
    resolveSide(r.dstAddr, r.dstAs);
    if (side.host !== undefined) r.dstHost ??= side.host;
    if (side.scope !== undefined) r.dstScope = side.scope;
    if (side.country !== undefined) r.dstCountry ??= side.country;
    if (side.as !== undefined) r.dstAs = side.as;
    if (side.asName !== undefined) r.dstAsName ??= side.asName;
  }

  function vendorOf(mac: string | undefined): string | undefined {
    if (mac === undefined || vendors === undefined) return undefined;
    const v = vendors.lookup(mac);
    return v.randomised ? 'randomised' : v.vendor;
  }

  function enrichOne(r: FlowRecord & EnrichedFields): void {
    fillSides(r);
    fillApp(r);
    const sv = vendorOf(r.srcMac);
    if (sv !== undefined) r.srcVendor = sv;
    const dv = vendorOf(r.dstMac);
    if (dv !== undefined) r.dstVendor = dv;
  }

  return {
    get inspector() {
      return inspector;
    },
    get activeDetector() {
      return inspector.name;
    },
    async start() {
      if (cfg.app.detector !== 'builtin') {
        const nd = loadNdpiInspector({ categories, hostApps, fallback: builtin });
        if (nd.inspector) inspector = nd.inspector;
        else if (cfg.app.detector === 'ndpi')
          deps.log?.warn({ reason: nd.reason }, 'enrich: nDPI unavailable, using builtin');
      }
      if (cfg.oui.enabled) vendors = loadMacVendors(cfg.oui.ieeeDataDir);
      await geo?.start();
    },
    stop() {
      geo?.stop();
      names.stop();
    },
    enrich(record) {
      stats.records++;
      if (!cfg.enabled) return;
      if (stats.records % COST_SAMPLE_EVERY !== 0) return enrichOne(record);
      const t0 = performance.now();
      enrichOne(record);
      stats.timedNs += (performance.now() - t0) * 1e6;
      stats.timedRecords++;
    },
    learnDns: (answers) => names.learn(answers),
    learnAppName: (appId, name) => exporterApps.learnName(appId, name),
    lookupAddress: (addr) => address(addr),
    attributions(): Attribution[] {
      const list = geo?.attributions() ?? [];
      if (vendors) list.push(...vendors.sources.map((s) => ouiAttribution(s)));
      return list;
    },
    stats: () => ({
      ...stats,
      geoCache: geo ? { ...geo.cacheStats } : undefined,
      names: { ...names.stats },
      inspector: { ...inspector.stats },
      reloads: geo?.reloads ?? 0,
    }),
  };
}
