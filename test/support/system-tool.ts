import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { TestContext } from 'node:test';

/** Where each system tool comes from, for the skip message. */
const PACKAGE_OF: Record<string, string> = {
  tshark: 'tshark',
  mergecap: 'wireshark-common',
  softflowd: 'softflowd',
  pmacctd: 'pmacct',
  nfcapd: 'nfdump',
  nfdump: 'nfdump',
  'clickhouse-server': 'clickhouse-server',
  prometheus: 'prometheus',
};

const SEARCH = ['/usr/bin', '/usr/sbin', '/bin', '/sbin', '/usr/local/bin', '/usr/local/sbin'];

/** Full path of a system tool, or undefined when it is not installed. */
export function findTool(name: string): string | undefined {
  for (const dir of SEARCH) if (existsSync(`${dir}/${name}`)) return `${dir}/${name}`;
  try {
    return execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/**
 * The path of `name`, or: with FLOWLENS_REQUIRE_SYSTEM_TESTS=1, a thrown error
 * (the test fails); otherwise the test is skipped with the install hint and
 * undefined is returned, so the caller returns early.
 */
export function requireTool(t: TestContext, name: string): string | undefined {
  const path = findTool(name);
  if (path) return path;
  const hint = `apt-get install -y ${PACKAGE_OF[name] ?? name}`;
  if (process.env['FLOWLENS_REQUIRE_SYSTEM_TESTS'] === '1') {
    throw new Error(`${name} is required (FLOWLENS_REQUIRE_SYSTEM_TESTS=1) but missing: ${hint}`);
  }
  t.skip(`${name} not installed (${hint})`);
  return undefined;
}

/** Absolute path of a shared capture (../shared/captures beside the repo). */
export function sharedCapture(rel: string): string {
  return new URL(`../../../shared/captures/${rel}`, import.meta.url).pathname;
}
