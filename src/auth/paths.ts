import { resolve } from 'node:path';
import type { Config } from '../config/index.ts';

/** `auth.file` resolved against `cwd`, or `<storage.path>/auth.json`. */
export function authFilePath(config: Pick<Config, 'auth' | 'storage'>, cwd: string): string {
  return config.auth.file ? resolve(cwd, config.auth.file) : resolve(cwd, config.storage.path, 'auth.json');
}
