// Installs OS2MO 66.1.2 (the runtime source in ../shared/os2mo-server/src, untouched upstream) into a
// machine-wide cache: the source copied to a writable place (poetry writes next to pyproject.toml, and
// shared/ is read-only in CI), a virtualenv filled by poetry from OS2MO's own poetry.lock, and moflow's two
// Python shims. The cache folder is named by a hash of everything that goes into it, so a changed lock or
// shim installs afresh and an unchanged one is reused by every clone on the machine.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = resolve(HERE, '..', '..', '..');
/** The Python files moflow adds: the alembic wrapper and the DAR base-URL shim. */
const SHIMS = join(HERE, 'python');
const POETRY = 'poetry>=2.1,<3';

export interface Os2moInstall {
  /** OS2MO's source, writable: the working directory for alembic and uvicorn. */
  readonly srcDir: string;
  /** The virtualenv's python, with OS2MO's dependencies and moflow's shims on its path. */
  readonly python: string;
  /** Short hash of the installation (names the template databases). */
  readonly hash: string;
}

/** Where OS2MO's source is read from: MOFLOW_OS2MO_SOURCE, else ../shared/os2mo-server/src beside the repo. */
export function os2moSource(): string {
  return process.env.MOFLOW_OS2MO_SOURCE ?? resolve(REPO, '..', 'shared', 'os2mo-server', 'src');
}

function cacheRoot(): string {
  return process.env.MOFLOW_OS2MO_HOME ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'moflow', 'os2mo');
}

/** Why OS2MO cannot be installed here, or false. Cheap: no install is attempted. */
export function os2moUnavailable(): string | false {
  const source = os2moSource();
  if (!existsSync(join(source, 'poetry.lock'))) {
    return `OS2MO's source is not at ${source} (expected ../shared/os2mo-server/src beside the repository; set MOFLOW_OS2MO_SOURCE)`;
  }
  const python = pythonCommand();
  const version = spawnSync(python, ['-c', 'import sys, venv, ensurepip; print("%d.%d" % sys.version_info[:2])'], { encoding: 'utf8' });
  if (version.status !== 0) return `${python} with venv and ensurepip is needed for OS2MO (apt-get install python3 python3-venv)`;
  const [major, minor] = version.stdout.trim().split('.').map(Number);
  if (major !== 3 || (minor ?? 0) < 11) return `OS2MO 66 needs Python ≥ 3.11; ${python} is ${version.stdout.trim()} (set MOFLOW_OS2MO_PYTHON)`;
  return false;
}

const pythonCommand = (): string => process.env.MOFLOW_OS2MO_PYTHON ?? 'python3';

/** Hash of the source tree (names and sizes: cheap, and enough to tell versions apart) and the shims. */
function installHash(source: string): string {
  const hash = createHash('sha256');
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      if (name === '__pycache__') continue;
      const path = join(dir, name);
      const stat = statSync(path);
      if (stat.isDirectory()) walk(path);
      else hash.update(`${relative(source, path)}:${stat.size}\n`);
    }
  };
  walk(source);
  hash.update(readFileSync(join(source, 'poetry.lock')));
  for (const shim of readdirSync(SHIMS).sort()) hash.update(`${shim}\n`).update(readFileSync(join(SHIMS, shim)));
  hash.update(POETRY);
  return hash.digest('hex').slice(0, 12);
}

function run(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; what: string }): void {
  const result = spawnSync(command, args, { cwd: options.cwd, env: { ...process.env, ...options.env }, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) {
    const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim().split('\n').slice(-25).join('\n');
    throw new Error(`${options.what} failed (${command} ${args.join(' ')}, exit ${result.status ?? result.signal}):\n${output}`);
  }
}

/** One installer at a time per cache folder (two test runs, or a test run and `npm run os2mo up`). */
async function withLock<T>(lockDir: string, work: () => T): Promise<T> {
  const deadline = Date.now() + 10 * 60_000;
  for (;;) {
    try {
      mkdirSync(lockDir);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      // A lock older than 15 minutes belongs to an installer that died.
      if (Date.now() - statSync(lockDir, { throwIfNoEntry: false })!.mtimeMs > 15 * 60_000) rmSync(lockDir, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`another OS2MO install holds ${lockDir}; remove it if no install runs`);
      await sleep(1000);
    }
  }
  try {
    return work();
  } finally {
    rmSync(lockDir, { recursive: true, force: true });
  }
}

let installed: Promise<Os2moInstall> | null = null;

/** Installs OS2MO once per machine and version; later calls return at once. */
export function installOs2mo(log: (line: string) => void = () => {}): Promise<Os2moInstall> {
  installed ??= (async () => {
    const reason = os2moUnavailable();
    if (reason) throw new Error(reason);
    const source = os2moSource();
    const hash = installHash(source);
    const home = join(cacheRoot(), `66.1.2-${hash}`);
    const result: Os2moInstall = { srcDir: join(home, 'src'), python: join(home, 'venv', 'bin', 'python'), hash };
    const marker = join(home, '.installed');
    if (existsSync(marker)) return result;
    mkdirSync(cacheRoot(), { recursive: true });
    await withLock(`${home}.lock`, () => {
      if (existsSync(marker)) return;
      const started = Date.now();
      log(`installing OS2MO 66.1.2 into ${home} (once per machine; about a minute)`);
      rmSync(home, { recursive: true, force: true });
      cpSync(source, result.srcDir, { recursive: true });
      run('chmod', ['-R', 'u+w', result.srcDir], { what: 'making the OS2MO copy writable' });
      run(pythonCommand(), ['-m', 'venv', join(home, 'tools')], { what: 'creating the poetry virtualenv' });
      run(join(home, 'tools', 'bin', 'pip'), ['install', '--quiet', POETRY], { what: 'installing poetry from PyPI' });
      run(pythonCommand(), ['-m', 'venv', join(home, 'venv')], { what: "creating OS2MO's virtualenv" });
      run(join(home, 'tools', 'bin', 'poetry'), ['install', '--only', 'main', '--no-root', '--no-interaction'], {
        cwd: result.srcDir,
        env: { VIRTUAL_ENV: join(home, 'venv'), PATH: `${join(home, 'venv', 'bin')}:${process.env.PATH ?? ''}`, POETRY_VIRTUALENVS_CREATE: 'false' },
        what: "installing OS2MO's dependencies with poetry (from PyPI)",
      });
      // The shims go into site-packages: sitecustomize.py runs in every interpreter of this venv.
      const site = spawnSync(result.python, ['-c', 'import sysconfig; print(sysconfig.get_paths()["purelib"])'], { encoding: 'utf8' }).stdout.trim();
      for (const shim of readdirSync(SHIMS)) cpSync(join(SHIMS, shim), join(site, shim));
      writeFileSync(marker, `${new Date().toISOString()} ${hash}\n`);
      log(`OS2MO installed in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    });
    return result;
  })();
  installed.catch(() => {
    installed = null;
  });
  return installed;
}
