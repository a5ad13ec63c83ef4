/**
 * `npm run build:cli` (and `prepare`, so `npm install` / `npm ci` run it):
 * bundles the command line (src/cli.ts and what it imports, packages left
 * external) with esbuild into node_modules/.cache/flowlens-cli/, one chunk
 * per lazily loaded command. bin/flowlens.js starts the one-shot commands
 * listed in BUNDLED_COMMANDS from it while it is fresh: Node's ES module
 * loader costs about 0.3 ms a module, and `meter` alone loads 55 of ours
 * (docs/adr/0007-bundled-cli.md). The sources stay what runs everywhere
 * else (tests, `serve`, workers), and what the bundle falls back to.
 *
 * Writes manifest.json beside the chunks: the build time, the repository's
 * root, and per bundled command the source files its chunks hold, which
 * bin/cli-bundle.js checks (none changed since the build) before using the
 * bundle. Without esbuild (an install without dev dependencies) it says so
 * and exits 0: the command line then runs from the sources, as before.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type * as Esbuild from 'esbuild';
import { DEFAULT_BUNDLE_DIR } from '../bin/cli-bundle.js';

/** Commands started from the bundle: one-shot, run from a shell, where start-up is part of the wait. */
export const BUNDLED_COMMANDS = ['meter', 'decode'] as const;

const root = fileURLToPath(new URL('..', import.meta.url));
// Where bin/cli-bundle.js looks for it, unless given (the bundle's test builds one elsewhere).
const outDir = process.argv[2] ?? DEFAULT_BUNDLE_DIR;

let esbuild: typeof Esbuild;
try {
  esbuild = await import('esbuild');
} catch {
  process.stderr.write('build:cli: esbuild is not installed; the command line runs from its sources\n');
  process.exit(0);
}

const builtAtMs = Date.now();
rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });
const result = await esbuild.build({
  entryPoints: [join(root, 'src', 'cli.ts')],
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node24',
  packages: 'external',
  outdir: outDir,
  metafile: true,
  logLevel: 'warning',
  plugins: [
    {
      // Node's built-in modules through process.getBuiltinModule, not `import`: an ES module
      // namespace of a built-in reads every export, getters included (node:fs's `promises` loads
      // fs/promises and readline), and cost `meter` about 7 ms at start-up. esbuild wraps the
      // module object as it does CommonJS, reading an export where it is used.
      name: 'builtins-without-esm-namespace',
      setup(build) {
        // Static imports only: an `await import('node:x')` keeps its namespace (and its exports).
        build.onResolve({ filter: /^node:/ }, (args) =>
          args.kind === 'import-statement'
            ? { path: args.path, namespace: 'node-builtin' }
            : { path: args.path, external: true },
        );
        build.onLoad({ filter: /.*/, namespace: 'node-builtin' }, (args) => ({
          contents: `module.exports = process.getBuiltinModule(${JSON.stringify(args.path)});`,
          loader: 'js',
        }));
      },
    },
    {
      // Each module's import.meta.url stays its source file's: worker scripts, data files and
      // native libraries are found next to the sources, whichever file the code runs from.
      name: 'source-import-meta-url',
      setup(build) {
        build.onLoad({ filter: /\.ts$/ }, (args) => ({
          contents: readFileSync(args.path, 'utf8').replaceAll(
            'import.meta.url',
            JSON.stringify(pathToFileURL(args.path).href),
          ),
          loader: 'ts',
        }));
      },
    },
  ],
});

const outputs = result.metafile.outputs;
for (const file of Object.keys(outputs)) restoreConst(join(process.cwd(), file));

/**
 * esbuild declares every top-level binding of a bundle with `var` (its FAQ:
 * "top-level var"). V8 optimises a module's `const` as a constant, a `var`
 * as a variable read at each use: the meter's tables and field offsets then
 * cost it about 20 ms on 1M packets (16 alternating rounds, 0.451 against
 * 0.471 s at best). A `var` the chunk assigns nowhere but in its declaration
 * becomes `const` again; the others (the sources' `let`s) stay `var`.
 */
function restoreConst(path: string): void {
  let text = readFileSync(path, 'utf8');
  const declared = /^var ([\w$]+) = /gm;
  for (const [, name] of text.matchAll(declared)) {
    const n = name!.replace(/\$/g, '\\$');
    const writes = text.match(
      new RegExp(
        `(?<![\\w$.])${n}\\s*(?:=(?!=)|\\+\\+|--|[-+*/%&|^]=|<<=|>>>?=|\\*\\*=|&&=|\\|\\|=|\\?\\?=)`,
        'g',
      ),
    );
    const destructured = new RegExp(
      `(?:for\\s*\\(\\s*${n}\\b|[[{,]\\s*${n}\\s*[,\\]}][^;]*\\]?\\s*\\}?\\s*=(?!=))`,
    ).test(text);
    if (writes?.length === 1 && !destructured)
      text = text.replace(new RegExp(`^var ${n} = `, 'm'), `const ${name} = `);
  }
  writeFileSync(path, text);
}

/** Output path (as the metafile names it) -> the source files it and the chunks it imports statically hold. */
function sourcesOf(output: string, seen = new Set<string>()): Set<string> {
  if (seen.has(output)) return new Set();
  seen.add(output);
  const o = outputs[output]!;
  // Files only: not the built-ins' stand-ins (namespace `node-builtin:`).
  const files = new Set(Object.keys(o.inputs).filter((f) => !f.startsWith('node-builtin:')));
  for (const i of o.imports)
    if (i.kind === 'import-statement' && !i.external && outputs[i.path])
      for (const f of sourcesOf(i.path, seen)) files.add(f);
  return files;
}
const outputFor = (source: string): string => {
  const found = Object.entries(outputs).find(([, o]) => o.entryPoint === source);
  if (!found) throw new Error(`build:cli: no chunk for ${source}`);
  return found[0];
};
const entry = outputFor('src/cli.ts');
const commands: Record<string, string[]> = {};
for (const name of BUNDLED_COMMANDS) {
  const files = new Set([...sourcesOf(entry), ...sourcesOf(outputFor(`src/app/commands/${name}.ts`))]);
  commands[name] = [...files].map((f) => relative(root, join(process.cwd(), f))).sort();
}
// The chunks are ES modules. Under node_modules Node finds no package scope for them (its lookup
// stops at node_modules), so without this it compiled each chunk as CommonJS first, failed on
// `import`, and compiled it again as a module (its syntax detection): a few ms of every start.
writeFileSync(join(outDir, 'package.json'), '{ "type": "module" }\n');
writeFileSync(
  join(outDir, 'manifest.json'),
  `${JSON.stringify({ builtAtMs, root, entry: relative(outDir, join(process.cwd(), entry)), commands }, null, 2)}\n`,
);
process.stderr.write(
  `build:cli: ${Object.keys(outputs).length} chunks in ${relative(root, outDir) || '.'} (${BUNDLED_COMMANDS.join(', ')})\n`,
);
