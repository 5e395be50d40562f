#!/usr/bin/env node
// Builds the CLI once into dist/cli/<id>/ (esbuild, a few hundred ms, no network), so `moflow` starts without
// compiling TypeScript. Run at `npm install` (prepare), by `npm test`, and by bin/moflow.js itself whenever a
// source changed since the last build: dist/cli/build.json lists every source the build read with its mtime
// and size, and bin/moflow.js compares them on each start.
//
// Bundled with code splitting: each command's `await import()` becomes its own chunk, loaded only when that
// command runs. Packages stay in node_modules, except the small pure-JS ones every start needs (fewer files to
// resolve and read). Sources that locate files by `import.meta.url` get their own source URL, so paths like
// PROJECT_ROOT and the GraphQL schema resolve as they do under tsx.
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
export const CLI_DIR = join(root, 'dist', 'cli');
export const STAMP = join(CLI_DIR, 'build.json');
const ENTRY = join(root, 'src', 'cli', 'main.ts');
/** Bundled into the build: pure JS, loaded by nearly every command. Everything else is imported from node_modules. */
const BUNDLED = ['commander', 'zod', 'jsonc-parser'];
/** Files that shape the output besides the sources esbuild reads. */
const EXTRA_INPUTS = ['package.json', 'tsconfig.json', 'scripts/build.mjs', 'node_modules/esbuild/package.json', ...BUNDLED.map((p) => `node_modules/${p}/package.json`)];
/**
 * A build is kept ten minutes after it was replaced, for the moflow processes that started from it and still
 * load its chunks (a command loads its own in its first seconds; main.ts copes with the error report's chunk
 * being gone). Kept longer, a day of edits would leave hundreds of builds of ~3 MB each.
 */
const KEEP_OLD_MS = 10 * 60 * 1000;

const isBundled = (path) => BUNDLED.some((p) => path === p || path.startsWith(`${p}/`));

/**
 * Rewrites `import.meta.url` to the source file's URL, relative to the chunk (dist/cli/<id>/ is 3 levels down).
 * Bundles zod with its English messages only: its other 40-odd locales are half of zod's code, parsed on every
 * start that reads the settings. moflow never switches locale; a source that names zod's locales stops the build.
 */
const sourceUrls = {
  name: 'moflow-source-urls',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (args) => (isBundled(args.path) ? undefined : { path: args.path, external: true }));
    build.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      args.importer.includes(`node_modules${sep}zod${sep}`) ? { path: join(dirname(args.importer), '..', 'locales', 'en.js'), namespace: 'zod-en' } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'zod-en' }, (args) => ({ contents: `export { default as en } from ${JSON.stringify(args.path)};`, resolveDir: root }));
    build.onLoad({ filter: /\.ts$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      if (/\blocales\b/.test(text) && /from 'zod/.test(text)) throw new Error(`${relative(root, args.path)} names zod's locales, which scripts/build.mjs leaves out: bundle them again there`);
      if (!text.includes('import.meta.url')) return undefined;
      const rel = relative(root, args.path).split('\\').join('/');
      return { contents: text.replaceAll('import.meta.url', `new URL(${JSON.stringify(`../../../${rel}`)}, import.meta.url).href`), loader: 'ts' };
    });
  },
};

/** Builds the CLI and replaces the stamp; returns the build id, time taken and number of sources. */
export async function buildCli() {
  const { build } = await import('esbuild');
  const started = Date.now();
  const id = `${started.toString(36)}-${process.pid}`;
  const outdir = join(CLI_DIR, id);
  mkdirSync(CLI_DIR, { recursive: true });
  const result = await build({
    // zod as an entry of its own keeps it in a chunk apart from moflow's sources (see dropVendorMaps).
    entryPoints: { main: ENTRY, zod: 'zod' },
    outdir,
    // Input paths in the metafile (and so in the stamp) are relative to the project, wherever moflow runs from.
    absWorkingDir: root,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // jsonc-parser's "main" is a UMD build that require()s its own files; its ES module build bundles cleanly.
    mainFields: ['module', 'main'],
    tsconfig: join(root, 'tsconfig.json'),
    sourcemap: 'linked',
    // Stack traces need only the mappings; the sources are next door (and a smaller map loads faster).
    sourcesContent: false,
    metafile: true,
    // The thrown error lists every problem with file:line:column; the caller prints it once.
    logLevel: 'silent',
    // Bundled CommonJS (commander) may call require() for Node's own modules.
    banner: { js: "import { createRequire as __moflowRequire } from 'node:module'; const require = __moflowRequire(import.meta.url);" },
    plugins: [sourceUrls],
  });
  dropVendorMaps(result.metafile);
  const sources = Object.keys(result.metafile.inputs).filter((p) => !p.includes('node_modules/'));
  const inputs = {};
  for (const path of [...sources, ...EXTRA_INPUTS]) {
    const s = statSync(join(root, path), { throwIfNoEntry: false });
    // Changed while the build ran: record it as unknown, so the next start builds again.
    inputs[path] = s && s.mtimeMs < started ? [s.mtimeMs, s.size] : null;
  }
  // The stamp is replaced in one rename: a concurrent start sees the old build or the new one, never half.
  const tmp = `${STAMP}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify({ id, builtAt: new Date(started).toISOString(), inputs }, null, 1)}\n`);
  const replaced = currentId();
  renameSync(tmp, STAMP);
  // The replaced build's folder dates from now: a start that read the old stamp a moment ago may still load it.
  if (replaced && replaced !== id) {
    const now = new Date();
    try {
      utimesSync(join(CLI_DIR, replaced), now, now);
    } catch {
      // already gone
    }
  }
  pruneOldBuilds(id);
  return { id, ms: Date.now() - started, files: sources.length };
}

/**
 * A chunk made only of bundled packages (commander, zod) loses its source map: stack traces never need to name
 * their sources, and Node reads a chunk's map on every start (zod's costs ~10 ms), not only when a trace is printed.
 */
function dropVendorMaps(metafile) {
  for (const [out, { inputs }] of Object.entries(metafile.outputs)) {
    if (!out.endsWith('.js') || !Object.keys(inputs).every((p) => p.includes('node_modules/'))) continue;
    const path = join(root, out);
    writeFileSync(path, readFileSync(path, 'utf8').replace(/\n\/\/# sourceMappingURL=\S+\n?$/, '\n'));
    rmSync(`${path}.map`, { force: true });
  }
}

function currentId() {
  try {
    return JSON.parse(readFileSync(STAMP, 'utf8')).id;
  } catch {
    return null;
  }
}

function pruneOldBuilds(current) {
  for (const name of readdirSync(CLI_DIR)) {
    const path = join(CLI_DIR, name);
    if (name === current || name === 'build.json' || name.endsWith('.tmp')) continue;
    const s = statSync(path, { throwIfNoEntry: false });
    if (s?.isDirectory() && Date.now() - s.mtimeMs > KEEP_OLD_MS) rmSync(path, { recursive: true, force: true });
  }
}

if (process.argv[1] && pathToFileURL(process.argv[1]).href === import.meta.url) {
  if (!statSync(ENTRY, { throwIfNoEntry: false })) {
    // `npm ci` in the Dockerfile runs before the sources are copied in; the image builds after COPY.
    console.error(`moflow build: ${relative(root, ENTRY)} is not there yet; skipped (run \`npm run build\` once the sources are in place)`);
    process.exit(0);
  }
  try {
    const { id, ms, files } = await buildCli();
    console.error(`moflow build: ${files} sources → ${relative(root, join(CLI_DIR, id))} in ${ms} ms`);
  } catch (error) {
    console.error(`moflow build: ${error.message}`);
    process.exit(1);
  }
}
