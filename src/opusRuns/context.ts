// What the OPUS activities need, from the worker's settings: the dump source, the local dump cache and report
// folder under the data folder, the MO client, and the import settings with DAR (opened per activity, closed
// after it, so a worker holds no pool while it idles).
import { join } from 'node:path';
import { dataDirOf } from '../config/dataDir.js';
import type { Settings } from '../config/load.js';
import { dumpSourceConfig, opusImportOptions } from '../config/opus.js';
import { openDarResolver } from '../dar/open.js';
import type { DarStats } from '../dar/resolver.js';
import { moClientFromSettings, type MoClient } from '../mo/index.js';
import { openDumpSource } from '../sources/index.js';
import type { DumpSource } from '../sources/types.js';
import { DigestCache } from '../sync/digestCache.js';
import { importSettings, type ImportSettings } from '../sync/importDump.js';
import { DumpCache } from './dumpCache.js';

export interface OpusRunContext {
  readonly settings: Settings;
  readonly dataDir: string;
  readonly cache: DumpCache;
  readonly reportsDir: string;
  openSource(): DumpSource;
  moClient(): MoClient;
  /** The import settings with a DAR resolver; `close` releases DAR's cache pool. */
  openImport(log: (message: string) => void): Promise<{ settings: ImportSettings; darSummary(): string; darStats(): Readonly<DarStats>; close(): Promise<void> }>;
}

export function opusRunContext(settings: Settings): OpusRunContext {
  const dataDir = dataDirOf(settings);
  return {
    settings,
    dataDir,
    cache: new DumpCache(join(dataDir, 'opus', 'dumps')),
    reportsDir: join(dataDir, 'opus', 'reports'),
    openSource: () => openDumpSource(dumpSourceConfig(settings)),
    moClient: () => moClientFromSettings(settings),
    async openImport(log) {
      const importOptions = opusImportOptions(settings);
      const dar = await openDarResolver(settings, { log });
      return {
        settings: importSettings(importOptions, { postal: dar.resolver, digests: digestsOf(settings) }),
        darSummary: () => dar.summary(),
        darStats: () => dar.resolver.stats,
        close: () => dar.close(),
      };
    },
  };
}

/**
 * The digests of imported dumps (sync/digestCache.ts), shared by the worker and the CLI: tonight's import
 * reads last night's digest instead of its dump, and compares only the units whose addresses changed.
 */
export const digestsOf = (settings: Settings): DigestCache => new DigestCache(join(dataDirOf(settings), 'digests'));
