// Opening an SFTP session to Plan2Learn with ssh2-sftp-client (on ssh2): the server's host key checked
// against the configured fingerprint or known_hosts file before anything is sent (an unknown or changed key
// is refused, showing the fingerprint seen), login by password or private key, and the target folder
// checked — never created. Every step is bounded by the timeout: ssh2's handshake deadline, and keepalives
// that give up on a server gone silent.
import SftpClient from 'ssh2-sftp-client';
import { plan2learnFtpesKeys, plan2learnSftpKeys } from '../config/keys.js';
import { ShipError } from './shipErrors.js';
import { toSftpShipError, type SftpFailureContext } from './sftpErrors.js';
import { checkHostKey, knownAlgorithms, type HostKeyPolicy, type HostKeyVerdict } from './sshHostKey.js';

/** Where and how to upload over SFTP. Plain values, so callers map settings onto it and tests build it directly. */
export interface SftpTarget {
  protocol: 'sftp';
  host: string;
  /** Default 22. */
  port: number;
  user: string;
  /** Password login; null when only a key is used. */
  password: string | null;
  /** The private key itself (OpenSSH or PEM), not its path; null = password login only. */
  privateKey: string | null;
  passphrase: string | null;
  /** Folder to upload into, relative to the login folder or absolute; null = the login folder. */
  folder: string | null;
  hostKey: HostKeyPolicy;
  /** Inactivity limit for the handshake, every request and transfer (default 30 s). */
  timeoutMs?: number;
}

export const DEFAULT_SFTP_TIMEOUT_MS = 30_000;

export function describeSftpTarget(target: SftpTarget): string {
  return `${target.host}:${target.port}`;
}

export function sftpFailureContext(target: SftpTarget, step: string, refusedHint?: string): SftpFailureContext {
  return {
    server: describeSftpTarget(target),
    user: target.user,
    timeoutMs: target.timeoutMs ?? DEFAULT_SFTP_TIMEOUT_MS,
    step,
    ...(refusedHint ? { refusedHint } : {}),
  };
}

/** How the host key is checked, for the shipment's first log line. */
export function hostKeySource(target: SftpTarget): string {
  const sources = [
    ...(target.hostKey.sha256 !== null ? [`fingerprint ${target.hostKey.sha256}`] : []),
    ...(target.hostKey.knownHosts ? [target.hostKey.knownHosts.path] : []),
  ];
  return sources.length > 0 ? `checked against ${sources.join(' and ')}` : 'none configured: the server will be refused';
}

export interface SftpSession {
  client: SftpClient;
  /** Path prefix of the target folder ('' for the login folder, else ending in '/'). */
  dir: string;
  /** True once the connection closed or failed. */
  closed: () => boolean;
  /** How the host key was accepted. */
  acceptedBy: string;
}

/** A logged-in SFTP session whose target folder exists. */
export async function openSftp(target: SftpTarget): Promise<SftpSession> {
  const timeoutMs = target.timeoutMs ?? DEFAULT_SFTP_TIMEOUT_MS;
  // Quiet: the library's default listeners print every close and error to stdout and stderr.
  const ignore = () => undefined;
  const client = new SftpClient('plan2learn', { error: ignore, end: ignore, close: ignore });
  let verdict: HostKeyVerdict | null = null;
  let closed = false;
  let step = 'connecting';
  const algorithms = knownAlgorithms(target.hostKey, target.host, target.port);
  try {
    client.on('close', () => void (closed = true));
    client.on('error', () => void (closed = true));
    await client.connect({
      host: target.host,
      port: target.port,
      username: target.user,
      ...(target.password !== null ? { password: target.password } : {}),
      ...(target.privateKey !== null ? { privateKey: target.privateKey } : {}),
      ...(target.passphrase !== null ? { passphrase: target.passphrase } : {}),
      readyTimeout: timeoutMs,
      // A silent server is given up after about the timeout.
      keepaliveInterval: Math.max(250, Math.floor(timeoutMs / 3)),
      keepaliveCountMax: 3,
      ...(algorithms ? { algorithms: { serverHostKey: algorithms as never } } : {}),
      hostVerifier: (key: Buffer) => {
        verdict = checkHostKey(target.hostKey, target.host, target.port, key);
        if (verdict.accepted) step = `logging in as ${target.user}`;
        return verdict.accepted;
      },
    });
    const seen = verdict as HostKeyVerdict | null;
    let dir = '';
    if (target.folder !== null && target.folder !== '') {
      step = `entering folder "${target.folder}"`;
      const hint = `the folder does not exist or the SFTP user may not enter it; fix ${plan2learnFtpesKeys.folder.key} or ask Plan2Learn to create it`;
      const stats = await client.stat(target.folder).catch((error: unknown) => {
        throw toSftpShipError(error, sftpFailureContext(target, step, hint));
      });
      if (!stats.isDirectory) throw new ShipError(`Plan2Learn SFTP server ${describeSftpTarget(target)}: "${target.folder}" is not a folder: fix ${plan2learnFtpesKeys.folder.key}`, false);
      dir = `${target.folder.replace(/\/+$/, '')}/`;
    }
    return { client, dir, closed: () => closed, acceptedBy: seen?.accepted ? seen.by : 'unknown' };
  } catch (error) {
    await client.end().catch(() => undefined);
    const refused = verdict as HostKeyVerdict | null;
    if (refused && !refused.accepted) throw hostKeyRefusal(target, refused);
    throw toSftpShipError(error, sftpFailureContext(target, step, keyHint(target, error)));
  }
}

/** The refusal names the key seen and the setting to put it in; never retried. */
function hostKeyRefusal(target: SftpTarget, verdict: Extract<HostKeyVerdict, { accepted: false }>): ShipError {
  const { hostKeySha256, knownHostsFile } = plan2learnSftpKeys;
  const where = `Plan2Learn SFTP server ${describeSftpTarget(target)}`;
  const seen = `${verdict.seen.type} ${verdict.seen.fingerprint}`;
  const put = `put "${verdict.seen.fingerprint}" in ${hostKeySha256.key} (or the server's key in the file of ${knownHostsFile.key})`;
  const text = {
    unknown: `${where} showed the host key ${seen}, and no host key is configured for it. Fix: confirm that fingerprint with Plan2Learn, then ${put}`,
    changed: `${where} showed the host key ${seen}, which is not the configured one (${configured(target)}): the server's key changed, or another server answers. Fix: confirm the new fingerprint with Plan2Learn before trusting it, then ${put}`,
    revoked: `${where} showed the host key ${seen}, which ${target.hostKey.knownHosts?.path ?? knownHostsFile.key} marks as @revoked. Fix: ask Plan2Learn for its current key and ${put}`,
  }[verdict.why];
  return new ShipError(text, false);
}

function configured(target: SftpTarget): string {
  const parts: string[] = [];
  if (target.hostKey.sha256 !== null) parts.push(`${plan2learnSftpKeys.hostKeySha256.key} = ${target.hostKey.sha256}`);
  if (target.hostKey.knownHosts) parts.push(`the keys ${target.hostKey.knownHosts.path} lists for ${target.host}`);
  return parts.join('; ');
}

/** ssh2 cannot use the configured key: name the settings (never the key). */
function keyHint(target: SftpTarget, error: unknown): string | undefined {
  const message = error instanceof Error ? error.message : String(error);
  if (target.privateKey !== null && /privateKey|passphrase|Encrypted private/i.test(message)) {
    const k = plan2learnSftpKeys;
    return `the private key cannot be used: check ${k.privateKeyFile.key} (or ${k.privateKey.key}) and ${k.privateKeyPassphrase.key}`;
  }
  return undefined;
}
