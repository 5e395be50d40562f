// A real Samba server for SMB tests: smbd in the foreground on a free loopback port, everything (config,
// passdb, locks, the share) in a temp dir, one user and one share. Needs root, because `smbpasswd -a` does.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '../../src/util/ports.js';
import { findExecutable, missingTools } from './tools.js';
import { accepts } from './net.js';

/** The Unix/Samba user the tests log in as; created once with `useradd -M`, reused by every run. */
export const SMB_USER = 'moflowsmb';
export const SMB_PASSWORD = 'opus-Test-pw1';
export const SMB_SHARE = 'opus';

/** A skip reason for `describe` (smbd missing, or not root), or false. In CI it throws instead. */
export function sambaSkip(): string | false {
  const missing = missingTools({ smbd: 'samba', smbpasswd: 'samba', useradd: 'passwd' });
  if (missing) return missing;
  if (process.getuid?.() === 0) return false;
  const reason = 'the SMB tests need root (smbpasswd -a and useradd do)';
  if (process.env.CI) throw new Error(`CI needs every test daemon: ${reason}`);
  return reason;
}

export interface SambaOptions {
  /** Extra `[global]` lines, e.g. `server signing = mandatory`. */
  global?: string[];
}

export class SambaServer {
  readonly host = '127.0.0.1';
  readonly user = SMB_USER;
  readonly password = SMB_PASSWORD;
  readonly share = SMB_SHARE;
  /** The folder behind the share; write test files here directly. */
  readonly shareDir: string;
  private child: ChildProcess | null = null;
  private readonly config: string;
  private readonly logFile: string;

  private constructor(
    readonly root: string,
    readonly port: number,
  ) {
    this.shareDir = join(root, 'share');
    this.config = join(root, 'smb.conf');
    this.logFile = join(root, 'smbd.log');
  }

  static async create(options: SambaOptions = {}): Promise<SambaServer> {
    const root = mkdtempSync(join(tmpdir(), 'moflow-samba-'));
    const server = new SambaServer(root, await freePort());
    server.writeConfig(options.global ?? []);
    ensureUser(server.config);
    await server.start();
    return server;
  }

  /** Starts smbd (again, after `stop()`) on the same port and waits until it accepts connections. */
  async start(): Promise<void> {
    if (this.child) return;
    const log = createWriteStream(this.logFile, { flags: 'a' });
    const child = spawn(
      findExecutable('smbd')!,
      ['--foreground', '--no-process-group', `--configfile=${this.config}`, '--debug-stdout', '-d', '1'],
      // Own process group: on SIGTERM smbd signals its whole group, which would otherwise include the test runner.
      { stdio: ['ignore', 'pipe', 'pipe'], detached: true },
    );
    child.stdout.pipe(log);
    child.stderr.pipe(log);
    this.child = child;
    const deadline = Date.now() + 15_000;
    while (!(await accepts(this.host, this.port))) {
      if (child.exitCode !== null) throw new Error(`smbd exited with ${child.exitCode}: ${this.log()}`);
      if (Date.now() > deadline) throw new Error(`smbd did not listen on ${this.port}: ${this.log()}`);
      await sleep(50);
    }
  }

  /** Stops smbd and the per-connection children it forked, so open SMB connections really drop. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child?.pid) return;
    this.child = null;
    const forked = childPids(child.pid);
    const exited = new Promise<void>((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', () => resolve())));
    child.kill('SIGTERM');
    for (const pid of forked) killQuietly(pid, 'SIGTERM');
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      for (const pid of forked) killQuietly(pid, 'SIGKILL');
    }, 5_000);
    await exited;
    clearTimeout(timer);
    // Children exit on their own once the parent is gone; wait so a restart does not race them.
    const deadline = Date.now() + 5_000;
    while (forked.some(isAlive) && Date.now() < deadline) await sleep(20);
  }

  /** Stops smbd and removes the temp dir. */
  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.root, { recursive: true, force: true });
  }

  log(): string {
    try {
      return readFileSync(this.logFile, 'utf8').slice(-2000);
    } catch {
      return '(no log)';
    }
  }

  private writeConfig(extraGlobal: string[]): void {
    const dir = (name: string) => {
      const path = join(this.root, name);
      mkdirSync(path, { recursive: true });
      return path;
    };
    // smbd serves files as the logged-in user, who must be able to traverse the temp dir.
    chmodSync(this.root, 0o755);
    chmodSync(dir('share'), 0o777);
    const lines = [
      '[global]',
      'server role = standalone server',
      `smb ports = ${this.port}`,
      'interfaces = lo',
      'bind interfaces only = yes',
      'disable netbios = yes',
      ...['private', 'lock', 'state', 'cache', 'pid'].map((d) => `${d} directory = ${dir(d)}`),
      `ncalrpc dir = ${dir('ncalrpc')}`,
      `binddns dir = ${dir('bind-dns')}`,
      `passdb backend = tdbsam:${join(this.root, 'private', 'passdb.tdb')}`,
      'map to guest = never',
      'server min protocol = SMB2_02',
      'load printers = no',
      'printing = bsd',
      'printcap name = /dev/null',
      ...extraGlobal,
      `[${SMB_SHARE}]`,
      `path = ${this.shareDir}`,
      'read only = yes',
    ];
    writeFileSync(this.config, `${lines.join('\n')}\n`);
  }
}

/** The Unix user (no home) and its entry in this server's passdb; harmless to repeat. */
function ensureUser(config: string): void {
  if (spawnSync('id', [SMB_USER]).status !== 0) {
    const made = spawnSync(findExecutable('useradd')!, ['-M', '-s', '/usr/sbin/nologin', SMB_USER], { encoding: 'utf8' });
    // A parallel run may have created it meanwhile.
    if (made.status !== 0 && spawnSync('id', [SMB_USER]).status !== 0) throw new Error(`useradd ${SMB_USER}: ${made.stderr}`);
  }
  const added = spawnSync(findExecutable('smbpasswd')!, ['-c', config, '-s', '-a', SMB_USER], {
    input: `${SMB_PASSWORD}\n${SMB_PASSWORD}\n`,
    encoding: 'utf8',
  });
  if (added.status !== 0) throw new Error(`smbpasswd -a ${SMB_USER}: ${added.stderr}${added.stdout}`);
}

function childPids(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** Running, not a zombie: exited children of smbd wait for PID 1 to reap them, which can take a second. */
function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

function killQuietly(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}
