// What the shipping tests of both protocols (ship.test.ts over FTPES, shipSftp.test.ts over SFTP) share: the
// five local files, a run's log lines and retries, and the same checks that the shipment arrived whole.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ShipError, type ShipFile, type ShipOptions } from '../../src/plan2learn/ship.js';

/** Short waits, so a retried test takes a second or two; enough attempts to outlast a server restart. */
export const FAST_RETRY = { retries: 6, minTimeoutMs: 100, maxTimeoutMs: 400 };
export const NAMES = ['bruger.csv', 'organisation.csv', 'engagement.csv', 'stillingskode.csv', 'leder.csv'];

export const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** A run's log lines and retry count. */
export interface Run {
  lines: string[];
  retries: () => number;
  options: ShipOptions;
}
export function run(extra: ShipOptions = {}): Run {
  const lines: string[] = [];
  return {
    lines,
    retries: () => lines.filter((l) => /retrying/.test(l)).length,
    options: { retry: FAST_RETRY, log: (m) => lines.push(m), ...extra },
  };
}

export async function shipError(promise: Promise<unknown>): Promise<ShipError> {
  const error = await promise.then(
    () => assert.fail('expected the shipment to fail'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof ShipError, `expected a ShipError, got ${String(error)}`);
  return error;
}

/** The five files in `dir`, each shipped under its own name. */
export function shipList(dir: string): ShipFile[] {
  return NAMES.map((name) => ({ localPath: join(dir, name), remoteName: name }));
}

/** Data rows writeLocal writes per file unless told otherwise. */
export const DEFAULT_ROWS = (name: string): number => (name === 'engagement.csv' ? 60_000 : 20);

/** Writes new local versions of the five files into `dir` (each run distinct, so a stale remote file shows). */
export function writeLocal(dir: string, version: string, rowsOf: (name: string) => number = DEFAULT_ROWS): void {
  for (const name of NAMES) {
    const rows = rowsOf(name);
    const lines = ['"BrugerId";"Navn";"Stilling"'];
    for (let i = 0; i < rows; i++) lines.push(`"${version}-${i}";"Søren Ærø Åby ${i}";"Pædagog"`);
    writeFileSync(join(dir, name), `${lines.join('\r\n')}\r\n`);
  }
}

/** Exactly the five files in `remoteDir`, no temp files, each byte for byte the local one. */
export function assertArrived(remoteDir: string, files: ShipFile[]): void {
  assert.deepEqual(readdirSync(remoteDir).sort(), [...NAMES].sort(), 'exactly the five files, no temp files');
  for (const file of files) {
    assert.equal(sha256(readFileSync(join(remoteDir, file.remoteName))), sha256(readFileSync(file.localPath)), file.remoteName);
  }
}

/** The sha256 of each file in `remoteDir`, to show a held shipment changed nothing. */
export function remoteHashes(remoteDir: string): Record<string, string> {
  return Object.fromEntries(readdirSync(remoteDir).sort().map((name) => [name, sha256(readFileSync(join(remoteDir, name)))]));
}
