/**
 * Restores the lockfile entries of optional platform packages (DuckDB's
 * bindings, rollup's and esbuild's binaries, ...) for the platforms the
 * registry this project uses does not serve. npm then leaves them out of the
 * lock, and `npm ci` refuses the lock as out of sync. Each restored entry has
 * the version, `optional`, and the `os`/`cpu`/`libc` its name says, so
 * `npm ci` skips it here. Run after `npm install <pkg>`: `node scripts/lock-platforms.ts`.
 */
import { readFileSync, writeFileSync } from 'node:fs';

interface LockEntry {
  version?: string;
  optional?: boolean;
  os?: string[];
  cpu?: string[];
  libc?: string[];
  optionalDependencies?: Record<string, string>;
  [k: string]: unknown;
}

const OSES = [
  'android',
  'darwin',
  'freebsd',
  'linux',
  'win32',
  'openbsd',
  'netbsd',
  'sunos',
  'aix',
  'openharmony',
  'cygwin',
];
const CPUS = ['arm64', 'arm', 'x64', 'ia32', 'riscv64', 'ppc64', 's390x', 'loong64', 'mips64el', 'wasm32'];
const PLATFORM_NAME = new RegExp(`(^|[-/])(${OSES.join('|')})([-]|$)`);

/** os/cpu/libc from a package name like "@rollup/rollup-linux-arm-gnueabihf"; "none" where it says nothing. */
function platformOf(name: string): Pick<LockEntry, 'os' | 'cpu' | 'libc'> {
  const parts = name.split(/[-/]/);
  const os = OSES.find((o) => parts.includes(o)) ?? 'none';
  const cpu = CPUS.find((c) => parts.includes(c)) ?? (parts.includes('universal') ? 'arm64' : 'none');
  const libc = parts.includes('musl') ? ['musl'] : os === 'linux' ? ['glibc'] : undefined;
  return { os: [os], cpu: [cpu], ...(libc ? { libc } : {}) };
}

const file = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(file, 'utf8')) as { packages: Record<string, LockEntry> };
let added = 0;
for (const [path, entry] of Object.entries(lock.packages)) {
  for (const [dep, range] of Object.entries(entry.optionalDependencies ?? {})) {
    if (!PLATFORM_NAME.test(dep)) continue;
    const base = path ? `${path}/node_modules/${dep}` : `node_modules/${dep}`;
    if (lock.packages[base] || lock.packages[`node_modules/${dep}`]) continue;
    lock.packages[`node_modules/${dep}`] = {
      version: range.replace(/^[\^~=]/, ''),
      optional: true,
      ...platformOf(dep),
    };
    added++;
  }
}
const sorted = Object.fromEntries(
  Object.entries(lock.packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a < b ? -1 : 1)),
);
lock.packages = sorted;
writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
process.stdout.write(`lock-platforms: ${added} platform entries restored\n`);
