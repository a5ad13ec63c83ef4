/**
 * `prestart` / `predemo`: builds the web UI (web/dist) when it is missing or
 * older than its sources, so `npm install && npm start` serves the UI from a
 * fresh checkout and after a pull. A build already up to date costs a walk of
 * web/ and nothing else.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const web = join(root, 'web');
const built = join(web, 'dist', 'index.html');

/** Newest modification time of the UI's sources (web/ without dist/). */
function newestSource(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (p !== join(web, 'dist')) newest = Math.max(newest, newestSource(p));
    } else newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

if (!existsSync(built) || statSync(built).mtimeMs < newestSource(web)) {
  process.stderr.write('building the web UI (web/dist)...\n');
  const vite = join(root, 'node_modules', 'vite', 'bin', 'vite.js');
  const r = spawnSync(process.execPath, [vite, 'build', web, '--logLevel', 'warn'], { stdio: 'inherit' });
  if (r.status !== 0) {
    process.stderr.write(
      'the web UI did not build; the API and collectors work without it (npm run build:web)\n',
    );
    process.exit(0);
  }
}
