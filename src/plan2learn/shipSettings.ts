// Where the Plan2Learn files are shipped, from the settings: DIPEX's exporters.plan2learn.host/.user/.password
// (port 21 by default) plus moflow's folder and TLS keys. No host, user or password at all means "export only",
// as in DIPEX; only some of them is a mistake and named as one.
import { readFileSync } from 'node:fs';
import { ConfigError } from '../config/errors.js';
import { plan2learnFtpesKeys as keys } from '../config/keys.js';
import type { Settings } from '../config/load.js';
import type { FtpesTarget } from './ftpesClient.js';

/** The FTPES target, or null when no FTP settings are given (export only). */
export function ftpesTargetFromSettings(settings: Settings): FtpesTarget | null {
  const host = settings.get(keys.host);
  const user = settings.get(keys.user);
  const password = settings.get(keys.password);
  if (host === undefined && user === undefined && password === undefined) return null;
  const problems: string[] = [];
  for (const spec of [keys.host, keys.user, keys.password]) {
    if (!settings.has(spec)) {
      problems.push(
        `${spec.key} is not set, but the other Plan2Learn FTP settings are. Fix: set ${spec.key} (${spec.description}), ` +
          `or remove ${keys.host.key}, ${keys.user.key} and ${keys.password.key} to only write the files.`,
      );
    }
  }
  const caFile = settings.get(keys.caFile);
  let ca: string | null = null;
  if (caFile !== undefined) {
    try {
      ca = readFileSync(caFile, 'utf8');
    } catch (error) {
      problems.push(`${keys.caFile.key} = ${JSON.stringify(caFile)} cannot be read (${(error as Error).message}). Fix: point it at the PEM file of the CA that signed the Plan2Learn server's certificate.`);
    }
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
