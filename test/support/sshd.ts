// A real SFTP server for the Plan2Learn shipping tests: Debian's OpenSSH sshd in the foreground on a free
// loopback port with its own config, host key (ssh-keygen into a temp dir), authorized_keys and log, serving
// internal-sftp only. It logs in one Unix user, `moflowsftp` (no home, nologin shell), by key or password;
// needs root: sshd does, and so do useradd and chpasswd. The user's password is random, made once per
// machine and kept root-only in the temp dir, so parallel test files share it.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../src/util/ports.js';
import { ForkedDaemon } from './forkedDaemon.js';
import { findExecutable, missingTools } from './tools.js';

export const SFTP_USER = 'moflowsftp';
/** Where the user's random password is kept (root only); created under a lock with the password itself. */
const PASSWORD_FILE = join(tmpdir(), 'moflow-sftp-user.password');

/** A skip reason for `describe` (sshd or ssh-keygen missing, or not root), or false. In CI it throws instead. */
export function sshdSkip(): string | false {
  const missing = missingTools({ sshd: 'openssh-server', 'ssh-keygen': 'openssh-client', useradd: 'passwd', chpasswd: 'passwd', flock: 'util-linux' });
  if (missing) return missing;
  if (process.getuid?.() === 0) return false;
  const reason = 'the SFTP tests need root (sshd, useradd and chpasswd do)';
  if (process.env.CI) throw new Error(`CI needs every test daemon: ${reason}`);
  return reason;
}

export interface KeyPair {
  privateKey: string;
  /** `ssh-ed25519 AAAA… comment`. */
  publicLine: string;
  /** `SHA256:…` as ssh-keygen -lf prints it. */
  fingerprint: string;
}

/** A fresh ed25519 key pair in `dir`, optionally encrypted with `passphrase`. */
export function makeKeyPair(dir: string, name: string, passphrase = ''): KeyPair {
  const file = join(dir, name);
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', passphrase, '-C', name, '-f', file], { stdio: 'pipe' });
  const fingerprint = execFileSync('ssh-keygen', ['-lf', `${file}.pub`], { encoding: 'utf8' }).split(' ')[1]!;
  return { privateKey: readFileSync(file, 'utf8'), publicLine: readFileSync(`${file}.pub`, 'utf8').trim(), fingerprint };
}

export class SshdServer extends ForkedDaemon {
  readonly user = SFTP_USER;
  readonly password: string;
  /** Writable by the user: the folder to upload into (an absolute path, there is no chroot). */
  readonly uploadDir: string;
  readonly hostKey: KeyPair;
  /** Keys the user may log in with: plain, and encrypted with `passphrase`. */
  readonly clientKey: KeyPair;
  readonly encryptedKey: KeyPair & { passphrase: string };
  private readonly config: string;

  private constructor(root: string, port: number) {
    super(root, port, join(root, 'sshd.log'));
    this.config = join(root, 'sshd_config');
    this.uploadDir = join(root, 'upload');
    this.password = ensureUser();
    this.hostKey = makeKeyPair(root, 'host_ed25519');
    this.clientKey = makeKeyPair(root, 'client_ed25519');
    this.encryptedKey = { ...makeKeyPair(root, 'client_encrypted', 'key-Pass-phrase-7'), passphrase: 'key-Pass-phrase-7' };
  }

  static async create(): Promise<SshdServer> {
    const root = mkdtempSync(join(tmpdir(), 'moflow-sshd-'));
    const server = new SshdServer(root, await freePort());
    server.writeConfig();
    await server.start();
    return server;
  }

  /** `[127.0.0.1]:port ssh-ed25519 AAAA…`: the server's line for a known_hosts file. */
  knownHostsLine(): string {
    const [type, base64] = this.hostKey.publicLine.split(' ');
    return `[${this.host}]:${this.port} ${type} ${base64}`;
  }

  protected command() {
    // sshd insists on its privilege separation directory (Debian's service creates it at boot).
    mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
    return { name: 'sshd', path: findExecutable('sshd')!, args: ['-D', '-f', this.config, '-E', this.logFile] };
  }

  /** Successful logins (`Accepted …`) and failed password attempts so far. */
  logins(): { ok: number; failed: number } {
    const log = this.log();
    return { ok: log.match(/Accepted (password|publickey) for /g)?.length ?? 0, failed: log.match(/Failed password for /g)?.length ?? 0 };
  }

  private writeConfig(): void {
    const uid = Number(execFileSync('id', ['-u', SFTP_USER], { encoding: 'utf8' }).trim());
    chmodSync(this.root, 0o755);
    mkdirSync(this.uploadDir, { mode: 0o755 });
    chownSync(this.uploadDir, uid, -1);
    const authorizedKeys = join(this.root, 'authorized_keys');
    writeFileSync(authorizedKeys, `${this.clientKey.publicLine}\n${this.encryptedKey.publicLine}\n`, { mode: 0o644 });
    const lines = [
      `ListenAddress ${this.host}:${this.port}`,
      `HostKey ${join(this.root, 'host_ed25519')}`,
      `PidFile ${join(this.root, 'sshd.pid')}`,
      `AuthorizedKeysFile ${authorizedKeys}`,
      `AllowUsers ${SFTP_USER}`,
      'PermitRootLogin no',
      'StrictModes no',
      'UsePAM no',
      'PasswordAuthentication yes',
      'PubkeyAuthentication yes',
      'KbdInteractiveAuthentication no',
      'PermitTTY no',
      'X11Forwarding no',
      'AllowTcpForwarding no',
      'AllowAgentForwarding no',
      'PermitTunnel no',
      'ForceCommand internal-sftp',
      'Subsystem sftp internal-sftp',
      'LogLevel VERBOSE',
      // Two sessions of parallel test files never queue behind each other's unauthenticated connections.
      'MaxStartups 50',
    ];
    writeFileSync(this.config, `${lines.join('\n')}\n`, { mode: 0o600 });
  }
}

/**
 * The test user (no home, nologin shell) and its password, made once under a lock: a random password set
 * with chpasswd, and kept in a root-only file so parallel test files (and later runs) use the same.
 */
function ensureUser(): string {
  const script = [
    'set -e',
    `if ! id ${SFTP_USER} >/dev/null 2>&1; then useradd -M -d / -s /usr/sbin/nologin ${SFTP_USER}; rm -f "$1"; fi`,
    'if [ ! -s "$1" ]; then',
    '  umask 077',
    '  pw="p2l-$(head -c 18 /dev/urandom | base64 | tr -dc A-Za-z0-9)"',
    `  echo "${SFTP_USER}:$pw" | chpasswd`,
    '  printf %s "$pw" > "$1.new" && mv "$1.new" "$1"',
    'fi',
    'cat "$1"',
  ].join('\n');
  const made = spawnSync('flock', [`${PASSWORD_FILE}.lock`, 'sh', '-c', script, 'sh', PASSWORD_FILE], { encoding: 'utf8' });
  if (made.status !== 0 || !made.stdout) throw new Error(`creating the SFTP test user ${SFTP_USER}: ${made.stderr}`);
  return made.stdout;
}
