// A real OpenLDAP server for directory tests: slapd in the foreground on free loopback ports, everything
// (config, back-mdb database, certificates) in a temp dir. Schemas beyond core/cosine/inetorgperson are
// passed in (the AD tests bring AD's attribute names). A read-only user binds the way an integration
// would, under limits like AD's MaxPageSize: a plain search returns at most 1000 entries, a paged one all.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '../../src/util/ports.js';
import { findExecutable, missingTools } from './tools.js';
import { accepts } from './net.js';

/** A skip reason for `describe` when slapd or the LDAP tools are missing, or false. In CI it throws. */
export function slapdSkip(): string | false {
  return missingTools({ slapd: 'slapd', ldapadd: 'ldap-utils', openssl: 'openssl' });
}

export interface SlapdOptions {
  /** Default `dc=ad,dc=test`. */
  suffix?: string;
  /** Schema files (slapd.conf syntax) loaded after core, cosine and inetorgperson. */
  schemas?: string[];
  /** Also listen on ldaps://, with a certificate for 127.0.0.1 and localhost signed by a fresh test CA. */
  tls?: boolean;
  /** Log every operation (slapd's "stats" level) to the log, so a test can count the searches it received. */
  logOperations?: boolean;
}

/** Where Debian keeps the stock schemas and backend modules. */
const SCHEMA_DIR = '/etc/ldap/schema';
const MODULE_DIR = '/usr/lib/ldap';
/** Like AD's MaxPageSize: plain searches are cut at this many entries, paged ones are not. */
export const SLAPD_SIZE_LIMIT = 1000;

export class SlapdServer {
  readonly host = '127.0.0.1';
  readonly rootDn: string;
  readonly rootPassword = 'root-Test-pw1';
  /** A plain user with read access to everything and the size limits above. */
  readonly readerDn: string;
  readonly readerPassword = 'reader-Test-pw1';
  private child: ChildProcess | null = null;
  private readonly config: string;
  private readonly logFile: string;

  private constructor(
    readonly root: string,
    readonly suffix: string,
    readonly port: number,
    /** Port of ldaps://, or null without TLS. */
    readonly tlsPort: number | null,
    private readonly debugLevel = '0',
  ) {
    this.rootDn = `cn=admin,${suffix}`;
    this.readerDn = `cn=moflow-reader,${suffix}`;
    this.config = join(root, 'slapd.conf');
    this.logFile = join(root, 'slapd.log');
  }

  get url(): string {
    return `ldap://${this.host}:${this.port}`;
  }

  get ldapsUrl(): string {
    if (this.tlsPort === null) throw new Error('this slapd was started without tls');
    return `ldaps://${this.host}:${this.tlsPort}`;
  }

  /** PEM of the CA that signed the ldaps certificate. */
  get caPem(): string {
    return readFileSync(join(this.root, 'ca.pem'), 'utf8');
  }

  static async create(options: SlapdOptions = {}): Promise<SlapdServer> {
    const root = mkdtempSync(join(tmpdir(), 'moflow-slapd-'));
    const server = new SlapdServer(root, options.suffix ?? 'dc=ad,dc=test', await freePort(), options.tls ? await freePort() : null, options.logOperations ? 'stats' : '0');
    try {
      if (options.tls) server.makeCertificates();
      server.writeConfig(options.schemas ?? []);
      await server.start();
      const dc = /^dc=([^,]+)/i.exec(server.suffix)?.[1] ?? 'test';
      await server.add(
        [
          `dn: ${server.suffix}`,
          'objectClass: dcObject',
          'objectClass: organization',
          `dc: ${dc}`,
          `o: ${dc}`,
          '',
          `dn: ${server.readerDn}`,
          'objectClass: person',
          'cn: moflow-reader',
          'sn: reader',
          `userPassword: ${server.readerPassword}`,
        ].join('\n'),
      );
    } catch (error) {
      await server.dispose();
      throw error;
    }
    return server;
  }

  /** Adds entries as the root DN with `ldapadd` (LDIF; binary values as `attr:: base64`). */
  async add(ldif: string): Promise<void> {
    await this.ldap('ldapadd', ldif);
  }

  /** Changes entries as the root DN with `ldapmodify` (LDIF with `changetype: modify|delete|modrdn`). */
  async modify(ldif: string): Promise<void> {
    await this.ldap('ldapmodify', ldif);
  }

  private async ldap(tool: 'ldapadd' | 'ldapmodify', ldif: string): Promise<void> {
    const child = spawn(findExecutable(tool)!, ['-x', '-H', this.url, '-D', this.rootDn, '-w', this.rootPassword], {
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    const done = new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', resolve);
    });
    child.stdin.end(ldif.endsWith('\n') ? ldif : `${ldif}\n`);
    const status = await done;
    if (status !== 0) throw new Error(`${tool} exited with ${status}: ${stderr.slice(-2000)}`);
  }

  /** Starts slapd (again, after `stop()`) on the same ports and waits until it accepts connections. */
  async start(): Promise<void> {
    if (this.child) return;
    const urls = [`ldap://${this.host}:${this.port}/`, ...(this.tlsPort === null ? [] : [`ldaps://${this.host}:${this.tlsPort}/`])];
    const log = createWriteStream(this.logFile, { flags: 'a' });
    // `-d 0`: stay in the foreground without debug output (`-d stats`: with a line per operation).
    const child = spawn(findExecutable('slapd')!, ['-f', this.config, '-h', urls.join(' '), '-d', this.debugLevel], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.pipe(log);
    child.stderr.pipe(log);
    this.child = child;
    const deadline = Date.now() + 15_000;
    for (const port of [this.port, this.tlsPort]) {
      if (port === null) continue;
      while (!(await accepts(this.host, port))) {
        if (child.exitCode !== null) {
          this.child = null;
          throw new Error(`slapd exited with ${child.exitCode}: ${this.log()}`);
        }
        if (Date.now() > deadline) throw new Error(`slapd did not listen on ${port}: ${this.log()}`);
        await sleep(25);
      }
    }
  }

  /** Stops slapd; open connections drop. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.child = null;
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }

  /** Stops slapd and removes the temp dir. */
  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.root, { recursive: true, force: true });
  }

  /** Searches slapd received under `base` (case-insensitive) since it started; needs `logOperations`. */
  searchesUnder(base: string): number {
    const text = readFileSync(this.logFile, 'utf8');
    const wanted = base.toLowerCase();
    return text.split('\n').filter((line) => / SRCH base="/.test(line) && line.toLowerCase().includes(`base="${wanted}"`)).length;
  }

  log(): string {
    try {
      return readFileSync(this.logFile, 'utf8').slice(-2000);
    } catch {
      return '(no log)';
    }
  }

  private writeConfig(schemas: string[]): void {
    const db = join(this.root, 'db');
    mkdirSync(db);
    const tls =
      this.tlsPort === null
        ? []
        : [
            `TLSCACertificateFile ${join(this.root, 'ca.pem')}`,
            `TLSCertificateFile ${join(this.root, 'server.pem')}`,
            `TLSCertificateKeyFile ${join(this.root, 'server.key')}`,
          ];
    const lines = [
      ...['core', 'cosine', 'inetorgperson'].map((s) => `include ${join(SCHEMA_DIR, `${s}.schema`)}`),
      ...schemas.map((s) => `include ${s}`),
      `pidfile ${join(this.root, 'slapd.pid')}`,
      `argsfile ${join(this.root, 'slapd.args')}`,
      `modulepath ${MODULE_DIR}`,
      'moduleload back_mdb',
      ...tls,
      'database mdb',
      // The map is sparse: 1 GiB costs nothing, the 10 MiB default would not hold 20,000 users.
      'maxsize 1073741824',
      `suffix "${this.suffix}"`,
      `rootdn "${this.rootDn}"`,
      `rootpw ${this.rootPassword}`,
      `directory ${db}`,
      // Tests need no durability; without it every ldapadd entry waits for an fsync (20,000 took 53 s).
      'dbnosync',
      'index objectClass eq',
      'access to attrs=userPassword by anonymous auth by * none',
      'access to * by users read by * none',
      `limits users size.soft=${SLAPD_SIZE_LIMIT} size.hard=${SLAPD_SIZE_LIMIT} size.prtotal=unlimited`,
    ];
    writeFileSync(this.config, `${lines.join('\n')}\n`);
  }

  private makeCertificates(): void {
    const openssl = (args: string[]) => {
      const run = spawnSync(findExecutable('openssl')!, args, { cwd: this.root, encoding: 'utf8' });
      if (run.status !== 0) throw new Error(`openssl ${args[0]}: ${run.stderr}`);
    };
    const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
    openssl(['req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=moflow test CA',
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
    openssl(['req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', `/CN=${this.host}`]);
    writeFileSync(join(this.root, 'server.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n');
    openssl(['x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem',
      '-days', '2', '-extfile', 'server.ext']);
  }
}
