import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { createHttpApp } from '../api/index.ts';
import type { Clock } from '../common/clock.ts';
import type { Logger } from '../common/logger.ts';
import type { Config } from '../config/index.ts';
import { createCollector, type Collector } from '../pipeline/collector.ts';
import { createCollectorMetrics } from '../pipeline/metrics.ts';
import { ListenError } from '../ingest/udp/index.ts';
import { createStoreHost, duckDbStoreConfig, type StoreHost } from '../store/index.ts';

/** The running service: every component, started in order and stopped in reverse. */
export interface Service {
  start(): Promise<void>;
  stop(): Promise<void>;
  readonly collector: Collector;
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
  const store =
    config.storage.engine === 'duckdb'
      ? createStoreHost({
          config: duckDbStoreConfig(config.storage, deps.cwd),
          log: log.child({ component: 'store' }),
          registry,
        })
      : undefined;
  const collector = createCollector({
    config: config.collector,
    stateDir: dataDir,
    clock,
    log: log.child({ component: 'collector' }),
    metrics,
    ...(store ? { connectStore: () => store.connectProducer() } : {}),
  });
  let ready = false;
  const http = createHttpApp({ registry, log, health: () => ({ ready, listeners: collector.listeners() }) });
  let httpAddr: string | undefined;
  return {
    collector,
    store,
    registry,
    httpAddress: () => httpAddr,
    async start() {
      mkdirSync(dataDir, { recursive: true });
      if (!store) throw new Error(`storage.engine "${config.storage.engine}" is not available yet`);
      await store.start();
      try {
        await collector.start();
      } catch (err) {
        await store.stop();
        throw err;
      }
      const l = config.http.listen[0];
      if (l) {
        try {
          httpAddr = await http.listen({ host: l.host, port: l.port });
        } catch (err) {
          await collector.stop();
          await store.stop();
          const e = err as NodeJS.ErrnoException;
          const why =
            e.code === 'EADDRINUSE'
              ? `TCP port ${l.host}:${l.port} is already in use by another program`
              : e.message;
          throw new ListenError(`http.listen: ${why}`, { cause: err });
        }
        httpAddr = httpAddr.replace(/^https?:\/\//, '');
      }
      ready = true;
      log.info({ http: httpAddr, dataDir }, 'flowlens started');
    },
    async stop() {
      ready = false;
      await collector.stop();
      // After the collector: its decode workers send their last flows on stop.
      await store?.stop();
      await http.close();
      log.info('flowlens stopped');
    },
  };
}
