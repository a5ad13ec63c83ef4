/** The composition root and the CLI commands built on it. */
export { createService, type Service, type ServiceDeps } from './service.ts';
export { runCli } from './cli-main.ts';
