// What went wrong while shipping to Plan2Learn, in words an operator can act on, and whether trying again can
// help. DIPEX swallowed reset and timeout errors and exited 0; here every failure ends as a ShipError that
// fails the step, and only the transient ones are retried first.
import { FTPError } from 'basic-ftp';
import { isTransientNetworkError } from '../util/retry.js';

export class ShipError extends Error {
  override readonly name = 'ShipError';
  constructor(
    message: string,
    /** True when another attempt may succeed (dropped connection, timeout, 4xx reply). */
    readonly transient: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Where the failure happened, for the message; never holds the password. */
export interface FailureContext {
  /** `host:port`. */
  server: string;
  user: string;
  timeoutMs: number;
  /** What was being done, e.g. `uploading bruger.csv` or `logging in`. */
  step: string;
  /** The setting to fix when the server refuses this step (e.g. the folder for a failed CWD). */
  refusedHint?: string;
  /** True while the control connection is being switched to TLS. */
  tlsSetup?: boolean;
}

/** Node's codes for a certificate that does not verify or was issued for another name. */
const CERT_CODES = /CERT|SELF_SIGNED|ISSUER|LEAF_SIGNATURE|HOSTNAME_MISMATCH|ERR_TLS_CERT_ALTNAME_INVALID/;

/** basic-ftp's words for a connection that went away (its errors carry no code). */
const DROPPED = /Server closed connection unexpectedly|Server sent FIN packet unexpectedly|Socket closed due to transmission error|Can't open data connection/;

export function toShipError(error: unknown, context: FailureContext): ShipError {
  if (error instanceof ShipError) return error;
  const where = `Plan2Learn FTPES server ${context.server}`;
  const message = error instanceof Error ? error.message.trim() : String(error);
  const code = (error as { code?: unknown } | null)?.code;

  if (error instanceof FTPError) {
    const reply = `"${message}"`;
    if (error.code === 530) {
      return new ShipError(
        `${where} refused the login of user "${context.user}" (${reply}): check the Plan2Learn FTP user and password settings`,
        false,
        { cause: error },
      );
    }
    // 4xx replies are "transient negative completion" in RFC 959: the server asks us to try again.
    if (error.code >= 400 && error.code < 500) {
      return new ShipError(`${where} replied ${reply} while ${context.step}`, true, { cause: error });
    }
    const hint = context.refusedHint ? `: ${context.refusedHint}` : ': check the FTP user\'s permissions on the server';
    return new ShipError(`${where} refused ${context.step} (${reply})${hint}`, false, { cause: error });
  }

  if (typeof code === 'string' && CERT_CODES.test(code)) {
    return new ShipError(
      `${where}: its TLS certificate was not accepted (${code}: ${message}). Configure the CA that signed the ` +
        'server certificate, or the name it was issued for (servername); turning verification off is a last resort',
      false,
      { cause: error },
    );
  }
  // Garbled TLS while it is being set up: the server does not do explicit FTPS as we do. Later it is a broken
  // connection — e.g. vsftpd writes its "500 OOPS" in plain text into the TLS stream when a session dies.
  if (typeof code === 'string' && code.startsWith('ERR_SSL_') && context.tlsSetup) {
    return new ShipError(
      `${where}: the TLS handshake failed while ${context.step} (${code}: ${message}); the server must offer explicit FTPS (AUTH TLS) with TLS 1.2 or newer`,
      false,
      { cause: error },
    );
  }
  if (/\bTimeout\b/.test(message) || code === 'ETIMEDOUT') {
    return new ShipError(
      `${where} did not answer within ${context.timeoutMs / 1000} s while ${context.step} (${message})`,
      true,
      { cause: error },
    );
  }
  if (isTransientNetworkError(error) || DROPPED.test(message) || (typeof code === 'string' && code.startsWith('ERR_SSL_'))) {
    return new ShipError(`${where}: the connection failed while ${context.step} (${message})`, true, { cause: error });
  }
  return new ShipError(`${where}: ${context.step} failed: ${message}`, false, { cause: error });
}
