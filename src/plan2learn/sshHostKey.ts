// Deciding whether the SSH host key a Plan2Learn SFTP server shows is the one configured: its SHA256
// fingerprint as `ssh-keygen -lf` prints it, or an OpenSSH known_hosts file (plain or hashed host names,
// `[host]:port` for other ports than 22, wildcards, `@revoked`). Anything else — no key configured, an
// unknown key, a changed one — is refused, and the refusal shows the fingerprint seen and where to put it.
import { createHash, createHmac } from 'node:crypto';

export interface HostKeyPolicy {
  /** `SHA256:…` as `ssh-keygen -lf` prints it; null = not configured. */
  sha256: string | null;
  /** An OpenSSH known_hosts file; null = not configured. */
  knownHosts: { path: string; text: string } | null;
}

export interface SeenHostKey {
  /** e.g. `ssh-ed25519`. */
  type: string;
  /** `SHA256:…`, without base64 padding. */
  fingerprint: string;
}

export type HostKeyVerdict =
  | { accepted: true; by: string }
  | { accepted: false; why: 'unknown' | 'changed' | 'revoked'; seen: SeenHostKey };

/** The fingerprint exactly as `ssh-keygen -lf` and OpenSSH's warnings show it. */
export function fingerprintOf(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

/** The key type named at the start of an SSH public key blob (a length-prefixed string). */
export function keyTypeOf(blob: Buffer): string {
  if (blob.length < 4) return 'unknown';
  const length = blob.readUInt32BE(0);
  return length > 0 && length < 64 && blob.length >= 4 + length ? blob.subarray(4, 4 + length).toString('latin1') : 'unknown';
}

/** Normalises a configured fingerprint: trimmed, `SHA256:` prefix kept, padding dropped. */
export function normaliseFingerprint(value: string): string {
  return value.trim().replace(/=+$/, '');
}

export function checkHostKey(policy: HostKeyPolicy, host: string, port: number, blob: Buffer): HostKeyVerdict {
  const seen = { type: keyTypeOf(blob), fingerprint: fingerprintOf(blob) };
  const known = policy.knownHosts ? knownKeysFor(policy.knownHosts.text, host, port) : null;
  if (known?.revoked.some((k) => k.equals(blob))) return { accepted: false, why: 'revoked', seen };
  if (policy.sha256 !== null && normaliseFingerprint(policy.sha256) === seen.fingerprint) {
    return { accepted: true, by: `the configured fingerprint ${seen.fingerprint}` };
  }
  if (known?.keys.some((k) => k.blob.equals(blob))) {
    return { accepted: true, by: `${policy.knownHosts!.path} (${seen.type} ${seen.fingerprint})` };
  }
  const changed = policy.sha256 !== null || (known?.keys.length ?? 0) > 0;
  return { accepted: false, why: changed ? 'changed' : 'unknown', seen };
}

/** The server host key algorithms worth asking for: those of the keys known_hosts lists for the host. */
export function knownAlgorithms(policy: HostKeyPolicy, host: string, port: number): string[] | null {
  if (policy.sha256 !== null || !policy.knownHosts) return null;
  const types = new Set(knownKeysFor(policy.knownHosts.text, host, port).keys.map((k) => k.type));
  if (types.size === 0) return null;
  return [...types].flatMap((type) => (type === 'ssh-rsa' ? ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'] : [type]));
}

interface KnownKeys {
  keys: { type: string; blob: Buffer }[];
  revoked: Buffer[];
}

/** The keys a known_hosts text lists for `host` on `port` (written `[host]:port` unless the port is 22). */
export function knownKeysFor(text: string, host: string, port: number): KnownKeys {
  const name = port === 22 ? host : `[${host}]:${port}`;
  const result: KnownKeys = { keys: [], revoked: [] };
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const fields = line.split(/\s+/);
    const marker = fields[0]!.startsWith('@') ? fields.shift()! : null;
    const [patterns, type, base64] = fields;
    if (!patterns || !type || !base64 || marker === '@cert-authority') continue;
    if (!hostMatches(patterns, name)) continue;
    const blob = Buffer.from(base64, 'base64');
    if (marker === '@revoked') result.revoked.push(blob);
    else if (marker === null) result.keys.push({ type, blob });
  }
  return result;
}

/** OpenSSH's rules: any pattern matches and no negated one does; `|1|salt|hash` is HMAC-SHA1 of the name. */
function hostMatches(patterns: string, name: string): boolean {
  if (patterns.startsWith('|1|')) {
    const [, , salt, hash] = patterns.split('|');
    if (!salt || !hash) return false;
    return createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64') === hash;
  }
  let matched = false;
  for (const pattern of patterns.split(',')) {
    const negated = pattern.startsWith('!');
    if (!globMatches(negated ? pattern.slice(1) : pattern, name)) continue;
    if (negated) return false;
    matched = true;
  }
  return matched;
}

function globMatches(pattern: string, name: string): boolean {
  const regex = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${regex}$`, 'i').test(name);
}
