import { createSystemClock } from '../../common/clock.ts';
import { createLogger } from '../../common/logger.ts';
import { loadConfig } from '../../config/index.ts';
import { createService } from '../service.ts';

/** How long a graceful stop may take before a forced exit. */
const SHUTDOWN_TIMEOUT_MS = 15_000;

/**
 * `flowlens serve`: runs until SIGINT/SIGTERM, then stops receiving, decodes
 * what was received, saves templates and exits 0. A second signal exits at once.
 */
export async function runServe(configPath: string | undefined): Promise<number> {
  const { config, source } = loadConfig({ path: configPath });
  const log = createLogger(config.log.level);
  const service = createService({ config, clock: createSystemClock(), log, cwd: process.cwd() });
  await service.start();
  log.info({ config: source }, 'configuration loaded');
  await new Promise<void>((resolve) => {
    let stopping = false;
    const onSignal = (signal: NodeJS.Signals): void => {
      if (stopping) {
        log.warn({ signal }, 'second signal: exiting without draining');
        process.exit(130);
      }
      stopping = true;
      log.info({ signal }, 'shutting down: draining received datagrams');
      setTimeout(() => {
        log.error('shutdown took too long; exiting');
        process.exit(1);
      }, SHUTDOWN_TIMEOUT_MS).unref();
      service.stop().then(resolve, (err: unknown) => {
        log.error({ err }, 'error while stopping');
        resolve();
      });
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
  log.flush();
  return 0;
}
