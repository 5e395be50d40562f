// Dumps are copied from their source (SMB share, Cloud Storage, a folder) into a local cache before an import
// reads them. An import reads a dump several times (validate, then one plan per step, again after a retry),
// and a share can be slow or gone for a while; and the hash pinned at fetch time lets every later read prove
// it sees the very bytes that were fetched, on whichever worker it runs.
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import { parseDumpName } from '../opus/dumpName.js';
import { LocalFolderSource } from '../sources/local.js';
import { makePrivateDir } from '../util/privateDir.js';
import type { DumpSource } from '../sources/types.js';

/** A dump as a run refers to it everywhere: its name and the hash of its bytes (never its content). */
export interface CachedDump {
  name: string;
  sha256: string;
  size: number;
}

/** The source now holds other bytes under a name already fetched: the run cannot go on with that name. */
export class DumpChangedError extends Error {
  constructor(
    readonly dump: string,
    readonly expected: string,
    readonly found: string,
  ) {
    super(
      `${dump} changed in the source after it was fetched (sha256 ${expected.slice(0, 12)}… then ${found.slice(0, 12)}…). ` +
        'A dump must never change once written; find out why, then resume (the fetch starts over) or skip the dump.',
    );
    this.name = 'DumpChangedError';
  }
}

export class DumpCache {
  constructor(readonly dir: string) {}

  /** The cached dumps as a dump source, for the import's reader. */
  source(): DumpSource {
    return new LocalFolderSource(this.dir);
  }

  /** Copies a dump from the source into the cache (replacing a cached copy) and hashes it on the way. */
  async fetch(source: DumpSource, name: string, onBytes?: (bytes: number) => void): Promise<CachedDump> {
    // Dumps hold every employee's CPR number: readable by moflow's user only.
    makePrivateDir(this.dir);
    // A partial copy (crash, lost connection) is never mistaken for the dump: it lives under a name that is not one.
    const partial = join(this.dir, `.${name}.${process.pid}.partial`);
    const hash = createHash('sha256');
    let size = 0;
    const count = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        hash.update(chunk);
        size += chunk.length;
        onBytes?.(size);
        done(null, chunk);
      },
    });
    try {
      await pipeline(await source.open(name), count, createWriteStream(partial, { mode: 0o600 }));
      await rename(partial, join(this.dir, name));
    } catch (error) {
      await rm(partial, { force: true });
      throw error;
    }
    return { name, sha256: hash.digest('hex'), size };
  }

  /** The cached copy as it is (the previous import fetched and checked it), else a fresh fetch. */
  async pin(source: DumpSource, name: string): Promise<CachedDump> {
    const cached = await this.hashOf(name);
    if (cached === null) return this.fetch(source, name);
    return { name, sha256: cached, size: (await stat(join(this.dir, name))).size };
  }

  /**
   * Makes sure the cache holds exactly the pinned bytes of several dumps: checks each cached copy, fetches it
   * again when it is missing or differs. The source is opened only when one must be fetched again (on another
   * worker, or after the cache was cleaned). Returns the names fetched again.
   */
  async ensureAll(openSource: () => DumpSource, pinned: readonly CachedDump[]): Promise<string[]> {
    let source: DumpSource | null = null;
    const fetched: string[] = [];
    try {
      for (const dump of pinned) {
        if ((await this.hashOf(dump.name)) === dump.sha256) continue;
        source ??= openSource();
        const again = await this.fetch(source, dump.name);
        if (again.sha256 !== dump.sha256) throw new DumpChangedError(dump.name, dump.sha256, again.sha256);
        fetched.push(dump.name);
      }
    } finally {
      await (source as DumpSource | null)?.close();
    }
    return fetched;
  }

  /** Removes cached dumps other than `keep` (and stray partial copies). */
  async prune(keep: readonly string[]): Promise<string[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const removed: string[] = [];
    for (const name of names) {
      const isDump = parseDumpName(name).ok;
      if ((isDump && !keep.includes(name)) || name.endsWith('.partial')) {
        await rm(join(this.dir, name), { force: true });
        if (isDump) removed.push(name);
      }
    }
    return removed;
  }

  private async hashOf(name: string): Promise<string | null> {
    const path = join(this.dir, name);
    try {
      if (!(await stat(path)).isFile()) return null;
    } catch {
      return null;
    }
    const hash = createHash('sha256');
    for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
    return hash.digest('hex');
  }
}
