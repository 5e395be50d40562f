// Opening an FTPES session to Plan2Learn with basic-ftp: explicit TLS (AUTH TLS before the login), the data
// channel protected too (PROT P, insisted on), the server certificate verified unless switched off, and the
// target folder entered — never created.
import { Client } from 'basic-ftp';
import type { ConnectionOptions } from 'node:tls';
import { toShipError, type FailureContext } from './shipErrors.js';

/** Where and how to upload. Plain values, so callers map settings onto it and tests build it directly. */
export interface FtpesTarget {
  host: string;
  /** Default 21: explicit FTPS shares the plain FTP port. */
  port: number;
  user: string;
  password: string;
  /** Folder to upload into, relative to the login folder or absolute; null = the login folder. */
  folder: string | null;
  /** PEM of the CA(s) to trust instead of the system CAs; null = the system CAs. */
  ca: string | null;
  /** Verify the server certificate (default true). False encrypts without knowing who listens; logged as a warning. */
  rejectUnauthorized: boolean;
  /** The name the certificate must be issued for, when it differs from `host` (e.g. when connecting by IP). */
  servername?: string;
  /** Inactivity limit for every command, connection attempt and transfer (default 30 s, as DIPEX). */
  timeoutMs?: number;
}

export const DEFAULT_TIMEOUT_MS = 30_000;

export function describeTarget(target: FtpesTarget): string {
  return `${target.host}:${target.port}`;
}

export function failureContext(
  target: FtpesTarget,
  step: string,
  extra: Pick<FailureContext, 'refusedHint' | 'tlsSetup'> = {},
): FailureContext {
  return { server: describeTarget(target), user: target.user, timeoutMs: target.timeoutMs ?? DEFAULT_TIMEOUT_MS, step, ...extra };
}

/**
 * A logged-in session in the target folder. Each step is bounded by the timeout: basic-ftp guards every
 * command, but not the TLS handshake after `234 AUTH TLS`, so that one gets its own deadline here.
 */
export async function openFtpes(target: FtpesTarget): Promise<Client> {
  const timeoutMs = target.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const client = new Client(timeoutMs);
  let step = 'connecting';
  let refusedHint: string | undefined;
  let tlsSetup = false;
  try {
    await client.connect(target.host, target.port);
    step = 'starting TLS (AUTH TLS)';
    tlsSetup = true;
    await withDeadline(client.useTLS(tlsOptions(target)), timeoutMs, () => client.close());
    tlsSetup = false;
    // As basic-ftp's access(): UTF-8 before the login, for non-ASCII user names.
    await client.sendIgnoringError('OPTS UTF8 ON');
    step = `logging in as ${target.user}`;
    await client.login(target.user, target.password);
    step = 'setting up the session';
    await client.useDefaultSettings();
    // useDefaultSettings ignores a refused PROT P, which would send the files unencrypted; ask again and fail.
    step = 'protecting the data channel (PROT P)';
    await client.send('PROT P');
    if (target.folder !== null && target.folder !== '') {
      // Not ensureDir: the folder is Plan2Learn's to create; a mistyped one would swallow the files unseen.
      step = `entering folder "${target.folder}"`;
      refusedHint = 'the folder does not exist or the FTP user may not enter it; fix the Plan2Learn folder setting or ask Plan2Learn to create it';
      await client.cd(target.folder);
    }
    return client;
  } catch (error) {
    client.close();
    throw toShipError(error, failureContext(target, step, { tlsSetup, ...(refusedHint ? { refusedHint } : {}) }));
  }
}

function tlsOptions(target: FtpesTarget): ConnectionOptions {
  return {
    // basic-ftp reuses these options, and so the TLS session, on every data connection (require_ssl_reuse).
    host: target.host,
    ...(target.servername ? { servername: target.servername } : {}),
    ...(target.ca !== null ? { ca: [target.ca] } : {}),
    rejectUnauthorized: target.rejectUnauthorized,
    minVersion: 'TLSv1.2',
  };
}

/** Rejects with a timeout once `ms` have passed, after `onExpire` (which closes the sockets). */
async function withDeadline<T>(promise: Promise<T>, ms: number, onExpire: () => void): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      onExpire();
      reject(new Error(`Timeout (TLS handshake)`));
    }, ms);
  });
  try {
    return await Promise.race([promise, expired]);
  } finally {
    clearTimeout(timer);
    // The loser may still settle later; its rejection must not go unhandled.
    promise.catch(() => undefined);
  }
}
