// One interface for every place OPUS dumps arrive: a local folder, an SMB share, a Cloud Storage bucket.
import type { Readable } from 'node:stream';
import type { DumpName } from '../opus/dumpName.js';

export interface DumpFile extends DumpName {
  /** Size in bytes. */
  size: number;
}

export interface IgnoredFile {
  name: string;
  reason: string;
}

export interface DumpListing {
  /** Dumps oldest first. */
  dumps: DumpFile[];
  /** Files in the source that are not dumps, with why; they never abort a listing. */
  ignored: IgnoredFile[];
}

export interface DumpSource {
  /** A description safe to log (never a password). */
  readonly description: string;
  list(): Promise<DumpListing>;
  /** Opens one dump (by `name` from `list()`) as a byte stream. */
  open(name: string): Promise<Readable>;
  /** Releases connections. */
  close(): Promise<void>;
}

/** A source cannot be used at all: missing folder, share or bucket, refused credentials. Not transient. */
export class DumpSourceError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DumpSourceError';
  }
}
