// What went wrong while shipping to Plan2Learn over SFTP, in words an operator can act on, and whether trying
// again can help: a dropped connection or a silent server is transient; a refused login, a missing folder or
// a permission the user lacks is not, and names the setting to fix. The SFTP twin of shipErrors.ts.
import { plan2learnFtpesKeys, plan2learnSftpKeys } from '../config/keys.js';
import { isTransientNetworkError } from '../util/retry.js';
import { ShipError } from './shipErrors.js';

/** Where the failure happened, for the message; never holds a password, passphrase or key. */
export interface SftpFailureContext {
  /** `host:port`. */
  server: string;
  user: string;
  timeoutMs: number;
  /** What was being done, e.g. `uploading bruger.csv as .bruger.csv.part-…`. */
  step: string;
  /** The setting to fix when the server refuses this step. */
  refusedHint?: string;
}

/** SFTP status codes (draft-ietf-secsh-filexfer-02), as ssh2 puts them on `code`. */
const NO_SUCH_FILE = 2;
const PERMISSION_DENIED = 3;

/** ssh2's and ssh2-sftp-client's words for a connection that went away. */
const DROPPED = /Unexpected (end|close) event|No SFTP connection|Not connected|connection (lost|closed)|socket hang up|Remote host has reset|write after end|Channel (not open|closed)/i;
const TIMED_OUT = /Timed out while waiting for handshake|Keepalive timeout|\btimed? ?out\b/i;

export function toSftpShipError(error: unknown, context: SftpFailureContext): ShipError {
  if (error instanceof ShipError) return error;
  const where = `Plan2Learn SFTP server ${context.server}`;
  const message = error instanceof Error ? error.message.trim() : String(error);
  const code = (error as { code?: unknown } | null)?.code;
  const k = { ...plan2learnFtpesKeys, ...plan2learnSftpKeys };

  if (/All configured authentication methods failed/i.test(message) || code === 'ERR_BAD_AUTH') {
    return new ShipError(
      `${where} refused the login of user "${context.user}" ("${message}"): check ${k.user.key} and ${k.password.key}, ` +
        `or ${k.privateKeyFile.key} (${k.privateKey.key}) and ${k.privateKeyPassphrase.key}, and that the server knows the key`,
      false,
      { cause: error },
    );
  }
  if (code === PERMISSION_DENIED || code === NO_SUCH_FILE || code === 'EACCES' || code === 'ENOENT') {
    const hint = context.refusedHint ?? "check the SFTP user's permissions on the server";
    return new ShipError(`${where} refused ${context.step} ("${message}"): ${hint}`, false, { cause: error });
  }
  if (context.refusedHint && /privateKey|passphrase|Encrypted private/i.test(message)) {
    return new ShipError(`${where}: ${context.refusedHint} (${message})`, false, { cause: error });
  }
  if (TIMED_OUT.test(message) || code === 'ETIMEDOUT') {
    return new ShipError(`${where} did not answer within ${context.timeoutMs / 1000} s while ${context.step} (${message})`, true, { cause: error });
  }
  if (isTransientNetworkError(error) || DROPPED.test(message) || code === 'ERR_NOT_CONNECTED') {
    return new ShipError(`${where}: the connection failed while ${context.step} (${message})`, true, { cause: error });
  }
  return new ShipError(`${where}: ${context.step} failed: ${message}`, false, { cause: error });
}
