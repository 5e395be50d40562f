// Dumps in a local folder (integrations.opus.import.xml_path), as DIPEX's LocalOpusReader read them:
// the files directly in the folder, no recursion. Also the way to read a share that needs SMB signing
// or SMB3: mount it with CIFS and point this source at the mount.
import type { Stats } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { opusKeys } from '../config/keys.js';
import { buildListing, type SourceEntry } from './listing.js';
import { DumpSourceError, type DumpListing, type DumpSource } from './types.js';

const KEY = opusKeys.xmlPath.key;

export class LocalFolderSource implements DumpSource {
  readonly description: string;

  constructor(private readonly path: string) {
    this.description = `local folder ${path}`;
  }

  async list(): Promise<DumpListing> {
    let names: string[];
    try {
      names = await readdir(this.path);
    } catch (error) {
      throw this.folderError(error);
    }
    const files: SourceEntry[] = [];
    const others: DumpListing['ignored'] = [];
    for (const name of names) {
      let stats: Stats;
      try {
        // stat, not lstat: a symlink to a dump counts as the dump.
        stats = await stat(join(this.path, name));
      } catch (error) {
        others.push({ name, reason: `cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})` });
        continue;
      }
      if (stats.isFile()) files.push({ name, size: stats.size });
      else others.push({ name, reason: stats.isDirectory() ? 'a folder; moflow reads only the files directly in the folder' : 'not a regular file' });
    }
    const listing = buildListing(files, this.description);
    listing.ignored = [...listing.ignored, ...others].sort((a, b) => (a.name < b.name ? -1 : 1));
    return listing;
  }

  async open(name: string): Promise<Readable> {
    if (name === '' || name === '.' || name === '..' || /[/\\]/.test(name)) {
      throw new DumpSourceError(`"${name}" is not a file name in ${this.description}`);
    }
    const path = join(this.path, name);
    let handle;
    try {
      handle = await open(path, 'r');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') throw new DumpSourceError(`no file ${name} in ${this.description}`, { cause: error });
      if (code === 'EACCES' || code === 'EPERM') {
        throw new DumpSourceError(`moflow (uid ${process.getuid?.()}) may not read ${path}. Fix: make the dumps readable by the user moflow runs as.`, {
          cause: error,
        });
      }
      throw new DumpSourceError(`cannot open ${path}: ${(error as Error).message}`, { cause: error });
    }
    if (!(await handle.stat()).isFile()) {
      await handle.close();
      throw new DumpSourceError(`${path} is not a file`);
    }
    return handle.createReadStream({ highWaterMark: 1 << 20 });
  }

  async close(): Promise<void> {}

  private folderError(error: unknown): DumpSourceError {
    const code = (error as NodeJS.ErrnoException).code;
    const fix = `Fix: set ${KEY} to the folder the OPUS dumps are delivered to`;
    switch (code) {
      case 'ENOENT':
        return new DumpSourceError(`the dump folder ${this.path} does not exist. ${fix}, or create it.`, { cause: error });
      case 'ENOTDIR':
        return new DumpSourceError(`the dump folder ${this.path} is a file, not a folder. ${fix}.`, { cause: error });
      case 'EACCES':
      case 'EPERM':
        return new DumpSourceError(
          `moflow (uid ${process.getuid?.()}) may not read the dump folder ${this.path} (${KEY}). Fix: give that user read and execute permission on the folder.`,
          { cause: error },
        );
      default:
        return new DumpSourceError(`cannot read the dump folder ${this.path} (${KEY}): ${(error as Error).message}`, { cause: error });
    }
  }
}
