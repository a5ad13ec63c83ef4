// The bundled command line (scripts/build-cli.ts, docs/adr/0007-bundled-cli.md): the URL of its
// entry for `command` when the bundle holds that command and none of the sources it was built
// from has changed since (nor moved), else undefined and the caller runs the sources.
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

// Not `import ... from 'node:fs'`: the module namespace of node:fs reads its `promises` getter,
// which loads fs/promises and readline (3 ms); the bundle's modules get node:fs this way too.
const { readFileSync, statSync } = process.getBuiltinModule('node:fs');

const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const DEFAULT_BUNDLE_DIR = join(ROOT, 'node_modules', '.cache', 'flowlens-cli');

/**
 * A file's modification time is compared with the build's start: a source
 * saved at or after it is newer than the bundle. One stat a source (about
 * 55 for `meter`, 1 ms together); a missing file means a stale bundle too.
 */
export function freshBundle(command, dir = DEFAULT_BUNDLE_DIR) {
  if (process.env.FLOWLENS_CLI_BUNDLE === '0') return undefined;
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  } catch {
    return undefined; // never built (no dev dependencies), or being rebuilt
  }
  const sources = manifest.root === ROOT ? manifest.commands?.[command] : undefined;
  if (!Array.isArray(sources) || sources.length === 0) return undefined;
  for (const s of sources) {
    const st = statSync(join(ROOT, s), { throwIfNoEntry: false });
    if (!st || st.mtimeMs >= manifest.builtAtMs) return undefined;
  }
  return pathToFileURL(join(dir, manifest.entry)).href;
}
