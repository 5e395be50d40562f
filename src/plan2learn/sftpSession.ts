// Shipping over SFTP: one SSH connection for the whole shipment, reopened when it breaks; each file uploaded
// under a temp name, size-checked (stat) and renamed onto its final name with OpenSSH's posix-rename — one
// atomic rename(2) that replaces the old version, so Plan2Learn never reads half a file. A server without
// that extension gets plain SFTP renames with the old version moved aside first (SFTP's RENAME will not
// overwrite). Temp files of failed attempts are removed as soon as a connection allows.
import { createReadStream } from 'node:fs';
import { describeSftpTarget, openSftp, sftpFailureContext, type SftpSession, type SftpTarget } from './sftpClient.js';
import { toSftpShipError } from './sftpErrors.js';
import { CsvRowCounter } from './csvRows.js';
import type { LocalFile, ShipProgress, ShipSession } from './ship.js';
import { ShipError } from './shipErrors.js';
import { asideName, tempName } from './shipRemote.js';

const NO_SUCH_FILE = 2;

export class SftpShipSession implements ShipSession {
  private session: SftpSession | null = null;
  private connections = 0;
  private posixRename = true;
  /** Temp files (full remote paths) of failed attempts, removed as soon as a connection allows. */
  private readonly leftovers = new Set<string>();
  /** Old versions moved aside whose removal failed. */
  private readonly stranded = new Set<string>();

  constructor(
    private readonly target: SftpTarget,
    private readonly log: (message: string) => void,
    private readonly onProgress: ShipProgress | undefined,
  ) {}

  async ship(file: LocalFile): Promise<void> {
    const session = await this.connected();
    const temp = tempName(file.remoteName);
    let step = `uploading ${file.remoteName} as ${temp}`;
    try {
      this.leftovers.add(session.dir + temp);
      let sent = 0;
      const source = createReadStream(file.localPath);
      source.on('data', (chunk) => {
        sent += chunk.length;
        this.onProgress?.(file.remoteName, sent, file.bytes);
      });
      await session.client.put(source, session.dir + temp);
      step = `checking the size of ${temp}`;
      const { size } = await session.client.stat(session.dir + temp);
      if (size !== file.bytes) {
        // Transient: a truncated upload is what another attempt fixes.
        throw new ShipError(`Plan2Learn SFTP server ${this.server()}: ${temp} has ${size} bytes after the upload, but ${file.localPath} has ${file.bytes}`, true);
      }
      step = `renaming ${temp} to ${file.remoteName}`;
      await this.replace(session, temp, file.remoteName);
      this.leftovers.delete(session.dir + temp);
    } catch (error) {
      const failure = toSftpShipError(error, sftpFailureContext(this.target, step));
      if (!session.closed()) await this.removeLeftovers(session);
      throw failure;
    }
  }

  /** Data rows of `remoteName` on the server, or null when it is not there (read, counted, not kept). */
  async rows(remoteName: string): Promise<number | null> {
    const session = await this.connected();
    const counter = new CsvRowCounter();
    try {
      await session.client.get(session.dir + remoteName, counter);
      return counter.rows();
    } catch (error) {
      // Only "no such file" means none; a refused read fails like any other step.
      const code = (error as { code?: unknown }).code;
      if (code === NO_SUCH_FILE || code === 'ENOENT') return null;
      throw toSftpShipError(error, sftpFailureContext(this.target, `reading ${remoteName} to count its rows`));
    }
  }

  async close(): Promise<void> {
    const session = this.session;
    this.session = null;
    if (session && !session.closed()) await this.removeLeftovers(session);
    await session?.client.end().catch(() => undefined);
    if (this.leftovers.size > 0) {
      this.log(`WARNING: could not remove the partial uploads ${[...this.leftovers].join(', ')} on ${this.server()}`);
    }
    if (this.stranded.size > 0) {
      this.log(`WARNING: previous versions are left as ${[...this.stranded].join(', ')} on ${this.server()}`);
    }
  }

  private async connected(): Promise<SftpSession> {
    if (this.session && !this.session.closed()) return this.session;
    await this.session?.client.end().catch(() => undefined);
    this.session = null;
    if (this.connections > 0) this.log(`reconnecting to ${this.server()}`);
    const session = await openSftp(this.target);
    this.connections += 1;
    this.session = session;
    if (this.connections === 1) this.log(`host key of ${this.server()} accepted: it matches ${session.acceptedBy}`);
    await this.removeLeftovers(session);
    return session;
  }

  /** `temp` becomes `final` in one step; the old version of `final` is replaced. */
  private async replace(session: SftpSession, temp: string, final: string): Promise<void> {
    const { client, dir } = session;
    if (this.posixRename) {
      try {
        await client.posixRename(dir + temp, dir + final);
        return;
      } catch (error) {
        if (!/does not support/i.test(error instanceof Error ? error.message : String(error))) throw error;
        this.posixRename = false;
        this.log(`${this.server()} does not offer posix-rename@openssh.com; replacing files by moving the old version aside first`);
      }
    }
    // Between the two renames — one round trip — Plan2Learn would find no file at all, never a half one.
    const aside = asideName(final);
    const movedAside = await client.rename(dir + final, dir + aside).then(
      () => true,
      (error: unknown) => {
        if ((error as { code?: unknown }).code === NO_SUCH_FILE) return false;
        throw error;
      },
    );
    try {
      await client.rename(dir + temp, dir + final);
    } catch (error) {
      if (movedAside) await client.rename(dir + aside, dir + final).catch(() => this.stranded.add(dir + aside));
      throw error;
    }
    if (movedAside) await client.delete(dir + aside).catch(() => this.stranded.add(dir + aside));
  }

  /** Best effort: a failure here must not hide the failure being reported. */
  private async removeLeftovers(session: SftpSession): Promise<void> {
    for (const path of [...this.leftovers]) {
      try {
        // "Not there" counts as removed: the upload never started, or the rename went through.
        await session.client.delete(path, true);
        this.leftovers.delete(path);
      } catch {
        return;
      }
    }
  }

  private server(): string {
    return describeSftpTarget(this.target);
  }
}
