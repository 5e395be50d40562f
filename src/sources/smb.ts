// Dumps on an SMB share (integrations.opus.smb_host = "host[:port]/share[/folder]"), as DIPEX's
// SMBOpusReader read them. One connection per source, reopened after a failure; connection-level failures
// are retried, refusals (password, share, permissions) are explained at once.
import type { Readable } from 'node:stream';
import type { DumpSourceConfig } from '../config/opus.js';
import { describeSource } from '../config/opus.js';
import { isTransientNetworkError, withRetry } from '../util/retry.js';
import { buildListing, type SourceEntry } from './listing.js';
import { sourceRetryPolicy, type SourceRetryOptions } from './retry.js';
import { NtStatus, SmbConnectionError, SmbShare, SmbStatusError } from './smbClient.js';
import { DumpSourceError, type DumpListing, type DumpSource } from './types.js';

export type SmbConfig = Extract<DumpSourceConfig, { type: 'smb' }>;

export interface SmbSourceOptions {
  retry?: SourceRetryOptions;
  /** Default 10 s. */
  connectTimeoutMs?: number;
  /** How long one request may take before the connection counts as dead. Default 30 s. */
  requestTimeoutMs?: number;
  /** Read requests in flight per file; 8 doubled throughput over 1 against a local smbd. */
  readAhead?: number;
}

/** Statuses that say "not now" rather than "never": a dropped session, a busy server, a file still being written. */
const TRANSIENT_STATUSES = new Set<number>([
  NtStatus.NetworkNameDeleted,
  NtStatus.UserSessionDeleted,
  NtStatus.NetworkSessionExpired,
  NtStatus.InsufficientResources,
  NtStatus.SharingViolation,
]);

function isTransient(error: unknown): boolean {
  if (error instanceof SmbStatusError) return TRANSIENT_STATUSES.has(error.status);
  return error instanceof SmbConnectionError || isTransientNetworkError(error);
}

const CIFS_FIX = 'Fix: mount the share with CIFS (mount -t cifs) and set integrations.opus.import.xml_path to the mount instead of integrations.opus.smb_host.';

export class SmbSource implements DumpSource {
  readonly description: string;
  private current: SmbShare | null = null;
  private connecting: Promise<SmbShare> | null = null;

  constructor(
    private readonly config: SmbConfig,
    private readonly options: SmbSourceOptions = {},
  ) {
    this.description = describeSource(config);
  }

  async list(): Promise<DumpListing> {
    const entries = await this.attempt(`listing ${this.description}`, { op: 'list' }, (share) => share.list(this.config.folder));
    const files: SourceEntry[] = [];
    const folders: DumpListing['ignored'] = [];
    for (const entry of entries) {
      if (entry.isDirectory) folders.push({ name: entry.name, reason: 'a folder; moflow reads only the files directly in the configured folder' });
      else files.push({ name: entry.name, size: entry.size });
    }
    const listing = buildListing(files, this.description);
    listing.ignored = [...listing.ignored, ...folders].sort((a, b) => (a.name < b.name ? -1 : 1));
    return listing;
  }

  async open(name: string): Promise<Readable> {
    if (name === '' || name === '.' || name === '..' || /[/\\]/.test(name)) {
      throw new DumpSourceError(`"${name}" is not a file name in ${this.description}`);
    }
    const path = this.config.folder ? `${this.config.folder}/${name}` : name;
    const { stream } = await this.attempt(`opening ${name} on ${this.description}`, { op: 'open', name }, (share) => share.openRead(path));
    return stream;
  }

  async close(): Promise<void> {
    const share = this.current ?? (await this.connecting?.catch(() => null)) ?? null;
    this.current = null;
    await share?.close();
  }

  /** Runs `fn` on the share, reconnecting and retrying on transient failures, explaining the rest. */
  private async attempt<T>(what: string, context: Context, fn: (share: SmbShare) => Promise<T>): Promise<T> {
    const policy = sourceRetryPolicy(what, isTransient, this.options.retry);
    try {
      return await withRetry(async () => {
        const share = await this.share();
        try {
          return await fn(share);
        } catch (error) {
          if (isTransient(error)) await this.drop(share);
          throw error;
        }
      }, policy);
    } catch (error) {
      if (isTransient(error)) {
        // Still worth another try later (e.g. by the workflow), so not a DumpSourceError; keep the network code.
        // The address too, so the CLI's one line says where nothing answers (integrations.opus.smb_host).
        const cause = error as Error & { code?: string; address?: string; port?: number; hostname?: string; syscall?: string };
        const gaveUp = new Error(`${what} failed after ${policy.retries + 1} attempts: ${cause.message}`, { cause });
        const { code, syscall } = cause;
        const [address, port, hostname] = [cause.address ?? this.config.host, cause.port ?? this.config.port, cause.hostname ?? this.config.host];
        throw code ? Object.assign(gaveUp, { code, syscall, address, port, hostname }) : gaveUp;
      }
      throw error instanceof SmbStatusError ? this.explain(error, context) : error;
    }
  }

  private async share(): Promise<SmbShare> {
    if (this.current?.connected) return this.current;
    if (this.current) await this.drop(this.current);
    this.connecting ??= SmbShare.connect({
      host: this.config.host,
      port: this.config.port,
      share: this.config.share,
      domain: this.config.domain,
      user: this.config.user,
      password: this.config.password,
      connectTimeoutMs: this.options.connectTimeoutMs ?? 10_000,
      requestTimeoutMs: this.options.requestTimeoutMs ?? 30_000,
      readAhead: this.options.readAhead ?? 8,
    }).finally(() => {
      this.connecting = null;
    });
    this.current = await this.connecting;
    return this.current;
  }

  private async drop(share: SmbShare): Promise<void> {
    if (this.current === share) this.current = null;
    await share.close();
  }

  private explain(error: SmbStatusError, context: Context): DumpSourceError {
    const { host, port, share, folder, user, domain } = this.config;
    const server = `${host}:${port}`;
    const status = `${error.statusName}`;
    const where = context.op === 'list' ? `folder "${folder || '/'}"` : `file "${context.name}"`;
    const signingRequired = (error as { signingRequired?: boolean }).signingRequired === true;
    let message: string;
    switch (error.status) {
      case NtStatus.LogonFailure:
        message = `SMB login as ${user} refused by ${server} (${status}); check integrations.opus.smb_user / smb_password (and smb_domain, now "${domain}").`;
        break;
      case NtStatus.AccountDisabled:
      case NtStatus.AccountLockedOut:
      case NtStatus.AccountRestriction:
      case NtStatus.PasswordExpired:
        message = `SMB account ${user} on ${server} cannot log in (${status}). Fix: ask the share's administrator to enable the account or renew its password, then update integrations.opus.smb_password.`;
        break;
      case NtStatus.BadNetworkName:
        message = `SMB share "${share}" does not exist on ${server} (${status}). Fix: check the share name in integrations.opus.smb_host ("host/share/folder").`;
        break;
      case NtStatus.NotSupported:
        message = `${server} does not accept SMB 2.0.2/2.1 (${status}); it probably requires SMB3, which moflow's SMB client cannot speak. ${CIFS_FIX}`;
        break;
      case NtStatus.ObjectNameNotFound:
      case NtStatus.ObjectPathNotFound:
        message =
          context.op === 'list'
            ? `folder "${folder}" does not exist on SMB share //${server}/${share} (${status}). Fix: check the folder part of integrations.opus.smb_host.`
            : `no file ${context.name} in ${this.description} (${status}).`;
        break;
      case NtStatus.NotADirectory:
        message = `"${folder}" on SMB share //${server}/${share} is a file, not a folder (${status}). Fix: check the folder part of integrations.opus.smb_host.`;
        break;
      case NtStatus.FileIsADirectory:
        message = `${where} in ${this.description} is a folder, not a dump file.`;
        break;
      case NtStatus.AccessDenied:
        if (signingRequired) {
          message = `${server} requires SMB signing, which moflow's SMB client (node-smb2) cannot do (${status} on ${error.command}). ${CIFS_FIX}`;
        } else if (error.command === 'SessionSetup') {
          message = `${server} refused the SMB session for ${user} (${status}); it may require SMB3 encryption, which moflow's SMB client cannot do. ${CIFS_FIX}`;
        } else if (error.command === 'TreeConnect') {
          message = `${user} may not open SMB share //${server}/${share} (${status}). Fix: grant the user read access to the share.`;
        } else {
          message = `${user} may not read ${where} on SMB share //${server}/${share} (${status}). Fix: grant the user read access.`;
        }
        break;
      default:
        message = `${this.description}: ${error.message} while ${context.op === 'list' ? 'listing' : 'opening'} ${where}.`;
    }
    return new DumpSourceError(message, { cause: error });
  }
}

type Context = { op: 'list' } | { op: 'open'; name: string };
