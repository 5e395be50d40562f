// Shipping the five Plan2Learn CSV files to Plan2Learn's FTPES server (DIPEX ship_files.py, spec §5), with
// its faults fixed: the certificate is verified, each file goes live only when complete (upload under a temp
// name, check the size, rename), one connection serves the whole shipment, transient failures are retried
// with backoff on a fresh connection, and any failure fails the step instead of exiting 0.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { Client } from 'basic-ftp';
import { withRetry } from '../util/retry.js';
import { describeTarget, failureContext, openFtpes, type FtpesTarget } from './ftpesClient.js';
import { ShipError, toShipError } from './shipErrors.js';
import { asideName, checkRemoteName, replaceRemote, StrandedError, tempName, type RemoteNames } from './shipRemote.js';

export type { FtpesTarget } from './ftpesClient.js';
export { ShipError } from './shipErrors.js';

export interface ShipFile {
  localPath: string;
  /** The file name on the server, e.g. `bruger.csv`; a plain name, no folders. */
  remoteName: string;
}

export interface ShippedFile {
  remoteName: string;
  bytes: number;
  /** Of the local file that was sent (its remote size was checked to match). */
  sha256: string;
}

export interface ShipRetry {
  /** Attempts per file after the first. */
  retries: number;
  minTimeoutMs: number;
  maxTimeoutMs: number;
}

/** About a minute of retrying per file: rides out a server restart, then leaves it to the next run. */
export const DEFAULT_SHIP_RETRY: ShipRetry = { retries: 4, minTimeoutMs: 2_000, maxTimeoutMs: 30_000 };

export interface ShipOptions {
  retry?: Partial<ShipRetry>;
  /** Progress and warnings, one line each (default stderr). The password never appears. */
  log?: (message: string) => void;
  /** Bytes of the current upload attempt sent so far; good for activity heartbeats. */
  onProgress?: (remoteName: string, bytes: number, total: number) => void;
  /** Called when a file is live under its final name. */
  onFileShipped?: (file: ShippedFile) => void;
}

interface LocalFile extends ShipFile {
  bytes: number;
  sha256: string;
}

/** Uploads `files` in order; resolves when every one is live under its final name, throws a ShipError otherwise. */
export async function shipFiles(
  target: FtpesTarget,
  files: ShipFile[],
  options: ShipOptions = {},
): Promise<{ shipped: ShippedFile[] }> {
  const log = options.log ?? ((message: string) => process.stderr.write(`${message}\n`));
  const retry = { ...DEFAULT_SHIP_RETRY, ...options.retry };
  const server = describeTarget(target);
  checkNames(files);
  // Read and hash first: a missing local file fails the step before the server is touched.
  const local: LocalFile[] = [];
  for (const file of files) local.push(await readLocal(file));

  const where = target.folder ? `${server}/${target.folder.replace(/^\/+/, '')}` : server;
  if (!target.rejectUnauthorized) {
    log(
      `WARNING: TLS certificate verification is OFF for the Plan2Learn FTPES server ${server}: the files are ` +
        'encrypted, but to whoever answers. Configure the CA of its certificate instead.',
    );
  }
  log(`shipping ${files.length} files to ftpes://${target.user}@${where} (certificate: ${certificateSource(target)})`);

  const session = new ShipSession(target, log, options.onProgress);
  const shipped: ShippedFile[] = [];
  try {
    for (const file of local) {
      let attempts = 0;
      try {
        await withRetry(
          async () => {
            attempts += 1;
            await session.ship(file);
          },
          {
            ...retry,
            what: `Shipping ${file.remoteName} to ${server}`,
            isTransient: (error) => error instanceof ShipError && error.transient,
            onRetry: log,
          },
        );
      } catch (error) {
        const cause = toShipError(error, failureContext(target, `shipping ${file.remoteName}`));
        const tries = attempts > 1 ? ` (gave up after ${attempts} attempts)` : '';
        const done = shipped.length > 0 ? `already live: ${shipped.map((f) => f.remoteName).join(', ')}` : 'no file was replaced';
        throw new ShipError(`${cause.message}${tries}; ${done}`, cause.transient, { cause });
      }
      const result = { remoteName: file.remoteName, bytes: file.bytes, sha256: file.sha256 };
      shipped.push(result);
      log(`shipped ${file.remoteName} (${file.bytes} bytes, sha256 ${file.sha256.slice(0, 12)}…) to ${where}`);
      options.onFileShipped?.(result);
    }
  } finally {
    await session.close();
  }
  return { shipped };
}

/** One FTPES connection for the whole shipment, reopened when it breaks; it remembers what it must tidy up. */
class ShipSession {
  private client: Client | null = null;
  private connections = 0;
  private sizeSupported = true;
  /** Temp files of failed attempts, removed as soon as a connection allows. */
  private readonly leftovers = new Set<string>();
  /** Old versions moved aside by a replace that was cut short, per final name; removed once it is live again. */
  private readonly stranded = new Map<string, Set<string>>();

  constructor(
    private readonly target: FtpesTarget,
    private readonly log: (message: string) => void,
    private readonly onProgress: ShipOptions['onProgress'],
  ) {}

  async ship(file: LocalFile): Promise<void> {
    const client = await this.connected();
    const names: RemoteNames = { final: file.remoteName, temp: tempName(file.remoteName), aside: asideName(file.remoteName) };
    let step = `uploading ${file.remoteName} as ${names.temp}`;
    try {
      this.leftovers.add(names.temp);
      client.trackProgress((info) => this.onProgress?.(file.remoteName, info.bytes, file.bytes));
      await client.uploadFrom(file.localPath, names.temp);
      client.trackProgress();
      step = `checking the size of ${names.temp}`;
      await this.checkSize(client, names.temp, file);
      step = `renaming ${names.temp} to ${file.remoteName}`;
      const outcome = await replaceRemote(client, names);
      this.leftovers.delete(names.temp);
      if (outcome === 'stranded') this.strand(names);
      if (outcome === 'replaced-aside') this.log(`${this.server()} refuses to rename onto an existing file; replaced ${file.remoteName} by moving the old one aside`);
    } catch (error) {
      client.trackProgress();
      if (error instanceof StrandedError) this.strand(names);
      const failure = toShipError(error instanceof StrandedError ? error.cause : error, failureContext(this.target, step));
      if (!client.closed) await this.removeLeftovers(client);
      throw failure;
    }
    await this.removeStranded(client, file.remoteName);
  }

  async close(): Promise<void> {
    const client = this.client;
    this.client = null;
    if (client && !client.closed) await this.removeLeftovers(client);
    client?.close();
    if (this.leftovers.size > 0) {
      this.log(`WARNING: could not remove the partial uploads ${[...this.leftovers].join(', ')} on ${this.server()}`);
    }
    for (const [final, asides] of this.stranded) {
      this.log(`WARNING: the previous version of ${final} is left as ${[...asides].join(', ')} on ${this.server()}`);
    }
  }

  private async connected(): Promise<Client> {
    if (this.client && !this.client.closed) return this.client;
    this.client?.close();
    this.client = null;
    if (this.connections > 0) this.log(`reconnecting to ${this.server()}`);
    const client = await openFtpes(this.target);
    this.connections += 1;
    this.client = client;
    await this.removeLeftovers(client);
    return client;
  }

  /** The remote size must equal the local size, when the server supports SIZE (RFC 3659). */
  private async checkSize(client: Client, remote: string, file: LocalFile): Promise<void> {
    if (!this.sizeSupported) return;
    const reply = await client.sendIgnoringError(`SIZE ${remote}`);
    if ([500, 502, 504].includes(reply.code)) {
      this.sizeSupported = false;
      this.log(`${this.server()} does not support SIZE ("${reply.message.trim()}"); uploads are not size-checked`);
      return;
    }
    const size = reply.code === 213 ? Number(reply.message.slice(4).trim()) : NaN;
    if (size !== file.bytes) {
      const found = reply.code === 213 ? `${size} bytes` : `no size ("${reply.message.trim()}")`;
      // Transient: a truncated upload is what another attempt fixes.
      throw new ShipError(
        `Plan2Learn FTPES server ${this.server()}: ${remote} has ${found} after the upload, but ${file.localPath} has ${file.bytes}`,
        true,
      );
    }
  }

  /** Best effort: a failure here must not hide the failure being reported. */
  private async removeLeftovers(client: Client): Promise<void> {
    for (const name of [...this.leftovers]) {
      try {
        const reply = await client.sendIgnoringError(`DELE ${name}`);
        // 550: already gone (the upload never started, or the rename went through before the connection broke).
        if (reply.code < 400 || reply.code === 550) this.leftovers.delete(name);
      } catch {
        return;
      }
    }
  }

  private strand(names: RemoteNames): void {
    const set = this.stranded.get(names.final) ?? new Set<string>();
    set.add(names.aside);
    this.stranded.set(names.final, set);
  }

  private async removeStranded(client: Client, final: string): Promise<void> {
    for (const name of [...(this.stranded.get(final) ?? [])]) {
      const reply = await client.sendIgnoringError(`DELE ${name}`).catch(() => null);
      if (reply && (reply.code < 400 || reply.code === 550)) this.stranded.get(final)?.delete(name);
    }
    if (this.stranded.get(final)?.size === 0) this.stranded.delete(final);
  }

  private server(): string {
    return describeTarget(this.target);
  }
}

function checkNames(files: ShipFile[]): void {
  const seen = new Set<string>();
  for (const file of files) {
    checkRemoteName(file.remoteName);
    if (seen.has(file.remoteName)) throw new ShipError(`${file.remoteName} is to be shipped twice`, false);
    seen.add(file.remoteName);
  }
}

async function readLocal(file: ShipFile): Promise<LocalFile> {
  const hash = createHash('sha256');
  let bytes = 0;
  try {
    for await (const chunk of createReadStream(file.localPath)) {
      hash.update(chunk as Buffer);
      bytes += (chunk as Buffer).length;
    }
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ShipError(`cannot read ${file.localPath} to ship it as ${file.remoteName}: ${reason}`, false, { cause: error });
  }
  return { ...file, bytes, sha256: hash.digest('hex') };
}

function certificateSource(target: FtpesTarget): string {
  if (!target.rejectUnauthorized) return 'NOT verified';
  const name = target.servername ? ` for ${target.servername}` : '';
  return `verified${name} against ${target.ca !== null ? 'the configured CA' : 'the system CAs'}`;
}
