// Making an uploaded temp file live under its final name on the FTP server, so Plan2Learn never reads half a
// file: RNFR/RNTO, which POSIX servers (vsftpd, proftpd, …) carry out as an atomic rename(2) that replaces the
// old version. Some servers (IIS among them) refuse to rename onto an existing file; only then the old
// version is moved aside first and put back if the new one cannot take its place.
import { randomBytes } from 'node:crypto';
import { FTPError, type Client } from 'basic-ftp';
import { ShipError } from './shipErrors.js';

export interface RemoteNames {
  final: string;
  /** Where the upload goes: hidden and not ending in .csv, so a reader of `*.csv` never picks it up. */
  temp: string;
  /** Where the old version goes when the server will not rename onto it. */
  aside: string;
}

/** Random per attempt, so two overlapping runs never write into each other's file. */
export function tempName(final: string): string {
  return `.${final}.part-${randomBytes(4).toString('hex')}`;
}

export function asideName(final: string): string {
  return `.${final}.old-${randomBytes(4).toString('hex')}`;
}

/** A plain file name: the module uploads into the target folder only. */
export function checkRemoteName(name: string): void {
  if (name === '' || name === '.' || name === '..' || /[/\\\0\r\n]/.test(name) || name.trim() !== name) {
    throw new ShipError(`"${name}" is not a plain file name for the Plan2Learn server`, false);
  }
}

/**
 * The old version may now sit under `aside` (moved there, and not moved back or not removed, because the
 * connection broke or the server refused): the caller removes it once the file is live again.
 */
export class StrandedError extends Error {
  constructor(
    readonly aside: string,
    override readonly cause: unknown,
  ) {
    super(`the previous version may be left as ${aside}`);
  }
}

export type ReplaceOutcome =
  /** Renamed onto (or into the place of) the final name in one step. */
  | 'renamed'
  /** The server refused to overwrite; the old version was moved aside and removed. */
  | 'replaced-aside'
  /** As 'replaced-aside', but removing the old version failed; it is left under `aside`. */
  | 'stranded';

export async function replaceRemote(client: Client, names: RemoteNames): Promise<ReplaceOutcome> {
  await client.send(`RNFR ${names.temp}`);
  try {
    await client.send(`RNTO ${names.final}`);
    return 'renamed';
  } catch (refusal) {
    if (!(refusal instanceof FTPError) || refusal.code < 500) throw refusal;
    return await replaceAside(client, names, refusal);
  }
}

/**
 * For servers that will not rename onto an existing file. Moving the old version aside (not deleting it)
 * means a refused or broken second rename can put it back. Between the two renames — one round trip —
 * Plan2Learn would find no file at all, never an old or half one; on servers that overwrite this never runs.
 */
async function replaceAside(client: Client, names: RemoteNames, refusal: FTPError): Promise<ReplaceOutcome> {
  let movedAside = false;
  try {
    // Not movable (typically: not there) — then overwriting was not the problem and the refusal stands.
    if (!(await renameQuietly(client, names.final, names.aside))) throw refusal;
    movedAside = true;
    try {
      await client.send(`RNFR ${names.temp}`);
      await client.send(`RNTO ${names.final}`);
    } catch (second) {
      if (second instanceof FTPError && (await renameQuietly(client, names.aside, names.final))) {
        movedAside = false;
      }
      throw second;
    }
  } catch (error) {
    if (movedAside || !(error instanceof FTPError)) throw new StrandedError(names.aside, error);
    throw error;
  }
  const removed = await client.sendIgnoringError(`DELE ${names.aside}`);
  return removed.code < 400 ? 'replaced-aside' : 'stranded';
}

/** RNFR + RNTO; false when the server refuses either. Connection failures still throw. */
async function renameQuietly(client: Client, from: string, to: string): Promise<boolean> {
  const ready = await client.sendIgnoringError(`RNFR ${from}`);
  if (ready.code >= 400) return false;
  const done = await client.sendIgnoringError(`RNTO ${to}`);
  return done.code < 400;
}
