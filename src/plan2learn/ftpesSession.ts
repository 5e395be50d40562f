// Shipping over FTPES (basic-ftp): one connection for the whole shipment, reopened when it breaks; each file
// uploaded under a temp name, size-checked (SIZE) and renamed (shipRemote.ts); the temp files of failed
// attempts and old versions moved aside are removed as soon as a connection allows.
import type { Client } from 'basic-ftp';
import { describeTarget, failureContext, openFtpes, type FtpesTarget } from './ftpesClient.js';
import { CsvRowCounter } from './csvRows.js';
import type { LocalFile, ShipProgress, ShipSession } from './ship.js';
import { ShipError, toShipError } from './shipErrors.js';
import { asideName, replaceRemote, StrandedError, tempName, type RemoteNames } from './shipRemote.js';

/** One FTPES connection for the whole shipment, reopened when it breaks; it remembers what it must tidy up. */
export class FtpesShipSession implements ShipSession {
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
    private readonly onProgress: ShipProgress | undefined,
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

  /** Data rows of `remoteName` on the server, or null when it is not there (read, counted, not kept). */
  async rows(remoteName: string): Promise<number | null> {
    const client = await this.connected();
    let step = `listing the folder to find ${remoteName}`;
    try {
      // Listed first: a 550 on RETR may be a refusal as well as a missing file, and must not pass as "none".
      const present = (await client.list()).some((entry) => entry.name === remoteName && entry.isFile);
      if (!present) return null;
      step = `reading ${remoteName} to count its rows`;
      const counter = new CsvRowCounter();
      await client.downloadTo(counter, remoteName);
      return counter.rows();
    } catch (error) {
      throw toShipError(error, failureContext(this.target, step));
    }
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
