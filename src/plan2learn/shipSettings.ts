// Where the Plan2Learn files are shipped, from the settings: DIPEX's exporters.plan2learn.host/.user/.password
// (FTPES, port 21 by default) plus moflow's folder and TLS keys, or with exporters.plan2learn.protocol "sftp"
// the same host/user/folder with a password or private key and the server's host key. No host, user or
// credentials at all means "export only", as in DIPEX; only some of them is a mistake and named as one, and
// so is a key of the other protocol.
import { readFileSync } from 'node:fs';
import { ConfigError } from '../config/errors.js';
import { plan2learnFtpesKeys as keys, plan2learnSftpKeys as sftpKeys } from '../config/keys.js';
import type { Settings } from '../config/load.js';
import type { SettingSpec } from '../config/setting.js';
import type { FtpesTarget } from './ftpesClient.js';
import type { SftpTarget } from './sftpClient.js';
import type { ShipTarget } from './ship.js';

const FTPES_ONLY = [keys.caFile, keys.verifyCertificate, keys.servername];
const SFTP_ONLY = [sftpKeys.privateKeyFile, sftpKeys.privateKey, sftpKeys.privateKeyPassphrase, sftpKeys.hostKeySha256, sftpKeys.knownHostsFile];

/** The FTPES or SFTP target, or null when no server settings are given (export only). */
export function shipTargetFromSettings(settings: Settings): ShipTarget | null {
  return settings.get(sftpKeys.protocol) === 'sftp' ? sftpTargetFromSettings(settings) : ftpesTargetFromSettings(settings);
}

/** The FTPES target, or null when no FTP settings are given (export only). */
export function ftpesTargetFromSettings(settings: Settings): FtpesTarget | null {
  const host = settings.get(keys.host);
  const user = settings.get(keys.user);
  const password = settings.get(keys.password);
  if (host === undefined && user === undefined && password === undefined) return null;
  const problems = [...missing(settings, [keys.host, keys.user, keys.password]), ...otherProtocol(settings, SFTP_ONLY, 'sftp')];
  const caFile = settings.get(keys.caFile);
  let ca: string | null = null;
  if (caFile !== undefined) {
    ca = readSettingFile(caFile, keys.caFile, "point it at the PEM file of the CA that signed the Plan2Learn server's certificate", problems);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  const timeoutSeconds = settings.get(keys.timeoutSeconds);
  return {
    host: host!,
    port: settings.get(keys.port) ?? 21,
    user: user!,
    password: password!,
    folder: settings.get(keys.folder) ?? null,
    ca,
    rejectUnauthorized: settings.get(keys.verifyCertificate) ?? true,
    ...(settings.get(keys.servername) !== undefined ? { servername: settings.get(keys.servername)! } : {}),
    ...(timeoutSeconds !== undefined ? { timeoutMs: timeoutSeconds * 1000 } : {}),
  };
}

/** The SFTP target (protocol "sftp"), or null when no host, user, password or key is given (export only). */
export function sftpTargetFromSettings(settings: Settings): SftpTarget | null {
  const host = settings.get(keys.host);
  const user = settings.get(keys.user);
  const password = settings.get(keys.password);
  const keyFile = settings.get(sftpKeys.privateKeyFile);
  const inlineKey = settings.get(sftpKeys.privateKey);
  if ([host, user, password, keyFile, inlineKey].every((v) => v === undefined)) return null;
  const problems = [...missing(settings, [keys.host, keys.user]), ...otherProtocol(settings, FTPES_ONLY, 'ftpes')];
  if (password === undefined && keyFile === undefined && inlineKey === undefined) {
    problems.push(
      `SFTP needs a password or a private key, and none is set. Fix: set ${keys.password.key} or ${sftpKeys.privateKeyFile.key} ` +
        `(${sftpKeys.privateKey.key} for the key itself), or remove the Plan2Learn server settings to only write the files.`,
    );
  }
  if (keyFile !== undefined && inlineKey !== undefined) {
    problems.push(`${sftpKeys.privateKeyFile.key} and ${sftpKeys.privateKey.key} are both set. Fix: keep one of them.`);
  }
  let privateKey: string | null = inlineKey !== undefined ? unescapeNewlines(inlineKey) : null;
  if (keyFile !== undefined) privateKey = readSettingFile(keyFile, sftpKeys.privateKeyFile, 'point it at the private key moflow logs in to Plan2Learn with', problems);
  const knownHostsPath = settings.get(sftpKeys.knownHostsFile);
  let knownHosts: SftpTarget['hostKey']['knownHosts'] = null;
  if (knownHostsPath !== undefined) {
    const text = readSettingFile(knownHostsPath, sftpKeys.knownHostsFile, "point it at an OpenSSH known_hosts file with the Plan2Learn server's key", problems);
    if (text !== null) knownHosts = { path: knownHostsPath, text };
  }
  if (problems.length > 0) throw new ConfigError(problems);
  const timeoutSeconds = settings.get(keys.timeoutSeconds);
  return {
    protocol: 'sftp',
    host: host!,
    port: settings.get(keys.port) ?? 22,
    user: user!,
    password: password ?? null,
    privateKey,
    passphrase: settings.get(sftpKeys.privateKeyPassphrase) ?? null,
    folder: settings.get(keys.folder) ?? null,
    hostKey: { sha256: settings.get(sftpKeys.hostKeySha256) ?? null, knownHosts },
    ...(timeoutSeconds !== undefined ? { timeoutMs: timeoutSeconds * 1000 } : {}),
  };
}

function missing(settings: Settings, specs: SettingSpec[]): string[] {
  return specs
    .filter((spec) => !settings.has(spec))
    .map(
      (spec) =>
        `${spec.key} is not set, but the other Plan2Learn FTP settings are. Fix: set ${spec.key} (${spec.description}), ` +
        `or remove ${keys.host.key}, ${keys.user.key} and ${keys.password.key} to only write the files.`,
    );
}

/** Keys of the protocol not chosen: a sign the protocol setting is wrong, so named rather than ignored. */
function otherProtocol(settings: Settings, specs: SettingSpec[], protocol: 'ftpes' | 'sftp'): string[] {
  return specs
    .filter((spec) => settings.has(spec))
    .map(
      (spec) =>
        `${spec.key} is set, but applies to ${protocol === 'sftp' ? 'SFTP' : 'FTPES'} only and ${sftpKeys.protocol.key} is ` +
        `${protocol === 'sftp' ? '"ftpes" (the default)' : '"sftp"'}. Fix: set ${sftpKeys.protocol.key} to "${protocol}", or remove ${spec.key}.`,
    );
}

/** The file's text, or null with a problem naming the setting (never the file's content). */
function readSettingFile(path: string, spec: SettingSpec, fix: string, problems: string[]): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    problems.push(`${spec.key} = ${JSON.stringify(path)} cannot be read (${(error as Error).message}). Fix: ${fix}.`);
    return null;
  }
}

/** A key given in an environment variable often has its line breaks written as `\n`. */
function unescapeNewlines(key: string): string {
  return key.includes('\n') ? key : key.replace(/\\n/g, '\n');
}
