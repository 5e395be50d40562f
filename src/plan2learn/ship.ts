// Shipping the five Plan2Learn CSV files to Plan2Learn's FTPES or SFTP server (DIPEX ship_files.py, spec §5,
// which knew FTPES only), with its faults fixed: the server is verified (certificate, or SSH host key), each
// file goes live only when complete (upload under a temp name, check the size, rename), one connection serves
// the whole shipment, transient failures are retried with backoff on a fresh connection, and any failure
// fails the step instead of exiting 0. The choice of protocol is made here, in `protocolOf`, and only here.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { withRetry } from '../util/retry.js';
import type { ShrinkHold } from './guard.js';
import { describeTarget, failureContext, type FtpesTarget } from './ftpesClient.js';
import { FtpesShipSession } from './ftpesSession.js';
import { describeSftpTarget, hostKeySource, sftpFailureContext, type SftpTarget } from './sftpClient.js';
import { toSftpShipError } from './sftpErrors.js';
import { SftpShipSession } from './sftpSession.js';
import { ShipError, toShipError } from './shipErrors.js';
import { checkRemoteName } from './shipRemote.js';

export type { FtpesTarget } from './ftpesClient.js';
export type { SftpTarget } from './sftpClient.js';
export { ShipError } from './shipErrors.js';

/** An FTPES target (no `protocol`, as before SFTP) or an SFTP one. */
export type ShipTarget = FtpesTarget | SftpTarget;

export function isSftpTarget(target: ShipTarget): target is SftpTarget {
  return (target as { protocol?: string }).protocol === 'sftp';
}

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

/** Bytes of the current upload attempt sent so far. */
export type ShipProgress = (remoteName: string, bytes: number, total: number) => void;

export interface ShipOptions {
  retry?: Partial<ShipRetry>;
  /** Progress and warnings, one line each (default stderr). No password, passphrase or key ever appears. */
  log?: (message: string) => void;
  /** Bytes of the current upload attempt sent so far; good for activity heartbeats. */
  onProgress?: ShipProgress;
  /** Called when a file is live under its final name. */
  onFileShipped?: (file: ShippedFile) => void;
  /**
   * The export guard (guard.ts): given the data rows of each file now on the server (null: not there), read
   * over the shipment's connection before anything is replaced, a hold stops the shipment with no file sent.
   */
  guard?: (onServer: ReadonlyMap<string, number | null>) => ShrinkHold | null;
  /**
   * Cancels the shipment (a cancelled activity): no further attempt or file starts, and the signal's reason
   * is thrown as it is (not as a ShipError), so Temporal sees a cancellation, not a failure.
   */
  signal?: AbortSignal;
}

export interface ShipResult {
  /** Empty when held. */
  shipped: ShippedFile[];
  /** Why the guard held the shipment, or null. */
  held: ShrinkHold | null;
  /** Rows of each file on the server before the shipment, when a guard asked for them. */
  onServer: Map<string, number | null> | null;
}

export interface LocalFile extends ShipFile {
  bytes: number;
  sha256: string;
}

/** One connection (reopened when it breaks) for a whole shipment, per protocol. */
export interface ShipSession {
  /** Makes `file` live under its final name, or throws a ShipError (transient ones are retried). */
  ship(file: LocalFile): Promise<void>;
  /** Data rows of the file of that name on the server, or null when there is none. */
  rows(remoteName: string): Promise<number | null>;
  /** Tidies up what it can and closes; warns about what it could not remove. */
  close(): Promise<void>;
}

/** What differs between the protocols, for the shipment loop. */
interface Protocol {
  /** `host:port`. */
  server: string;
  /** e.g. `ftpes://user@host:21/folder (certificate: …)`. */
  banner: (where: string) => string;
  warnings: string[];
  session: (log: (message: string) => void, onProgress: ShipProgress | undefined) => ShipSession;
  toShipError: (error: unknown, step: string) => ShipError;
}

function protocolOf(target: ShipTarget): Protocol {
  if (isSftpTarget(target)) {
    return {
      server: describeSftpTarget(target),
      banner: (where) => `sftp://${target.user}@${where} (host key: ${hostKeySource(target)}; login: ${target.privateKey !== null ? 'private key' : 'password'})`,
      warnings: [],
      session: (log, onProgress) => new SftpShipSession(target, log, onProgress),
      toShipError: (error, step) => toSftpShipError(error, sftpFailureContext(target, step)),
    };
  }
  const server = describeTarget(target);
  return {
    server,
    banner: (where) => `ftpes://${target.user}@${where} (certificate: ${certificateSource(target)})`,
    warnings: target.rejectUnauthorized
      ? []
      : [
          `WARNING: TLS certificate verification is OFF for the Plan2Learn FTPES server ${server}: the files are ` +
            'encrypted, but to whoever answers. Configure the CA of its certificate instead.',
        ],
    session: (log, onProgress) => new FtpesShipSession(target, log, onProgress),
    toShipError: (error, step) => toShipError(error, failureContext(target, step)),
  };
}

/** Uploads `files` in order; resolves when every one is live under its final name, throws a ShipError otherwise. */
export async function shipFiles(
  target: ShipTarget,
  files: ShipFile[],
  options: ShipOptions = {},
): Promise<ShipResult> {
  const log = options.log ?? ((message: string) => process.stderr.write(`${message}\n`));
  const retry = { ...DEFAULT_SHIP_RETRY, ...options.retry };
  const protocol = protocolOf(target);
  const server = protocol.server;
  checkNames(files);
  // Read and hash first: a missing local file fails the step before the server is touched.
  const local: LocalFile[] = [];
  for (const file of files) local.push(await readLocal(file));

  const where = target.folder ? `${server}/${target.folder.replace(/^\/+/, '')}` : server;
  for (const warning of protocol.warnings) log(warning);
  log(`shipping ${files.length} files to ${protocol.banner(where)}`);

  const session = protocol.session(log, options.onProgress);
  const shipped: ShippedFile[] = [];
  const retrying = (what: string, verb: string) => ({
    ...retry,
    what: `${what} ${verb} ${server}`,
    isTransient: (error: unknown) => error instanceof ShipError && error.transient,
    onRetry: log,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const live = () => (shipped.length > 0 ? `already live: ${shipped.map((f) => f.remoteName).join(', ')}` : 'no file was replaced');
  /** A cancelled shipment ends with the cancellation itself (not a ShipError), saying what is already live. */
  const stopIfCancelled = () => {
    if (!options.signal?.aborted) return;
    log(`shipping cancelled: no further attempt; ${live()}`);
    throw options.signal.reason;
  };
  let onServer: Map<string, number | null> | null = null;
  try {
    if (options.guard) {
      onServer = new Map();
      for (const file of local) {
        try {
          onServer.set(file.remoteName, await withRetry(() => session.rows(file.remoteName), retrying(`Reading ${file.remoteName}`, 'on')));
        } catch (error) {
          stopIfCancelled();
          const cause = protocol.toShipError(error, `reading ${file.remoteName} to compare it with the new one`);
          throw new ShipError(`${cause.message}; no file was replaced`, cause.transient, { cause });
        }
      }
      log(`on the server now: ${[...onServer].map(([name, rows]) => `${name} ${rows === null ? 'none' : `${rows} rows`}`).join(', ')}`);
      const held = options.guard(onServer);
      if (held !== null) {
        log(`HELD, nothing shipped: ${held.reason}`);
        return { shipped, held, onServer };
      }
    }
    for (const file of local) {
      stopIfCancelled();
      let attempts = 0;
      try {
        await withRetry(async () => {
          attempts += 1;
          await session.ship(file);
        }, retrying(`Shipping ${file.remoteName}`, 'to'));
      } catch (error) {
        stopIfCancelled();
        const cause = protocol.toShipError(error, `shipping ${file.remoteName}`);
        const tries = attempts > 1 ? ` (gave up after ${attempts} attempts)` : '';
        throw new ShipError(`${cause.message}${tries}; ${live()}`, cause.transient, { cause });
      }
      const result = { remoteName: file.remoteName, bytes: file.bytes, sha256: file.sha256 };
      shipped.push(result);
      log(`shipped ${file.remoteName} (${file.bytes} bytes, sha256 ${file.sha256.slice(0, 12)}…) to ${where}`);
      options.onFileShipped?.(result);
    }
  } finally {
    await session.close();
  }
  return { shipped, held: null, onServer };
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
