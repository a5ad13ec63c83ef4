/** The HTTP side's settings from the `http` and `auth` configuration sections. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Config } from '../config/index.ts';
import type { ApiSecurityOptions } from './deps.ts';

/** Security options (docs/configuration.md, `http.*` and `auth.*`). */
export function apiSecurityOptions(config: Pick<Config, 'http' | 'auth'>): ApiSecurityOptions {
  const { http } = config;
  const tls = http.tls.cert !== '';
  return {
    secureCookies: http.sessions.secureCookie === 'always' || (http.sessions.secureCookie === 'auto' && tls),
    corsOrigins: http.cors.origins,
    rateLimitMax: http.rateLimit.max,
    rateLimitWindowMs: http.rateLimit.window,
    loginMax: http.rateLimit.loginMax,
    loginWindowMs: http.rateLimit.loginWindow,
    metricsToken: config.auth.metricsToken,
  };
}

/** The certificate and key when `http.tls` is set (read now: a missing file fails the start). */
export function readTls(tls: Config['http']['tls'], cwd: string): { cert: Buffer; key: Buffer } | undefined {
  if (!tls.cert) return undefined;
  const read = (key: 'cert' | 'key'): Buffer => {
    try {
      return readFileSync(resolve(cwd, tls[key]));
    } catch (err) {
      throw new Error(`http.tls.${key}: cannot read ${tls[key]}: ${(err as Error).message}`, { cause: err });
    }
  };
  return { cert: read('cert'), key: read('key') };
}
