#!/usr/bin/env node
// The `flowlens` command. FlowLens runs its TypeScript sources with Node's
// type stripping, which needs Node >= 22.18; when started by an older system
// Node, re-run with the Node 24 that package.json pins (node_modules/.bin/node).
import { fileURLToPath } from 'node:url';

const [major, minor] = process.versions.node.split('.').map(Number);
const cli = fileURLToPath(new URL('../src/cli.ts', import.meta.url));
if (major > 22 || (major === 22 && minor >= 18)) {
  // Caches the compiled (type-stripped) modules across runs: start-up 0.19 s -> 0.05 s of CPU.
  // Imported here: an older Node (20) has no enableCompileCache, and a static import of it
  // would fail before the version check below could run the pinned Node.
  const { enableCompileCache } = await import('node:module');
  enableCompileCache();
  // One-shot commands start from the bundle built at install while it is fresh (about 20 ms less).
  const { freshBundle } = await import('./cli-bundle.js');
  await import(freshBundle(process.argv[2]) ?? cli);
} else {
  const pinned = fileURLToPath(new URL('../node_modules/node/bin/node', import.meta.url));
  const { existsSync } = await import('node:fs'); // only here: see cli-bundle.js on node:fs
  if (!existsSync(pinned)) {
    process.stderr.write('flowlens: needs Node.js 24 (run `npm install` to fetch the pinned version)\n');
    process.exit(2);
  }
  const { spawnSync } = await import('node:child_process'); // only here: loading it costs 1.5 ms
  const r = spawnSync(pinned, [cli, ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}
