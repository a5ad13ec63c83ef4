import { loadConfig } from '../../config/index.ts';

/** `flowlens config check`: validates and prints the effective configuration's source. */
export function runConfigCheck(configPath: string | undefined, out: NodeJS.WritableStream): number {
  const { source } = loadConfig({ path: configPath });
  out.write(`configuration OK (${source})\n`);
  return 0;
}
