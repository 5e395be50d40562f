#!/usr/bin/env node
// `moflow` runs the JavaScript built once into dist/cli/ (scripts/build.mjs, at `npm install`), so a command
// starts without compiling TypeScript. Never stale output: the build's stamp lists every source it read with
// its mtime and size; if any differs (a few ms of stat calls), the build is redone here before the command
// runs, or, when that is not possible (a read-only install), moflow refuses and says how to fix it.
import { readFileSync, statSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

// Plain path strings: a few hundred stat calls cost ~1.5 ms this way, twice that through URL objects.
const root = fileURLToPath(new URL('../', import.meta.url));
const cliDir = `${root}dist/cli/`;

/** The current build's id, and the first source that changed since it was made (null when none did). */
function currentBuild() {
  let stamp;
  try {
    stamp = JSON.parse(readFileSync(`${cliDir}build.json`, 'utf8'));
  } catch {
    return { id: null, changed: 'there is no build yet' };
  }
  for (const [path, seen] of Object.entries(stamp.inputs)) {
    const now = statSync(root + path, { throwIfNoEntry: false });
    if (!seen || !now || now.mtimeMs !== seen[0] || now.size !== seen[1]) return { id: stamp.id, changed: `${path} changed since the last build` };
  }
  if (!statSync(`${cliDir}${stamp.id}/main.js`, { throwIfNoEntry: false })) return { id: stamp.id, changed: `dist/cli/${stamp.id}/ is gone` };
  return { id: stamp.id, changed: null };
}

let { id, changed } = currentBuild();
if (changed) {
  const started = Date.now();
  try {
    const { buildCli } = await import('../scripts/build.mjs');
    ({ id } = await buildCli());
  } catch (error) {
    process.stderr.write(
      `moflow: dist/cli/ needs a build (${changed}), and building it failed: ${error?.message ?? error}\n` +
        'Run `npm run build` in the moflow folder (or `npm install`), then try again.\n',
    );
    process.exit(1);
  }
  process.stderr.write(`moflow: built dist/cli/ in ${Date.now() - started} ms (${changed})\n`);
}
// Stack traces name the TypeScript sources, as they did when the CLI ran them through tsx.
process.setSourceMapsEnabled(true);
await import(pathToFileURL(`${cliDir}${id}/main.js`).href);
