/** What the e2e suites share: where the build and Chromium are, how Chromium starts, the page sizes. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = process.env.FLOWLENS_E2E_ROOT ?? fileURLToPath(new URL('../..', import.meta.url));
export const DIST = join(ROOT, 'web/dist');
export const ARTIFACTS = fileURLToPath(new URL('./artifacts', import.meta.url));
export const CHROMIUM = process.env.FLOWLENS_CHROMIUM ?? '/usr/bin/chromium';
/** Headless, and no background connections (this machine's network is closed). */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
export const DESKTOP = { width: 1440, height: 900 };
export const PHONE = { width: 390, height: 844 };

/**
 * Why the suite cannot run here ('' when it can); throws instead when
 * FLOWLENS_REQUIRE_SYSTEM_TESTS=1 (CI), so a missing browser or build fails there.
 */
export function e2eMissing(): string {
  const missing = !existsSync(CHROMIUM)
    ? `chromium not found at ${CHROMIUM} (apt-get install -y chromium)`
    : !existsSync(join(DIST, 'index.html'))
      ? 'web/dist missing (npm run build:web)'
      : '';
  if (missing && process.env.FLOWLENS_REQUIRE_SYSTEM_TESTS === '1') throw new Error(missing);
  return missing;
}
