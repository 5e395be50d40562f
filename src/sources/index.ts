// Picks the dump source the settings describe (see dumpSourceConfig for the precedence).
import type { DumpSourceConfig } from '../config/opus.js';
import { GcsSource } from './gcs.js';
import { LocalFolderSource } from './local.js';
import type { SourceRetryOptions } from './retry.js';
import { SmbSource } from './smb.js';
import type { DumpSource } from './types.js';

export interface DumpSourceOptions {
  /** Backoff for transient failures of remote sources (default 5 retries, 1 s → 30 s). */
  retry?: SourceRetryOptions;
}

export function openDumpSource(config: DumpSourceConfig, options: DumpSourceOptions = {}): DumpSource {
  switch (config.type) {
    case 'local':
      return new LocalFolderSource(config.path);
    case 'smb':
      return new SmbSource(config, options);
    case 'gcs':
      return new GcsSource(config, options);
  }
}
