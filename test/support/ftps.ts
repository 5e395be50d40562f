// A real FTPS server for the Plan2Learn shipping tests: Debian vsftpd in the foreground on a free loopback
// port, strict like real servers (explicit TLS forced for logins and data, TLS session reuse required on data
// connections), with a self-signed certificate and everything (config, chroot, log) in a temp dir. Needs root:
// vsftpd drops privileges per session and the test user needs a Unix password.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileSystem, FtpSrv, type FtpConnection } from 'ftp-srv';
import { freePort } from '../../src/util/ports.js';
import { ForkedDaemon } from './forkedDaemon.js';
import { findExecutable, missingTools } from './tools.js';

/** The Unix user the tests log in as; created once (home "/", no shell), its password reset every run. */
export const FTP_USER = 'moflowftp';
export const FTP_PASSWORD = 'p2l-Test-pw1';
/**
 * Debian's `vsftpd` PAM service requires a login shell listed in /etc/shells (pam_shells). Rather than give
 * a test user with a known password a real shell, vsftpd uses this service: Unix password, this user only.
 */
const PAM_SERVICE = 'moflow-test-ftps';
const PAM_CONFIG = [
  '# moflow tests (test/support/ftps.ts): vsftpd logins for the test user only; its shell stays nologin.',
  `auth    required pam_succeed_if.so quiet user = ${FTP_USER}`,
  'auth    required pam_unix.so',
  'account required pam_unix.so',
  '',
].join('\n');

/** A skip reason for `describe` (vsftpd or openssl missing, or not root), or false. In CI it throws instead. */
export function vsftpdSkip(): string | false {
  const missing = missingTools({ vsftpd: 'vsftpd', openssl: 'openssl', useradd: 'passwd', chpasswd: 'passwd' });
  if (missing) return missing;
  if (process.getuid?.() === 0) return false;
  const reason = 'the FTPS tests need root (vsftpd, useradd and chpasswd do)';
  if (process.env.CI) throw new Error(`CI needs every test daemon: ${reason}`);
  return reason;
}

/** A self-signed certificate (it is its own CA) and its key, PEM. */
export interface TestCert {
  cert: string;
  key: string;
}

/** A self-signed certificate for `subjectAltName` (default `IP:127.0.0.1,DNS:localhost`). */
export function makeCert(dir: string, name: string, subjectAltName = 'IP:127.0.0.1,DNS:localhost'): TestCert {
  const certFile = join(dir, `${name}.crt`);
  const keyFile = join(dir, `${name}.key`);
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '2',
      '-subj', `/CN=${name}`, '-addext', `subjectAltName=${subjectAltName}`],
    { stdio: 'pipe' },
  );
  return { cert: readFileSync(certFile, 'utf8'), key: readFileSync(keyFile, 'utf8') };
}

export class VsftpdServer extends ForkedDaemon {
  readonly user = FTP_USER;
  readonly password = FTP_PASSWORD;
  /**
   * The FTP root (chroot) the user lands in. Owned by root and not writable by the user, as on many hosted
   * servers; `upload/` inside it is writable. Read and write test files here directly.
   */
  readonly ftpRoot: string;
  /** The server certificate; being self-signed, its PEM is also the CA to trust. */
  readonly cert: TestCert;
  private readonly config: string;

  private constructor(root: string, port: number) {
    super(root, port, join(root, 'vsftpd.log'));
    this.ftpRoot = join(root, 'ftp');
    this.config = join(root, 'vsftpd.conf');
    this.cert = makeCert(root, 'localhost');
  }

  static async create(): Promise<VsftpdServer> {
    const root = mkdtempSync(join(tmpdir(), 'moflow-vsftpd-'));
    const server = new VsftpdServer(root, await freePort());
    const uid = ensureUser();
    server.writeConfig(uid);
    await server.start();
    return server;
  }

  protected command() {
    return { name: 'vsftpd', path: findExecutable('vsftpd')!, args: [this.config] };
  }

  /** How many logins succeeded (`OK LOGIN`) and failed (`FAIL LOGIN`) so far. */
  logins(): { ok: number; failed: number } {
    const log = this.log();
    return { ok: log.match(/\] OK LOGIN/g)?.length ?? 0, failed: log.match(/\] FAIL LOGIN/g)?.length ?? 0 };
  }

  private writeConfig(uid: number): void {
    const dir = (path: string, mode: number) => {
      mkdirSync(path, { recursive: true });
      chmodSync(path, mode);
      return path;
    };
    // The session process runs as the user, who must traverse the temp dir to reach the chroot.
    chmodSync(this.root, 0o755);
    dir(this.ftpRoot, 0o755);
    chownSync(dir(join(this.ftpRoot, 'upload'), 0o755), uid, -1);
    const certFile = join(this.root, 'server.pem');
    writeFileSync(certFile, this.cert.cert + this.cert.key, { mode: 0o600 });
    const lines = [
      'listen=YES',
      'listen_ipv6=NO',
      `listen_address=${this.host}`,
      `listen_port=${this.port}`,
      'background=NO',
      'anonymous_enable=NO',
      'local_enable=YES',
      'write_enable=YES',
      'local_umask=022',
      `pam_service_name=${PAM_SERVICE}`,
      // vsftpd's seccomp filter rejects syscalls of newer libcs; the chroot dir must exist and be empty.
      'seccomp_sandbox=NO',
      `secure_chroot_dir=${dir(join(this.root, 'empty'), 0o755)}`,
      'chroot_local_user=YES',
      `local_root=${this.ftpRoot}`,
      'pasv_enable=YES',
      'pasv_address=127.0.0.1',
      // No pasv_min_port/pasv_max_port: the kernel picks free ports, so parallel runs never collide.
      'ssl_enable=YES',
      `rsa_cert_file=${certFile}`,
      `rsa_private_key_file=${certFile}`,
      'force_local_logins_ssl=YES',
      'force_local_data_ssl=YES',
      'require_ssl_reuse=YES',
      'ssl_sslv2=NO',
      'ssl_sslv3=NO',
      'ssl_tlsv1=NO',
      `vsftpd_log_file=${this.logFile}`,
      'xferlog_enable=YES',
      'xferlog_std_format=NO',
      'log_ftp_protocol=YES',
    ];
    writeFileSync(this.config, `${lines.join('\n')}\n`);
  }
}

/**
 * An in-process npm ftp-srv with explicit TLS whose file system refuses to rename onto an existing file, as
 * IIS and some Windows-backed servers do (vsftpd's rename(2) overwrites). User and password as vsftpd's.
 */
export class NoOverwriteFtpServer {
  private constructor(
    private readonly server: FtpSrv,
    readonly port: number,
    readonly root: string,
  ) {}

  static async start(root: string, cert: TestCert): Promise<NoOverwriteFtpServer> {
    const port = await freePort();
    const server = new FtpSrv({
      url: `ftp://127.0.0.1:${port}`,
      pasv_url: '127.0.0.1',
      pasv_min: await freePort(),
      tls: { key: cert.key, cert: cert.cert },
      anonymous: false,
      log: quietLog,
    });
    server.on('login', ({ connection, username, password }, resolve, reject) => {
      if (username !== FTP_USER || password !== FTP_PASSWORD) return reject(new Error('Login incorrect.'));
      resolve({ fs: new NoOverwriteFileSystem(connection, { root, cwd: '/' }) });
    });
    await server.listen();
    return new NoOverwriteFtpServer(server, port, root);
  }

  async close(): Promise<void> {
    await this.server.close();
  }
}

class NoOverwriteFileSystem extends FileSystem {
  constructor(connection: FtpConnection, options: { root: string; cwd: string }) {
    super(connection, options);
  }

  override async rename(from: string, to: string): Promise<unknown> {
    const exists = await this.get(to).then(
      () => true,
      () => false,
    );
    // IIS's words; ftp-srv replies 550 with them.
    if (exists) throw new Error('Cannot create a file when that file already exists.');
    return super.rename(from, to);
  }
}

/** ftp-srv logs through bunyan to stdout by default; the tests want quiet. */
const quietLog: unknown = {
  child: () => quietLog,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  fatal: () => undefined,
};


/** The test user (home "/", nologin shell), its password and its PAM service; harmless to repeat. Returns the uid. */
function ensureUser(): number {
  // vsftpd changes into the home dir before `local_root`, so it must exist: "/" does, and the per-run FTP
  // root comes from local_root, which lets parallel runs share the one user.
  if (spawnSync('id', [FTP_USER]).status !== 0) {
    const made = spawnSync(findExecutable('useradd')!, ['-M', '-d', '/', '-s', '/usr/sbin/nologin', FTP_USER], { encoding: 'utf8' });
    // A parallel run may have created it meanwhile.
    if (made.status !== 0 && spawnSync('id', [FTP_USER]).status !== 0) throw new Error(`useradd ${FTP_USER}: ${made.stderr}`);
  }
  const set = spawnSync(findExecutable('chpasswd')!, [], { input: `${FTP_USER}:${FTP_PASSWORD}\n`, encoding: 'utf8' });
  if (set.status !== 0) throw new Error(`chpasswd ${FTP_USER}: ${set.stderr}`);
  const pamFile = `/etc/pam.d/${PAM_SERVICE}`;
  let current = '';
  try {
    current = readFileSync(pamFile, 'utf8');
  } catch {
    // not there yet
  }
  if (current !== PAM_CONFIG) writeFileSync(pamFile, PAM_CONFIG);
  return Number(execFileSync('id', ['-u', FTP_USER], { encoding: 'utf8' }).trim());
}
