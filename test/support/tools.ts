// Tests that need a real daemon (smbd, vsftpd, slapd, …) ask for it here. Outside CI a missing daemon
// skips the test with the package to install; in CI (env CI set) it fails, because CI runs every test.
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** The absolute path of an executable on PATH (or in the sbin dirs daemons live in), or null. */
export function findExecutable(name: string): string | null {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/sbin', '/usr/local/sbin'];
  for (const dir of dirs) {
    if (!dir) continue;
    const path = join(dir, name);
    try {
      accessSync(path, constants.X_OK);
      return path;
    } catch {
      // not here
    }
  }
  return null;
}

/**
 * `false` when every binary is there; otherwise a skip reason naming the Debian package. In CI it throws
 * instead, so the missing daemon fails the run rather than silently skipping it.
 */
export function missingTools(tools: Record<string, string>): string | false {
  const missing = Object.entries(tools).filter(([binary]) => findExecutable(binary) === null);
  if (missing.length === 0) return false;
  const reason = missing.map(([binary, pkg]) => `${binary} not found (apt-get install ${pkg})`).join('; ');
  if (process.env.CI) throw new Error(`CI needs every test daemon: ${reason}`);
  return reason;
}
