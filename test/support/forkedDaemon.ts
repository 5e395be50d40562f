// A forking network daemon the tests run in the foreground (vsftpd, sshd): in its own process group, so
// stopping it never signals the test runner; waited for until it accepts connections; killed with the session
// processes it forks per connection (they run in sessions of their own, so killing the group misses them).
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { accepts } from './net.js';

export abstract class ForkedDaemon {
  readonly host = '127.0.0.1';
  private child: ChildProcess | null = null;
  private output = '';

  protected constructor(
    readonly root: string,
    readonly port: number,
    /** The daemon's own log file, for assertions on what the server saw. */
    protected readonly logFile: string,
  ) {}

  /** The program and its arguments. */
  protected abstract command(): { name: string; path: string; args: string[] };

  /** Starts the daemon (again, after `stop()`) on the same port and waits until it accepts connections. */
  async start(): Promise<void> {
    if (this.child) return;
    const { name, path, args } = this.command();
    const child = spawn(path, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const keep = (chunk: Buffer) => (this.output = (this.output + chunk.toString()).slice(-4000));
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    this.child = child;
    const deadline = Date.now() + 10_000;
    while (!(await accepts(this.host, this.port))) {
      if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}: ${this.output}${this.log().slice(-2000)}`);
      if (Date.now() > deadline) throw new Error(`${name} did not listen on ${this.port}: ${this.output}`);
      await sleep(25);
    }
  }

  /** Kills the daemon and its session processes (SIGKILL: open connections drop like on a crash). */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child?.pid) return;
    this.child = null;
    // Found first, while they are still the listener's descendants.
    const sessions = descendants(child.pid);
    const exited = new Promise<void>((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', () => resolve())));
    killQuietly(-child.pid, 'SIGKILL');
    for (const pid of sessions) killQuietly(pid, 'SIGKILL');
    await exited;
    // Wait until they are gone, so a restart does not race them.
    const deadline = Date.now() + 5_000;
    while (sessions.some(isAlive) && Date.now() < deadline) await sleep(20);
  }

  /**
   * Signals the session processes of open connections but not the listener: SIGKILL is a dropped connection
   * to a server that is still up, SIGSTOP a session that hangs. Returns how many were signalled.
   */
  signalSessions(signal: NodeJS.Signals = 'SIGKILL'): number {
    const pid = this.child?.pid;
    if (!pid) return 0;
    const sessions = descendants(pid);
    for (const session of sessions) killQuietly(session, signal);
    return sessions.length;
  }

  /** Stops the daemon and removes its temp dir. */
  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.root, { recursive: true, force: true });
  }

  log(): string {
    try {
      return readFileSync(this.logFile, 'utf8');
    } catch {
      return '';
    }
  }
}

/** Running, not a zombie: exited session processes wait for PID 1 to reap them. */
function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** Every process below `pid` (both daemons fork a privileged and an unprivileged process per session). */
function descendants(pid: number): number[] {
  let children: number[] = [];
  try {
    children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
  return children.flatMap((child) => [child, ...descendants(child)]);
}

function killQuietly(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}
