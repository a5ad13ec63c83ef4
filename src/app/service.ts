import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { apiSecurityOptions, createHttpApp, readTls, type GeoPort } from '../api/index.ts';
import { authFilePath, createAuthStore, createSessionStore } from '../auth/index.ts';
import { createEnricher, loadMacVendors } from '../enrich/index.ts';
import { createDeviceService, createDiscoveryMethods } from '../devices/index.ts';
import { createClientMetrics, createLiveState } from '../live/index.ts';
import { createRecorder } from '../ingest/recording/index.ts';
import { createQueryEngine } from '../query/index.ts';
import pkg from '../../package.json' with { type: 'json' };
import type { Clock } from '../common/clock.ts';
import type { Logger } from '../common/logger.ts';
import type { Config } from '../config/index.ts';
import { keepIngestThreadsNiced } from './thread-priority.ts';
import { createCollector, type Collector } from '../pipeline/collector.ts';
import { createCollectorMetrics } from '../pipeline/metrics.ts';
import { createCaptureHost, type CaptureHost } from '../pipeline/capture-host.ts';
import { ListenError } from '../ingest/udp/index.ts';
import { clickhouseStoreConfig, createStoreHost, duckDbStoreConfig, type StoreHost } from '../store/index.ts';

/** The running service: every component, started in order and stopped in reverse. */
export interface Service {
  start(): Promise<void>;
  stop(): Promise<void>;
  readonly collector: Collector;
  /** Live capture and metering of `capture.interfaces`. */
  readonly capture: CaptureHost;
  /** The flow store's writer thread (undefined until the ClickHouse engine exists and is chosen). */
  readonly store: StoreHost | undefined;
  readonly registry: Registry;
  /** Bound HTTP address ("127.0.0.1:3000"), once started. */
  httpAddress(): string | undefined;
}

export interface ServiceDeps {
  config: Config;
  clock: Clock;
  log: Logger;
  /** Base folder for relative storage paths (the working directory). */
  cwd: string;
}

/** The composition root: builds each component with its dependencies. Inert until start(). */
export function createService(deps: ServiceDeps): Service {
  const { config, clock, log } = deps;
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'flowlens_' });
  const dataDir = resolve(deps.cwd, config.storage.path);
  const metrics = createCollectorMetrics(registry);
  // storage.engine picks the writer inside the store worker; both take the same batches.
  const store: StoreHost | undefined = createStoreHost({
    config: duckDbStoreConfig(config.storage, deps.cwd),
    ...(config.storage.engine === 'clickhouse' ? { clickhouse: clickhouseStoreConfig(config.storage) } : {}),
    log: log.child({ component: 'store' }),
    registry,
  });
  const collector = createCollector({
    config: config.collector,
    stateDir: dataDir,
    clock,
    log: log.child({ component: 'collector' }),
    metrics,
    enrich: config.enrich,
    localNetworks: config.live.localNetworks,
    ...(store ? { connectStore: () => store.connectProducer() } : {}),
  });
  // Live interfaces: metered flows take the same path as decoded ones (enrich, store, live).
  const capture = createCaptureHost({
    config: config.capture,
    collector: config.collector,
    enrich: config.enrich,
    localNetworks: config.live.localNetworks,
    connectStore: store ? () => store.connectProducer() : undefined,
    log: log.child({ component: 'capture' }),
    registry,
  });
  const live = createLiveState({ clock, config: config.live });
  const devices = config.devices.enabled ? buildDevices(config, deps, registry, dataDir) : undefined;
  // device_type of the per-client metrics: the inventory's classification of the address's device.
  createClientMetrics({
    registry,
    live,
    maxSeries: config.live.maxClientSeries,
    ...(devices ? { deviceTypeOf: (ip: string) => devices.deviceTypeOf(ip) } : {}),
  });
  collector.onLive((delta) => live.apply(delta));
  capture.onLive((delta) => live.apply(delta));
  if (devices) {
    capture.onSnoop((e) => devices.onSnoop(e));
    live.onDelta((d) => devices.addFlowTraffic(d.hosts, d.endMs, d.largestFlows));
  }
  let ready = false;
  let stopNicing = (): void => {};
  const auth = createAuthStore({
    file: authFilePath(config, deps.cwd),
    now: () => clock.now(),
    envToken: process.env['FLOWLENS_API_TOKEN'],
  });
  const rec = config.capture.recording;
  const recorder = createRecorder({
    dir: rec.path ? resolve(deps.cwd, rec.path) : resolve(dataDir, 'recordings'),
    ...{ maxDiskBytes: rec.maxDisk, fileSizeBytes: rec.fileSize, fileDurationMs: rec.fileDuration },
    ...{ maxRecordings: rec.maxRecordings, dumpcapPath: config.capture.dumpcap, clock },
    log: log.child({ component: 'recording' }),
  });
  const geo =
    config.enrich.enabled && config.enrich.geo.enabled ? createApiGeo(config, clock, log) : undefined;
  const http = createHttpApp({
    registry,
    log,
    health: () => ({
      ready,
      listeners: collector.listeners(),
      enrichmentLoaded: collector.enrichmentLoaded(),
    }),
    ...(config.http.tls.cert ? { tls: readTls(config.http.tls, deps.cwd)! } : {}),
    live,
    api: {
      clock,
      log,
      version: pkg.version,
      storageEngine: config.storage.engine,
      // ClickHouse: its runner queries over HTTP, not through the store worker (to be wired with that engine).
      queries:
        store && config.storage.engine === 'duckdb'
          ? createQueryEngine({ runner: store.runner, now: () => clock.now() })
          : undefined,
      exporters: () => collector.exporters(),
      recordings: recorder,
      // Not started: attributions and the detector name need no databases loaded.
      enrichment: createEnricher({ config: config.enrich, clock, log }),
      stats: (q) => live.snapshot(q),
      localNetworks: config.live.localNetworks,
      geo,
      devices,
      auth,
      sessions: createSessionStore({
        now: () => clock.now(),
        maxAgeMs: config.http.sessions.maxAge,
        idleMs: config.http.sessions.idleTimeout,
      }),
      security: apiSecurityOptions(config),
    },
  });
  let httpAddr: string | undefined;
  return {
    collector,
    capture,
    store,
    registry,
    httpAddress: () => httpAddr,
    async start() {
      mkdirSync(dataDir, { recursive: true });
      if (!store) throw new Error(`storage.engine "${config.storage.engine}" is not available yet`);
      if (config.auth.bootstrapAdmin) {
        const password = await auth.bootstrapAdmin();
        // Shown this once; the first login must change it (docs/api.md).
        if (password)
          log.warn(
            { user: 'admin', oneTimePassword: password },
            'first start: log in as admin with this one-time password',
          );
      }
      await store.start();
      try {
        await recorder.load();
        await devices?.start();
        await collector.start();
        await capture.start();
        live.start();
      } catch (err) {
        await capture.stop();
        await collector.stop();
        await store.stop();
        throw err;
      }
      const l = config.http.listen[0];
      if (l) {
        try {
          httpAddr = await http.listen({ host: l.host, port: l.port });
        } catch (err) {
          await capture.stop();
          await collector.stop();
          await store.stop();
          await recorder.close();
          const e = err as NodeJS.ErrnoException;
          const why =
            e.code === 'EADDRINUSE'
              ? `TCP port ${l.host}:${l.port} is already in use by another program`
              : e.message;
          throw new ListenError(`http.listen: ${why}`, { cause: err });
        }
        httpAddr = httpAddr.replace(/^https?:\/\//, '');
      }
      stopNicing = keepIngestThreadsNiced(config.collector.workerNice);
      ready = true;
      log.info({ http: httpAddr, dataDir }, 'flowlens started');
    },
    async stop() {
      ready = false;
      stopNicing();
      live.stop();
      await capture.stop();
      await collector.stop();
      await devices?.stop();
      // After the collector: its decode workers send their last flows on stop.
      await store?.stop();
      await recorder.close();
      await http.close();
      geo?.stop();
      log.info('flowlens stopped');
    },
  };
}

/** Device discovery and the inventory (src/devices); MAC vendors are loaded on first use. */
function buildDevices(config: Config, deps: ServiceDeps, registry: Registry, dataDir: string) {
  let vendors: ReturnType<typeof loadMacVendors> | undefined;
  return createDeviceService(config.devices, {
    clock: deps.clock,
    log: deps.log.child({ component: 'devices' }),
    registry,
    vendorOf: (mac) => (vendors ??= loadMacVendors(config.enrich.oui.ieeeDataDir)).lookup(mac).vendor,
    file: config.devices.file ? resolve(deps.cwd, config.devices.file) : resolve(dataDir, 'devices.json'),
    methods: createDiscoveryMethods(config.devices, { clock: deps.clock }),
    fetch: (url, init) => fetch(url, init),
  });
}

/**
 * Geo lookups for the API (map markers, host locations): an enricher of its
 * own in the main thread, loaded on the first lookup so a service whose map
 * is never opened pays nothing. Country/city only (the AS table stays in the
 * workers, where flows get their AS names).
 */
function createApiGeo(config: Config, clock: Clock, log: Logger): GeoPort & { stop(): void } {
  const enricher = createEnricher({
    config: {
      ...config.enrich,
      app: { ...config.enrich.app, detector: 'builtin' },
      geo: { ...config.enrich.geo, defaultAsn: false },
      oui: { ...config.enrich.oui, enabled: false },
    },
    clock,
    log: log.child({ component: 'api-geo' }),
  });
  let loading: Promise<void> | undefined;
  return {
    async locate(addrs) {
      loading ??= enricher.start();
      await loading;
      return addrs.map((a) => enricher.lookupAddress(a));
    },
    stop: () => enricher.stop(),
  };
}
